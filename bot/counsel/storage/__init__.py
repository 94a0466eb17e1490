"""Counsellor storage: cases, transcripts and the audit log; the counsellor allowlist."""

"""Counsellors: cases from handoffs, the Telegram group desk, the console, the audit log."""

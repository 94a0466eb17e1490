"""Dialogs: small state machines over the SPOCC content."""

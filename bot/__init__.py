"""SPOCC soft-skills self-assessment bot."""

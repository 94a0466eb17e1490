"""Tests for bot.dialogs."""

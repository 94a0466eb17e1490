"""Tests for bot.badges."""

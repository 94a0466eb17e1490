"""Tests of bot.pictures."""

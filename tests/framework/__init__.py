"""Tests of bot.framework."""

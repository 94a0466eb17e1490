"""Tests of bot.delivery."""

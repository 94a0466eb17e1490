"""Tests for the SPOCC bot."""

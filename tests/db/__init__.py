"""Tests for the SQL store and its migrations."""

"""Fakes standing in for platforms and services in tests."""

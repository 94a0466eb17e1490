"""End-to-end tests: the real app, served over HTTP, talking to stand-ins of real services."""

"""Bundled JSON-LD contexts, so canonicalization never fetches from the network."""

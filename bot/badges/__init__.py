"""Open Badges 2.0 and 3.0 issuing: render, bake, sign, serve (bytes in, bytes out)."""

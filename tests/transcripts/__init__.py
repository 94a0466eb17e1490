"""Golden transcripts: whole conversations replayed through the engine and compared."""

"""The hosting process's own needs: start-up checks and key files on disk."""

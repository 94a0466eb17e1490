"""Spoken messages: pre-recorded files or espeak-ng speech, encoded as OGG/Opus and cached."""

from bot.audio.service import AudioService, open_audio

__all__ = ["AudioService", "open_audio"]

"""The programs that make sound: espeak-ng (speech as WAV), opusenc and opusdec (OGG/Opus)."""

from __future__ import annotations

import asyncio
import io
import wave
from array import array
from dataclasses import dataclass

RATE = 24_000
"""Sample rate of the raw PCM that segments are joined in (one Opus supports; espeak-ng's
voices are 22 kHz, so nothing is lost)."""

SPEED_WPM = 140
"""espeak-ng's words per minute: a little slower than its 175, for people new to a language."""

BITRATE_KBPS = 24


class AudioToolError(RuntimeError):
    """A sound program failed (its name and exit code say which)."""


@dataclass(frozen=True, slots=True)
class Tools:
    """Paths of the three programs (Debian: `espeak-ng` and `opus-tools`)."""

    espeak: str
    opusenc: str
    opusdec: str

    async def speak(self, voice: str, text: str) -> bytes:
        """Speech as a WAV file; the text goes in on stdin, never as an option."""
        args = ["-v", voice, "-s", str(SPEED_WPM), "--stdout"]
        return await _run(self.espeak, args, text.encode())

    async def encode_wav(self, wav: bytes) -> bytes:
        """A WAV file as OGG/Opus, tuned for speech."""
        return await _run(self.opusenc, [*_OPUS, "-", "-"], wav)

    async def encode_pcm(self, pcm: bytes) -> bytes:
        """Raw mono 16-bit PCM at RATE as OGG/Opus."""
        raw = ["--raw", "--raw-rate", str(RATE), "--raw-chan", "1"]
        return await _run(self.opusenc, [*_OPUS, *raw, "-", "-"], pcm)

    async def decode(self, ogg: bytes) -> bytes:
        """OGG/Opus as raw mono 16-bit PCM at RATE (a stereo recording is mixed down)."""
        wav = await _run(
            self.opusdec, ["--quiet", "--rate", str(RATE), "--force-wav", "-", "-"], ogg
        )
        with wave.open(io.BytesIO(wav)) as reader:
            channels = reader.getnchannels()
            frames: bytes = reader.readframes(reader.getnframes())
        if channels == 1:
            return frames
        samples = array("h", frames)
        mono = array(
            "h",
            (sum(samples[i : i + channels]) // channels for i in range(0, len(samples), channels)),
        )
        return mono.tobytes()


_OPUS = ["--quiet", "--speech", "--bitrate", str(BITRATE_KBPS)]


def silence(seconds: float) -> bytes:
    """Raw PCM silence at RATE, to put between segments."""
    return bytes(2 * int(RATE * seconds))


async def _run(program: str, args: list[str], stdin: bytes) -> bytes:
    process = await asyncio.create_subprocess_exec(
        program,
        *args,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await process.communicate(stdin)
    if process.returncode != 0 or not out:
        detail = err.decode(errors="replace").strip()[:200]
        raise AudioToolError(f"{program} failed ({process.returncode}): {detail}")
    return out

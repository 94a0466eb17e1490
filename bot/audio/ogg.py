"""Facts read off an OGG/Opus file's bytes: is it one, and how long it plays."""

from __future__ import annotations

import struct


def is_ogg_opus(data: bytes) -> bool:
    """True when the file starts with an Ogg page whose first packet is an OpusHead."""
    return data[:4] == b"OggS" and b"OpusHead" in data[:64]


def seconds(data: bytes) -> float:
    """Playing time: the last page's granule position (48 kHz) less the pre-skip."""
    last = data.rfind(b"OggS")
    granule: int = struct.unpack_from("<q", data, last + 6)[0]
    head = data.index(b"OpusHead")
    pre_skip: int = struct.unpack_from("<H", data, head + 10)[0]
    return (granule - pre_skip) / 48_000

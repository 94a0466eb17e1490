"""Bake and unbake Open Badges metadata in PNG ``iTXt`` chunks (pypng, no compression)."""

from __future__ import annotations

import io
from collections.abc import Iterable

import png

OB2_KEYWORD = b"openbadges"
OB3_KEYWORD = b"openbadgecredential"
_TEXT_CHUNKS = (b"iTXt", b"tEXt", b"zTXt")


def _itxt(keyword: bytes, text: str) -> bytes:
    # keyword NUL, compression flag 0, method 0, empty language tag NUL,
    # empty translated keyword NUL, UTF-8 text.
    return keyword + b"\0\0\0\0\0" + text.encode("utf-8")


def _keyword(chunk_type: bytes, data: bytes) -> bytes:
    return data.split(b"\0", 1)[0] if chunk_type in _TEXT_CHUNKS else b""


def bake(image: bytes, texts: dict[bytes, str]) -> bytes:
    """Return the PNG with one uncompressed ``iTXt`` chunk per keyword.

    Earlier chunks with the same keywords are dropped, so each appears once.

    Args:
        image: PNG bytes.
        texts: keyword (``openbadges``/``openbadgecredential``) → text (JSON).

    Returns:
        The baked PNG bytes.
    """
    chunks = [
        (kind, data)
        for kind, data in png.Reader(bytes=image).chunks()
        if _keyword(kind, data) not in texts
    ]
    new = [(b"iTXt", _itxt(keyword, text)) for keyword, text in texts.items()]
    out = io.BytesIO()
    png.write_chunks(out, _insert_before_idat(chunks, new))
    return out.getvalue()


def _insert_before_idat(
    chunks: list[tuple[bytes, bytes]], new: Iterable[tuple[bytes, bytes]]
) -> list[tuple[bytes, bytes]]:
    at = next(i for i, (kind, _) in enumerate(chunks) if kind == b"IDAT")
    return [*chunks[:at], *new, *chunks[at:]]


def unbake(image: bytes, keyword: bytes = OB2_KEYWORD) -> str | None:
    """Return the text of the ``iTXt`` chunk with ``keyword``, if any.

    Args:
        image: PNG bytes.
        keyword: The chunk keyword.

    Returns:
        The text, or None.

    Raises:
        ValueError: The chunk is compressed (not allowed by the spec).
    """
    for kind, data in png.Reader(bytes=image).chunks():
        if kind == b"iTXt" and _keyword(kind, data) == keyword:
            rest = data[len(keyword) + 1 :]
            if rest[0] != 0:
                raise ValueError("compressed iTXt is not allowed in a baked badge")
            _lang, _translated, text = rest[2:].split(b"\0", 2)
            return bytes(text).decode("utf-8")
    return None

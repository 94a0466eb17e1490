"""Baking: one uncompressed iTXt chunk per keyword, readable by openbadges-bakery."""

from __future__ import annotations

import io
import json

import png
import pytest
from openbadges_bakery import unbake as bakery_unbake  # type: ignore[import-untyped]

from bot.badges.bake import OB2_KEYWORD, OB3_KEYWORD, bake, unbake
from bot.badges.ob2 import assertion_document
from tests.badges.conftest import LiveBadges


def _text_chunks(image: bytes) -> list[bytes]:
    return [data for kind, data in png.Reader(bytes=image).chunks() if kind == b"iTXt"]


def test_openbadges_bakery_unbakes_our_assertion(live: LiveBadges) -> None:
    award = live.issue()
    text = bakery_unbake(io.BytesIO(award.png))
    assert json.loads(text) == assertion_document(award, live.urls)


def test_each_keyword_once_and_uncompressed(live: LiveBadges) -> None:
    award = live.issue()
    chunks = _text_chunks(award.png)
    keywords = sorted(data.split(b"\0", 1)[0] for data in chunks)
    assert keywords == [OB3_KEYWORD, OB2_KEYWORD]
    for data in chunks:
        keyword = data.split(b"\0", 1)[0]
        assert data[len(keyword) + 1 : len(keyword) + 5] == b"\0\0\0\0"  # no compression


def test_rebake_replaces_chunk(live: LiveBadges) -> None:
    award = live.issue()
    again = bake(award.png, {OB2_KEYWORD: '{"x": 1}'})
    assert unbake(again) == '{"x": 1}'
    assert len(_text_chunks(again)) == 2
    assert unbake(again, OB3_KEYWORD) == unbake(award.png, OB3_KEYWORD)


def test_compressed_chunk_is_rejected(live: LiveBadges) -> None:
    award = live.issue()
    chunks = [
        (k, d[:11] + b"\x01" + d[12:] if d.startswith(b"openbadges\0") else d)
        for k, d in png.Reader(bytes=award.png).chunks()
    ]
    out = io.BytesIO()
    png.write_chunks(out, chunks)
    with pytest.raises(ValueError, match="compressed"):
        unbake(out.getvalue())

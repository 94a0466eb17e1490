"""No page of ours can be framed by another site (clickjacking): real HTTP to the real app."""

from __future__ import annotations

from pathlib import Path

import aiohttp
import pytest

from tests.app_support import app_config, running_app

PAGES = ["/", "/counsellor/login", "/v/no-such-badge"]


@pytest.mark.parametrize("path", PAGES)
async def test_a_page_refuses_to_be_framed(tmp_path: Path, path: str) -> None:
    async with (
        running_app(app_config(tmp_path)) as url,
        aiohttp.ClientSession() as http,
        http.get(url + path, allow_redirects=False) as response,
    ):
        assert response.content_type == "text/html"
        assert "frame-ancestors 'none'" in response.headers.get("Content-Security-Policy", "")
        assert response.headers.get("X-Frame-Options") == "DENY"

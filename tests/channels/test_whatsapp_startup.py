"""Start-up with WhatsApp half configured: one line naming the variable, exit 2, nothing served."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_startup import assert_one_line_naming, start

ON = {
    "WHATSAPP_TOKEN": "EAAG-s3cret-token",
    "WHATSAPP_PHONE_NUMBER_ID": "106540352242922",
    "WHATSAPP_APP_SECRET": "app-s3cret",
    "WHATSAPP_VERIFY_TOKEN": "verify-me",
}


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("WHATSAPP_APP_SECRET", None),
        ("WHATSAPP_VERIFY_TOKEN", None),
        ("WHATSAPP_API_BASE_URL", "graph.facebook.com"),
        ("WHATSAPP_API_BASE_URL", "http://"),
    ],
)
def test_whatsapp_half_configured_stops_startup(
    tmp_path: Path, variable: str, value: str | None
) -> None:
    env = {name: given for name, given in ON.items() if name != variable}
    if value is not None:
        env[variable] = value
    result = start(tmp_path, **env)
    assert_one_line_naming(result, variable)
    assert "s3cret" not in result.stderr + result.stdout
    assert not (tmp_path / "bot.db").exists()

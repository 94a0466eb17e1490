"""TELEGRAM_BOT_USERNAME and WHATSAPP_NUMBER: read for the landing page's doors, checked."""

from __future__ import annotations

import pytest

from bot.config import Config, ConfigError


def test_the_doors_are_read_from_the_environment() -> None:
    config = Config.from_env({"TELEGRAM_BOT_USERNAME": "spocc_bot", "WHATSAPP_NUMBER": "38640123"})
    assert (config.telegram_bot_username, config.whatsapp_number) == ("spocc_bot", "38640123")
    assert Config.from_env({}).telegram_bot_username is None


@pytest.mark.parametrize(
    ("name", "value"), [("TELEGRAM_BOT_USERNAME", "@spocc bot"), ("WHATSAPP_NUMBER", "+386 40")]
)
def test_a_bad_value_names_the_variable(name: str, value: str) -> None:
    with pytest.raises(ConfigError, match=name):
        Config.from_env({name: value})

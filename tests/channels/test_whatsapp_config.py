"""WhatsApp configuration: on with token and number id; a bad value names its variable."""

from __future__ import annotations

import pytest

from bot.config import Config, ConfigError

ON = {
    "WHATSAPP_TOKEN": "EAAG-token",
    "WHATSAPP_PHONE_NUMBER_ID": "106540352242922",
    "WHATSAPP_APP_SECRET": "s3cret",
    "WHATSAPP_VERIFY_TOKEN": "verify",
}


def test_off_without_variables_and_on_with_them() -> None:
    assert Config.from_env({}).whatsapp is None
    wa = Config.from_env({**ON, "WHATSAPP_TEMPLATE_CONTINUE": "continue_chat:pt_BR"}).whatsapp
    assert wa is not None
    assert (wa.api_base_url, wa.api_version) == ("https://graph.facebook.com", "v23.0")
    assert wa.template == ("continue_chat", "pt_BR")
    assert "s3cret" not in repr(wa)
    assert "EAAG" not in repr(wa)


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("WHATSAPP_PHONE_NUMBER_ID", ""),
        ("WHATSAPP_PHONE_NUMBER_ID", "+386 40"),
        ("WHATSAPP_APP_SECRET", ""),
        ("WHATSAPP_VERIFY_TOKEN", " "),
        ("WHATSAPP_API_BASE_URL", "graph.facebook.com"),
        ("WHATSAPP_API_VERSION", "23"),
        ("WHATSAPP_TEMPLATE_CONTINUE", "Continue Chat"),
        ("WHATSAPP_CHAT_RATE", "0"),
    ],
)
def test_a_bad_value_names_the_variable(variable: str, value: str) -> None:
    with pytest.raises(ConfigError, match=variable):
        Config.from_env({**ON, variable: value})

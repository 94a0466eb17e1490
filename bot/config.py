"""Configuration from environment variables (and a .env file), each with a working default."""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

DEFAULT_CONTENT = Path(__file__).resolve().parent.parent / "data" / "spocc.yaml"
DEFAULT_LOCALES = Path(__file__).resolve().parent.parent / "locales"


class ConfigError(ValueError):
    """A variable has a value we cannot use; the message names the variable."""


_BOT_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{3,31}$|^$")
_DIGITS = re.compile(r"^[0-9]{6,15}$|^$")


@dataclass(frozen=True, slots=True)
class Config:
    """Everything the composition root needs, already checked."""

    database_url: str
    web_host: str = "127.0.0.1"
    web_port: int = 8080
    public_url: str = "http://127.0.0.1:8080"
    data_dir: Path = Path("var")
    content_path: Path = DEFAULT_CONTENT
    locales_dir: Path = DEFAULT_LOCALES
    telegram_token: str | None = None
    telegram_api_base_url: str = "https://api.telegram.org"
    telegram_mode: str = "polling"
    telegram_webhook_secret: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    telegram_counsellor_chat_id: int | None = None
    telegram_chat_rate: float = 1.0
    telegram_global_rate: float = 30.0
    counsellors: tuple[tuple[str, int, bool], ...] = ()
    """(name, Telegram user id, admin) from COUNSELLORS."""
    counsellor_reminder_minutes: float = 30.0
    counsellor_group_language: str = "en"
    """COUNSELLOR_GROUP_LANGUAGE: the language of notices to the whole counsellors' group."""
    local_language: str | None = None
    """LOCAL_LANGUAGE: the suggested second language (unset: the content's source language)."""
    outbox_max_attempts: int = 8
    """Tries of an outbox row before it is set aside as a dead letter (OUTBOX_MAX_ATTEMPTS)."""
    workers: int = 1
    """Worker processes on one port (WORKERS or --workers); above 1 needs PostgreSQL."""
    retention_days: int = 365
    """Conversations of people inactive this long are erased like /delete (RETENTION_DAYS)."""
    log_format: str = "text"
    """LOG_FORMAT: `text` or `json` (one object a line, no personal data)."""
    whatsapp: WhatsAppConfig | None = None
    """Set when WHATSAPP_TOKEN and WHATSAPP_PHONE_NUMBER_ID are (bot.channels.whatsapp)."""
    telegram_bot_username: str | None = None
    """The bot's @name without the @, for invite links (TELEGRAM_BOT_USERNAME)."""
    whatsapp_number: str | None = None
    """The business number in digits, for wa.me invite links (WHATSAPP_NUMBER)."""
    retake_after_days: int = 14
    """Days after a finished topic before the bot offers, once, to take it again."""

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Config:
        """Read and check every variable; raise ConfigError naming the first bad one."""
        data_dir = Path(env.get("BOT_DATA_DIR", "var"))
        default_db = f"sqlite+aiosqlite:///{data_dir / 'bot.db'}"
        return cls(
            database_url=env.get("DATABASE_URL", default_db),
            web_host=env.get("WEB_HOST", "127.0.0.1"),
            web_port=_port(env, "WEB_PORT", 8080),
            public_url=_url(env, "PUBLIC_URL", "http://127.0.0.1:8080").rstrip("/"),
            data_dir=data_dir,
            content_path=Path(env.get("SPOCC_CONTENT", str(DEFAULT_CONTENT))),
            telegram_token=env.get("TELEGRAM_BOT_TOKEN") or None,
            telegram_api_base_url=_url(env, "TELEGRAM_API_BASE_URL", "https://api.telegram.org"),
            telegram_mode=_choice(env, "TELEGRAM_MODE", ("polling", "webhook"), "polling"),
            telegram_webhook_secret=_secret(env),
            telegram_counsellor_chat_id=_optional_int(env, "TELEGRAM_COUNSELLOR_CHAT_ID"),
            telegram_chat_rate=_positive(env, "TELEGRAM_CHAT_RATE", 1.0),
            telegram_global_rate=_positive(env, "TELEGRAM_GLOBAL_RATE", 30.0),
            counsellors=_counsellors(env.get("COUNSELLORS", "")),
            counsellor_reminder_minutes=_positive(env, "COUNSELLOR_REMINDER_MINUTES", 30.0),
            counsellor_group_language=_language(env, "COUNSELLOR_GROUP_LANGUAGE") or "en",
            local_language=_language(env, "LOCAL_LANGUAGE"),
            outbox_max_attempts=_at_least_one(env, "OUTBOX_MAX_ATTEMPTS", 8),
            workers=_at_least_one(env, "WORKERS", 1),
            retention_days=_at_least_one(env, "RETENTION_DAYS", 365),
            log_format=_choice(env, "LOG_FORMAT", ("text", "json"), "text"),
            whatsapp=WhatsAppConfig.from_env(env),
            telegram_bot_username=_matching(env, "TELEGRAM_BOT_USERNAME", _BOT_NAME, "") or None,
            whatsapp_number=_matching(env, "WHATSAPP_NUMBER", _DIGITS, "") or None,
            retake_after_days=_at_least_one(env, "RETAKE_AFTER_DAYS", 14),
        )


def _language(env: Mapping[str, str], name: str) -> str | None:
    raw = env.get(name, "").strip().lower()
    if raw and not re.fullmatch(r"[a-z]{2,3}", raw):
        raise ConfigError(f"{name}: {raw!r} is not a language code like sl or hr")
    return raw or None


def _port(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, str(default))
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        raise ConfigError(f"{name}: {raw!r} is not a port number (1-65535)")
    return int(raw)


def _url(env: Mapping[str, str], name: str, default: str) -> str:
    raw = env.get(name, default)
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"{name}: {raw!r} is not an http(s) URL")
    return raw


def _choice(env: Mapping[str, str], name: str, allowed: tuple[str, ...], default: str) -> str:
    raw = env.get(name, default)
    if raw not in allowed:
        raise ConfigError(f"{name}: {raw!r} must be one of {', '.join(allowed)}")
    return raw


def _optional_int(env: Mapping[str, str], name: str) -> int | None:
    raw = env.get(name)
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name}: {raw!r} is not a whole number") from None


def _positive(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name, str(default))
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if value <= 0:
        raise ConfigError(f"{name}: {raw!r} must be a positive number")
    return value


def _at_least_one(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, str(default))
    if not raw.isdigit() or int(raw) < 1:
        raise ConfigError(f"{name}: {raw!r} must be a whole number, 1 or more")
    return int(raw)


def _secret(env: Mapping[str, str]) -> str:
    raw = env.get("TELEGRAM_WEBHOOK_SECRET")
    if raw is None:
        return secrets.token_urlsafe(32)
    allowed = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
    if not 1 <= len(raw) <= 256 or not set(raw) <= allowed:
        raise ConfigError("TELEGRAM_WEBHOOK_SECRET: use 1-256 characters of A-Z a-z 0-9 _ -")
    return raw


def _counsellors(raw: str) -> tuple[tuple[str, int, bool], ...]:
    """`Ana Novak:123456:admin,Bo:654321` → (name, Telegram user id, admin) entries."""
    entries = []
    for item in filter(None, (part.strip() for part in raw.split(","))):
        parts = [part.strip() for part in item.split(":")]
        admin = len(parts) == 3 and parts[2].lower() == "admin"
        if (
            len(parts) not in (2, 3)
            or not parts[0]
            or not parts[1].isdigit()
            or (len(parts) == 3 and not admin)
        ):
            raise ConfigError(f"COUNSELLORS: {item!r} is not NAME:TELEGRAM_USER_ID[:admin]")
        entries.append((parts[0], int(parts[1]), admin))
    return tuple(entries)


# -- WhatsApp (Cloud API) ---------------------------------------------------------------------

_TEMPLATE = re.compile(r"^([a-z0-9_]{1,512}):([A-Za-z]{2,3}(?:_[A-Za-z]{2,4})?)$")
GRAPH_URL = "https://graph.facebook.com"
GRAPH_VERSION = "v23.0"
_VERSION = re.compile(r"^v\d{1,3}\.\d$")


@dataclass(frozen=True, slots=True)
class WhatsAppConfig:
    """The WhatsApp channel's settings; see the README's WhatsApp section."""

    token: str = field(repr=False)
    phone_number_id: str
    app_secret: str = field(repr=False)
    verify_token: str = field(repr=False)
    api_base_url: str = GRAPH_URL
    api_version: str = GRAPH_VERSION
    template: tuple[str, str] | None = None
    """(name, language) of the approved template sent outside the 24-hour window."""
    chat_rate: float = 1 / 6
    chat_burst: int = 45
    global_rate: float = 80.0

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> WhatsAppConfig | None:
        """None unless both WHATSAPP_TOKEN and WHATSAPP_PHONE_NUMBER_ID are set."""
        token, number = env.get("WHATSAPP_TOKEN"), env.get("WHATSAPP_PHONE_NUMBER_ID")
        if not token and not number:
            return None
        if not token:
            raise ConfigError("WHATSAPP_TOKEN: required with WHATSAPP_PHONE_NUMBER_ID")
        if not number or not number.isdigit():
            raise ConfigError("WHATSAPP_PHONE_NUMBER_ID: the number's id (digits) is required")
        return cls(
            token=token,
            phone_number_id=number,
            app_secret=_required(env, "WHATSAPP_APP_SECRET"),
            verify_token=_required(env, "WHATSAPP_VERIFY_TOKEN"),
            api_base_url=_url(env, "WHATSAPP_API_BASE_URL", GRAPH_URL).rstrip("/"),
            api_version=_matching(env, "WHATSAPP_API_VERSION", _VERSION, GRAPH_VERSION),
            template=_template(env.get("WHATSAPP_TEMPLATE_CONTINUE", "")),
            chat_rate=_positive(env, "WHATSAPP_CHAT_RATE", 1 / 6),
            chat_burst=int(_positive(env, "WHATSAPP_CHAT_BURST", 45)),
            global_rate=_positive(env, "WHATSAPP_GLOBAL_RATE", 80.0),
        )


def _required(env: Mapping[str, str], name: str) -> str:
    raw = env.get(name, "")
    if not raw.strip():
        raise ConfigError(f"{name}: required when WhatsApp is on")
    return raw


def _matching(env: Mapping[str, str], name: str, pattern: re.Pattern[str], default: str) -> str:
    raw = env.get(name, default)
    if not pattern.match(raw):
        raise ConfigError(f"{name}: {raw!r} does not look like {default!r}")
    return raw


def _template(raw: str) -> tuple[str, str] | None:
    """`continue_chat:en` → ("continue_chat", "en"); empty → None."""
    if not raw:
        return None
    found = _TEMPLATE.match(raw)
    if found is None:
        raise ConfigError(
            f"WHATSAPP_TEMPLATE_CONTINUE: {raw!r} is not NAME:LANGUAGE (continue_chat:en)"
        )
    return found.group(1), found.group(2)

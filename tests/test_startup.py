"""Start-up with broken configuration: one clear line naming the problem, nothing stored lost."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bot.config import DEFAULT_CONTENT, Config, ConfigError

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """A port nobody listens on now (the bot binds it before anything else)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def start(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Run `python -m bot` with these variables; it must stop by itself."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE", "WEB_", "TELE"))}
    base.update({"BOT_DATA_DIR": str(tmp_path), "WEB_PORT": str(free_port()), **env})
    return subprocess.run(
        [sys.executable, "-m", "bot"],
        cwd=tmp_path,
        env=base,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DATABASE_URL", "nope://"),
        ("DATABASE_URL", "postgresql+asyncpg://bot:s3cret@127.0.0.1:1/x"),
        ("DATABASE_URL", "sqlite+aiosqlite:////nonexistent-dir/deeper/x.db"),
        ("WEB_PORT", "eighty"),
        ("PUBLIC_URL", "ftp://example.org"),
        ("TELEGRAM_MODE", "carrier-pigeon"),
    ],
)
def test_a_bad_variable_stops_startup_with_one_line(
    tmp_path: Path, variable: str, value: str
) -> None:
    result = start(tmp_path, **{variable: value})
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert variable in lines[0]
    assert "s3cret" not in result.stderr + result.stdout


def test_a_broken_content_file_names_the_item(tmp_path: Path) -> None:
    broken = tmp_path / "spocc.yaml"
    text = DEFAULT_CONTENT.read_text(encoding="utf-8")
    broken.write_text(text.replace("id: SC-SOC-02", "id: SC-SOC-01", 1), encoding="utf-8")
    result = start(tmp_path, SPOCC_CONTENT=str(broken))
    assert result.returncode == 2
    assert "SC-SOC-01" in result.stderr
    assert "Traceback" not in result.stderr


def test_config_defaults_work_without_any_variable() -> None:
    config = Config.from_env({})
    assert config.database_url.startswith("sqlite+aiosqlite:///")
    assert (config.web_host, config.web_port) == ("127.0.0.1", 8080)


def test_a_bad_webhook_secret_is_refused() -> None:
    with pytest.raises(ConfigError, match="TELEGRAM_WEBHOOK_SECRET"):
        Config.from_env({"TELEGRAM_WEBHOOK_SECRET": "has spaces"})


def _badge_key_dir(tmp_path: Path) -> Path:
    """A data directory whose badge key the bot made on a first start (no server needed)."""
    from bot.badges.keys import KEY_DIR, load_or_create

    load_or_create(tmp_path)
    return tmp_path / KEY_DIR


def _empty_current(tmp_path: Path) -> str:
    (_badge_key_dir(tmp_path) / "current").write_bytes(b"")
    return "current"


def _missing_private_key(tmp_path: Path) -> str:
    directory = _badge_key_dir(tmp_path)
    kid = (directory / "current").read_text(encoding="ascii").strip()
    (directory / f"{kid}.pem").unlink()
    return f"{kid}.pem"


def _malformed_private_key(tmp_path: Path) -> str:
    directory = _badge_key_dir(tmp_path)
    kid = (directory / "current").read_text(encoding="ascii").strip()
    (directory / f"{kid}.pem").write_bytes(b"-----BEGIN PRIVATE KEY-----\ngarbage\n")
    return f"{kid}.pem"


def _empty_session_key(tmp_path: Path) -> str:
    (tmp_path / "console-session.key").write_bytes(b"")
    return "console-session.key"


def _short_session_key(tmp_path: Path) -> str:
    (tmp_path / "console-session.key").write_bytes(b"x" * 31)
    return "console-session.key"


@pytest.mark.parametrize(
    "damage",
    [
        _empty_current,
        _missing_private_key,
        _malformed_private_key,
        _empty_session_key,
        _short_session_key,
    ],
)
def test_a_damaged_key_file_stops_startup_with_one_line_naming_it(
    tmp_path: Path, damage: Callable[[Path], str]
) -> None:
    name = damage(tmp_path)
    result = start(tmp_path)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert name in lines[0]


def assert_one_line_naming(result: subprocess.CompletedProcess[str], *names: str) -> None:
    """Exit code 2 and a single line on stderr that names every one of `names`."""
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 2, result.stderr
    assert len(lines) == 1, result.stderr
    for name in names:
        assert name in lines[0]


@pytest.fixture
def listening() -> Iterator[int]:
    """A port someone else already listens on."""
    with socket.create_server(("127.0.0.1", 0)) as taken:
        yield taken.getsockname()[1]


def test_a_data_dir_that_is_a_file_stops_startup(tmp_path: Path) -> None:
    a_file = tmp_path / "not-a-dir"
    a_file.write_text("x", encoding="utf-8")
    result = start(tmp_path, BOT_DATA_DIR=str(a_file))
    assert_one_line_naming(result, "BOT_DATA_DIR", str(a_file))


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only directories")
def test_a_read_only_data_dir_stops_startup(tmp_path: Path) -> None:
    read_only = tmp_path / "ro"
    read_only.mkdir(mode=0o555)
    result = start(tmp_path, BOT_DATA_DIR=str(read_only))
    assert_one_line_naming(result, "BOT_DATA_DIR", str(read_only))


@pytest.mark.skipif(not Path("/proc/1").is_dir(), reason="needs Linux /proc")
def test_a_data_dir_nobody_may_write_in_stops_startup(tmp_path: Path) -> None:
    # /proc/1 is a directory that even root cannot create files in.
    result = start(tmp_path, BOT_DATA_DIR="/proc/1")
    assert_one_line_naming(result, "BOT_DATA_DIR", "/proc/1")


def test_a_port_in_use_stops_startup_before_migrations(tmp_path: Path, listening: int) -> None:
    result = start(tmp_path, WEB_PORT=str(listening))
    assert_one_line_naming(result, "WEB_PORT", str(listening))
    assert not (tmp_path / "bot.db").exists()


@pytest.mark.parametrize("host", ["no-such-host.invalid", "999.1.1.1", "192.0.2.1"])
def test_a_bad_web_host_stops_startup_before_migrations(tmp_path: Path, host: str) -> None:
    result = start(tmp_path, WEB_HOST=host)
    assert_one_line_naming(result, "WEB_HOST", host)
    assert not (tmp_path / "bot.db").exists()


@pytest.mark.parametrize("kind", ["missing", "a directory"])
def test_a_missing_content_file_stops_startup_before_migrations(tmp_path: Path, kind: str) -> None:
    content = tmp_path / "content"
    if kind == "a directory":
        content.mkdir()
    result = start(tmp_path, SPOCC_CONTENT=str(content))
    assert_one_line_naming(result, "SPOCC_CONTENT", str(content))
    assert not (tmp_path / "bot.db").exists()

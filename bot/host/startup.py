"""Start-up checks that touch the machine: data dir, content file, listening socket."""

from __future__ import annotations

import errno
import socket
import tempfile
from pathlib import Path

from bot.config import Config, ConfigError


def check_data_dir(path: Path) -> None:
    """Create BOT_DATA_DIR if needed and prove a file can be written in it.

    Raises:
        ConfigError: naming BOT_DATA_DIR, when it is a file or cannot be written in.
    """
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=path):
            pass
    except FileExistsError:
        raise ConfigError(f"BOT_DATA_DIR: {str(path)!r} is a file, not a directory") from None
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise ConfigError(f"BOT_DATA_DIR: cannot write in {str(path)!r} ({reason})") from None


def check_content(path: Path) -> None:
    """Make sure SPOCC_CONTENT is a readable file (its content is checked when loaded).

    Raises:
        ConfigError: naming SPOCC_CONTENT, when it is missing, a directory or unreadable.
    """
    try:
        with path.open("rb"):
            pass
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise ConfigError(f"SPOCC_CONTENT: cannot read {str(path)!r} ({reason})") from None


def listen(config: Config, *, reuse_port: bool = False) -> socket.socket:
    """Bind and listen on WEB_HOST:WEB_PORT now, before the database is opened or migrated.

    Connections that arrive before the app serves wait in the socket's backlog. With
    `reuse_port`, several workers each bind a socket of their own to the same port and the
    kernel spreads new connections evenly over them (SO_REUSEPORT).

    Raises:
        ConfigError: naming WEB_HOST or WEB_PORT, whichever is at fault.
    """
    host, port = config.web_host, config.web_port
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
        family, address = found[0][0], found[0][4]
    except (OSError, UnicodeError) as exc:
        reason = getattr(exc, "strerror", None) or type(exc).__name__
        message = f"WEB_HOST: {host!r} is not an address to listen on ({reason})"
        raise ConfigError(message) from None
    try:
        return socket.create_server(address, family=family, backlog=128, reuse_port=reuse_port)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        if exc.errno == errno.EADDRNOTAVAIL:
            raise ConfigError(f"WEB_HOST: {host!r} is not an address of this machine") from None
        raise ConfigError(f"WEB_PORT: cannot listen on {host}:{port} ({reason})") from None

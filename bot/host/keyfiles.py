"""Secret key files written atomically (temporary file, fsync, link or rename, fsync dir)."""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from pathlib import Path

from bot.config import ConfigError


class KeyFileError(ConfigError):
    """A key file is missing, too short or malformed; the message names the file."""


def create_once(path: Path, data: bytes) -> bytes:
    """Write `data` to `path` unless it exists; return what `path` holds afterwards.

    The content goes to a temporary file in the same directory, is fsynced, then hard-linked
    to `path` (which, unlike a rename, never replaces a file another process made first),
    and the directory is fsynced. A crash leaves either no file or the whole file.
    """
    temporary = _written_temporary(path, data)
    try:
        os.link(temporary, path)
    except FileExistsError:
        return path.read_bytes()  # another worker won the race: use its key
    finally:
        temporary.unlink()
    _fsync_directory(path.parent)
    return data


def replace(path: Path, data: bytes) -> None:
    """Atomically replace (or create) `path` with `data`, mode 0600."""
    temporary = _written_temporary(path, data)
    try:
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _fsync_directory(path.parent)


def read_key(path: Path, min_bytes: int, hint: str = "") -> bytes:
    """The bytes of a key file, refusing a missing, unreadable or short one.

    Args:
        path: The key file.
        min_bytes: The least length a good key has.
        hint: What the operator can do, added to the error line.

    Raises:
        KeyFileError: one line naming the file and what is wrong with it.
    """
    try:
        data = path.read_bytes()
    except OSError as error:
        raise KeyFileError(f"{path}: cannot read the key file ({error.strerror})") from None
    if len(data) < min_bytes:
        size = f"holds {len(data)} bytes, at least {min_bytes} are needed" if data else "is empty"
        raise KeyFileError(f"{path}: the key file {size}" + (f"; {hint}" if hint else ""))
    return data


def random_key(path: Path, size: int = 32, hint: str = "") -> bytes:
    """The key in `path`, made of `size` random bytes on first use (see `read_key`)."""
    if not path.exists():
        create_once(path, secrets.token_bytes(size))
    return read_key(path, size, hint)


def _written_temporary(path: Path, data: bytes) -> Path:
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    temporary = Path(name)  # mkstemp makes it 0600
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def _fsync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        with contextlib.suppress(OSError):  # some file systems cannot fsync a directory
            os.fsync(fd)
    finally:
        os.close(fd)

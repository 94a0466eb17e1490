"""The issuer's Ed25519 keys: created on first run, loaded after, rotated on demand.

Layout under ``<data dir>/badge-keys/``: ``<kid>.pem`` is the current private key
(mode 0600), ``<kid>.pub.pem`` are retired public keys kept so that badges signed
with them still verify, and ``current`` names the current kid.
Run ``python -m bot.badges.keys rotate --data-dir DIR`` to rotate.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from bot.badges.multibase import ed25519_multikey
from bot.host.keyfiles import KeyFileError, create_once, read_key, replace

KEY_DIR = "badge-keys"
KID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")
RESTORE = "restore badge-keys/ from a backup (a new key cannot verify the badges issued)"


@dataclass(frozen=True)
class PublicKey:
    """One published verification key.

    Attributes:
        kid: The key id (DID URL fragment).
        key: The Ed25519 public key.
    """

    kid: str
    key: Ed25519PublicKey

    @property
    def multikey(self) -> str:
        """Return the key as a Multikey ``publicKeyMultibase`` (``z6Mk…``)."""
        return ed25519_multikey(self.key)


@dataclass(frozen=True)
class IssuerKeys:
    """The current signing key plus every key ever published.

    Attributes:
        kid: The current key id.
        private_key: The current signing key.
        public_keys: All public keys, current first.
    """

    kid: str
    private_key: Ed25519PrivateKey
    public_keys: tuple[PublicKey, ...]


def _key_dir(data_dir: Path) -> Path:
    path = data_dir / KEY_DIR
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def _new_kid() -> str:
    return f"key-{datetime.now(UTC):%Y%m%d}-{secrets.token_hex(4)}"


def _private_pem(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _public_pem(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def _new_private(directory: Path) -> str:
    kid = _new_kid()
    create_once(directory / f"{kid}.pem", _private_pem(Ed25519PrivateKey.generate()))
    return kid


def _create(directory: Path) -> str:
    """The first key; of two workers starting at once, both end up with the winner's."""
    kid = _new_private(directory)
    current = create_once(directory / "current", f"{kid}\n".encode("ascii"))
    if current.decode("ascii", "replace").strip() != kid:
        (directory / f"{kid}.pem").unlink()
    return _read_kid(directory / "current")


def _read_kid(path: Path) -> str:
    kid = read_key(path, 1, RESTORE).decode("ascii", "replace").strip()
    if not KID.fullmatch(kid):
        raise KeyFileError(f"{path}: does not name a key (a line like key-20250101-0a1b2c3d)")
    return kid


def _load_private(path: Path) -> Ed25519PrivateKey:
    try:
        loaded = serialization.load_pem_private_key(read_key(path, 1, RESTORE), None)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        raise KeyFileError(f"{path}: not a readable PEM private key; {RESTORE}") from None
    if not isinstance(loaded, Ed25519PrivateKey):
        raise KeyFileError(f"{path}: not an Ed25519 private key; {RESTORE}")
    return loaded


def load_or_create(data_dir: Path) -> IssuerKeys:
    """Load the issuer keys from ``data_dir``, creating a key on first run.

    Args:
        data_dir: ``BOT_DATA_DIR``.

    Returns:
        The current key and all published public keys.

    Raises:
        KeyFileError: ``current`` is empty or names no key, or a key file is missing or
            malformed (one line naming the file).
    """
    directory = _key_dir(data_dir)
    current = directory / "current"
    kid = _read_kid(current) if current.exists() else _create(directory)
    loaded = _load_private(directory / f"{kid}.pem")
    old = [
        _load_public(path)
        for path in sorted(directory.glob("*.pub.pem"), reverse=True)
        if path.name != f"{kid}.pub.pem"
    ]
    return IssuerKeys(kid, loaded, (PublicKey(kid, loaded.public_key()), *old))


def _load_public(path: Path) -> PublicKey:
    try:
        key = serialization.load_pem_public_key(read_key(path, 1, RESTORE))
    except (ValueError, TypeError, UnsupportedAlgorithm):
        raise KeyFileError(f"{path}: not a readable PEM public key; {RESTORE}") from None
    if not isinstance(key, Ed25519PublicKey):
        raise KeyFileError(f"{path}: not an Ed25519 public key; {RESTORE}")
    return PublicKey(path.name.removesuffix(".pub.pem"), key)


def rotate(data_dir: Path) -> IssuerKeys:
    """Make a new signing key; keep the old public key published, drop its private key.

    Args:
        data_dir: ``BOT_DATA_DIR``.

    Returns:
        The keys after rotation.
    """
    old = load_or_create(data_dir)
    directory = _key_dir(data_dir)
    replace(directory / f"{old.kid}.pub.pem", _public_pem(old.private_key.public_key()))
    replace(directory / "current", f"{_new_private(directory)}\n".encode("ascii"))
    (directory / f"{old.kid}.pem").unlink()
    return load_or_create(data_dir)


def main(argv: list[str] | None = None) -> int:
    """Run the key CLI (``rotate`` or ``show``).

    Args:
        argv: Arguments, default ``sys.argv[1:]``.

    Returns:
        The exit code.
    """
    parser = argparse.ArgumentParser(prog="python -m bot.badges.keys")
    parser.add_argument("command", choices=["rotate", "show"])
    parser.add_argument(
        "--data-dir", type=Path, default=Path(os.environ.get("BOT_DATA_DIR", "var"))
    )
    args = parser.parse_args(argv)
    keys = rotate(args.data_dir) if args.command == "rotate" else load_or_create(args.data_dir)
    for public in keys.public_keys:
        marker = "current" if public.kid == keys.kid else "retired"
        print(f"{public.kid}\t{marker}\t{public.multikey}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

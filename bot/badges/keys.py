"""The issuer's Ed25519 keys: created on first run, loaded after, rotated on demand.

Layout under ``<data dir>/badge-keys/``: ``<kid>.pem`` is the current private key
(mode 0600), ``<kid>.pub.pem`` are retired public keys kept so that badges signed
with them still verify, and ``current`` names the current kid.
Run ``python -m bot.badges.keys rotate --data-dir DIR`` to rotate.
"""

from __future__ import annotations

import argparse
import os
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from bot.badges.multibase import ed25519_multikey

KEY_DIR = "badge-keys"


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


def _write_private(path: Path, key: Ed25519PrivateKey) -> None:
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    os.chmod(path, 0o600)  # the umask may have narrowed it further; be exact


def _write_public(path: Path, key: Ed25519PublicKey) -> None:
    pem = key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    path.write_bytes(pem)


def _create(directory: Path) -> str:
    kid = _new_kid()
    _write_private(directory / f"{kid}.pem", Ed25519PrivateKey.generate())
    (directory / "current").write_text(kid + "\n", encoding="ascii")
    return kid


def load_or_create(data_dir: Path) -> IssuerKeys:
    """Load the issuer keys from ``data_dir``, creating a key on first run.

    Args:
        data_dir: ``BOT_DATA_DIR``.

    Returns:
        The current key and all published public keys.
    """
    directory = _key_dir(data_dir)
    current = directory / "current"
    kid = current.read_text(encoding="ascii").strip() if current.exists() else _create(directory)
    loaded = serialization.load_pem_private_key((directory / f"{kid}.pem").read_bytes(), None)
    if not isinstance(loaded, Ed25519PrivateKey):
        raise TypeError(f"{kid}.pem is not an Ed25519 key")
    old = [
        _load_public(path)
        for path in sorted(directory.glob("*.pub.pem"), reverse=True)
        if path.name != f"{kid}.pub.pem"
    ]
    return IssuerKeys(kid, loaded, (PublicKey(kid, loaded.public_key()), *old))


def _load_public(path: Path) -> PublicKey:
    key = serialization.load_pem_public_key(path.read_bytes())
    if not isinstance(key, Ed25519PublicKey):
        raise TypeError(f"{path.name} is not an Ed25519 key")
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
    _write_public(directory / f"{old.kid}.pub.pem", old.private_key.public_key())
    _create(directory)
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

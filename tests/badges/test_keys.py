"""Issuer keys: 0600 on disk, stable across loads, rotation keeps old public keys."""

from __future__ import annotations

import stat
import subprocess
import sys
from pathlib import Path

import pytest

from bot.badges.did import did_document
from bot.badges.keys import KEY_DIR, load_or_create, main, rotate
from bot.badges.multibase import ed25519_from_multikey
from bot.badges.urls import BadgeUrls
from bot.host.keyfiles import KeyFileError


def _private_files(data_dir: Path) -> list[Path]:
    return [p for p in (data_dir / KEY_DIR).glob("*.pem") if not p.name.endswith(".pub.pem")]


def test_first_run_creates_a_0600_key(tmp_path: Path) -> None:
    keys = load_or_create(tmp_path)
    [path] = _private_files(tmp_path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.name == f"{keys.kid}.pem"


def test_key_is_loaded_after_first_run(tmp_path: Path) -> None:
    first, second = load_or_create(tmp_path), load_or_create(tmp_path)
    assert first.kid == second.kid
    assert first.public_keys[0].multikey == second.public_keys[0].multikey


def test_rotation_keeps_old_public_keys_only(tmp_path: Path) -> None:
    first = load_or_create(tmp_path)
    second = rotate(tmp_path)
    third = rotate(tmp_path)
    assert next(k.kid for k in third.public_keys) == third.kid
    assert {k.kid for k in third.public_keys} == {first.kid, second.kid, third.kid}
    [private] = _private_files(tmp_path)
    assert private.name == f"{third.kid}.pem"
    assert stat.S_IMODE(private.stat().st_mode) == 0o600


def test_did_document_lists_every_key(tmp_path: Path) -> None:
    load_or_create(tmp_path)
    keys = rotate(tmp_path)
    urls = BadgeUrls("https://badges.example.org/spocc/")
    doc = did_document(urls, keys.public_keys)
    assert doc["id"] == "did:web:badges.example.org:spocc"
    assert urls.did_document == "https://badges.example.org/spocc/did.json"
    methods = doc["verificationMethod"]
    assert [m["id"] for m in methods] == [f"{urls.did}#{k.kid}" for k in keys.public_keys]
    assert doc["assertionMethod"] == [m["id"] for m in methods]
    for method, key in zip(methods, keys.public_keys, strict=True):
        assert ed25519_from_multikey(method["publicKeyMultibase"]) == key.key


def test_cli_rotate(tmp_path: Path, capsys: object) -> None:
    assert main(["show", "--data-dir", str(tmp_path)]) == 0
    done = subprocess.run(
        [sys.executable, "-m", "bot.badges.keys", "rotate", "--data-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
    )
    lines = done.stdout.splitlines()
    assert len(lines) == 2
    assert "current" in lines[0]
    assert "retired" in lines[1]


def _current(data_dir: Path) -> Path:
    return data_dir / KEY_DIR / "current"


@pytest.mark.parametrize("content", [b"", b"\n", b"../../etc/passwd\n"])
def test_a_bad_current_file_is_refused_naming_it(tmp_path: Path, content: bytes) -> None:
    load_or_create(tmp_path)
    _current(tmp_path).write_bytes(content)
    with pytest.raises(KeyFileError, match="current"):
        load_or_create(tmp_path)


@pytest.mark.parametrize("content", [None, b"", b"-----BEGIN PRIVATE KEY-----\nnope\n"])
def test_a_missing_or_malformed_private_key_is_refused_naming_it(
    tmp_path: Path, content: bytes | None
) -> None:
    kid = load_or_create(tmp_path).kid
    path = tmp_path / KEY_DIR / f"{kid}.pem"
    if content is None:
        path.unlink()
    else:
        path.write_bytes(content)
    with pytest.raises(KeyFileError, match=f"{kid}.pem") as caught:
        load_or_create(tmp_path)
    assert "\n" not in str(caught.value)


def test_rotation_leaves_no_temporary_files(tmp_path: Path) -> None:
    load_or_create(tmp_path)
    keys = rotate(tmp_path)
    names = sorted(p.name for p in (tmp_path / KEY_DIR).iterdir())
    old = [k.kid for k in keys.public_keys[1:]]
    assert names == sorted(["current", f"{keys.kid}.pem", *(f"{kid}.pub.pem" for kid in old)])

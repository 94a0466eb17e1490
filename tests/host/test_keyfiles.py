"""Key files: written whole or not at all, shared by racing workers, refused when short."""

from __future__ import annotations

import stat
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bot.counsel.console.sessions import KEY_BYTES, KEY_FILE, load_or_create_key
from bot.host.keyfiles import KeyFileError, create_once, read_key, replace


def test_a_new_key_is_whole_private_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    key = load_or_create_key(tmp_path)
    assert len(key) == KEY_BYTES
    assert [p.name for p in tmp_path.iterdir()] == [KEY_FILE]
    assert stat.S_IMODE((tmp_path / KEY_FILE).stat().st_mode) == 0o600
    assert load_or_create_key(tmp_path) == key


@pytest.mark.parametrize("size", [0, 1, KEY_BYTES - 1])
def test_a_short_session_key_is_refused_naming_the_file(tmp_path: Path, size: int) -> None:
    (tmp_path / KEY_FILE).write_bytes(b"k" * size)
    with pytest.raises(KeyFileError, match=KEY_FILE) as caught:
        load_or_create_key(tmp_path)
    assert "\n" not in str(caught.value)


def test_racing_creators_all_get_the_first_written_key(tmp_path: Path) -> None:
    path, workers = tmp_path / "shared.key", 8
    start = threading.Barrier(workers)

    def create(n: int) -> bytes:
        start.wait()
        return create_once(path, bytes([n]) * 32)

    with ThreadPoolExecutor(workers) as pool:
        got = set(pool.map(create, range(workers)))
    assert got == {path.read_bytes()}
    assert [p.name for p in tmp_path.iterdir()] == ["shared.key"]


def test_replace_swaps_the_whole_content(tmp_path: Path) -> None:
    path = tmp_path / "current"
    replace(path, b"first\n")
    replace(path, b"second\n")
    assert read_key(path, 1) == b"second\n"
    assert [p.name for p in tmp_path.iterdir()] == ["current"]


def test_a_missing_key_file_is_one_line_naming_it(tmp_path: Path) -> None:
    with pytest.raises(KeyFileError, match=r"absent\.key") as caught:
        read_key(tmp_path / "absent.key", 1)
    assert "\n" not in str(caught.value)

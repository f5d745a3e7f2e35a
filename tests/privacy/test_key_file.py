"""Reading a pseudonymisation key given by the user: a file that is not one is named."""

from __future__ import annotations

from pathlib import Path

import pytest

import mio_core as m
from mio_core.privacy.pseudonyms import load_or_create_key


def test_a_key_file_of_raw_bytes_is_refused_naming_the_file(tmp_path: Path) -> None:
    # `openssl rand 32 > key` writes raw bytes, not the 64 hex digits a key file holds.
    path = tmp_path / "raw.key"
    path.write_bytes(bytes(range(200, 232)))

    with pytest.raises(m.MioError, match=r"raw\.key is not a pseudonymisation key"):
        load_or_create_key(path)


def test_a_key_file_that_is_a_folder_is_refused_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "keys"
    path.mkdir()

    with pytest.raises(m.MioError, match=r"keys: cannot read the pseudonymisation key"):
        load_or_create_key(path)


def test_a_new_key_file_inside_the_workspace_is_refused_and_not_created(workspace: Path) -> None:
    # The workspace is kept in git: a key created beside its files would be committed.
    key = workspace / "research.key"

    with pytest.raises(m.MioError, match=r"research\.key is inside the workspace"):
        m.prepare_source(m.load_workspace(workspace), m.load_registry(), key_file=key)
    assert not key.exists()


def test_a_new_key_file_outside_the_workspace_is_created(workspace: Path, tmp_path: Path) -> None:
    key = tmp_path / "keys" / "research.key"
    key.parent.mkdir()

    m.prepare_source(m.load_workspace(workspace), m.load_registry(), key_file=key)

    assert len(bytes.fromhex(key.read_text(encoding="ascii"))) == 32

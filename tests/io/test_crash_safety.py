"""Nothing lost: a write that fails half-way (the rename never happens) leaves every file as
it was and no temporary behind — saving, importing, exporting and erasing alike."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import attrs
import pytest

import mio_core as m
from mio_core.io import atomic_write
from mio_core.testing import make_registry

from ..helpers import snapshot

REGISTRY = make_registry(builtins=True)


def temporaries(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.name.endswith((".tmp", ".old"))]


@pytest.fixture
def failing_rename(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every rename fails, as if the machine died between writing and renaming."""

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)


def test_a_failed_save_leaves_every_file_as_it_was(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    loaded = m.load_workspace(workspace)
    changed = attrs.evolve(loaded, participants=loaded.participants[1:])
    before = snapshot(workspace)

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        m.save_workspace(changed, workspace)
    assert snapshot(workspace) == before
    assert temporaries(workspace) == []


def test_a_failed_import_leaves_the_old_answers(
    workspace: Path, tmp_path: Path, failing_rename: None
) -> None:
    export = tmp_path / "survey.csv"
    export.write_text("respondent,ops1\np01,4\n", encoding="utf-8")
    before = snapshot(workspace)
    with pytest.raises(OSError):
        m.import_responses(
            workspace, export, "mio-utilisation", "follow-up:6m", REGISTRY, replace=True
        )
    assert snapshot(workspace) == before
    assert temporaries(workspace) == []


def test_a_failed_export_leaves_no_file(
    workspace: Path, tmp_path: Path, failing_rename: None
) -> None:
    source = m.prepare_source(m.load_workspace(workspace), REGISTRY, identified=True)
    out = tmp_path / "out"
    out.mkdir()
    for name in ("json", "csv"):
        with pytest.raises(OSError):
            m.run_export(REGISTRY.exporter(name), source, out / f"export-{name}")
    assert list(out.iterdir()) == []


def test_a_failed_erasure_erases_nothing(workspace: Path, failing_rename: None) -> None:
    before = snapshot(workspace)
    with pytest.raises(OSError):
        m.erase_participant(workspace, "p03")
    assert snapshot(workspace) == before


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="Linux shows the umask")
def test_a_new_file_gets_the_umask_without_the_umask_being_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # os.umask is read by setting it: meanwhile a file that another thread of an embedding
    # application creates would get mode 0666
    current = os.umask(0o022)
    os.umask(current)
    calls: list[int] = []
    real = os.umask

    def spy(mask: int) -> int:
        calls.append(mask)
        return real(mask)

    monkeypatch.setattr(os, "umask", spy)
    atomic_write(tmp_path / "new.txt", "x")
    assert calls == []
    assert (tmp_path / "new.txt").stat().st_mode & 0o777 == 0o666 & ~current


def fail_on_call(number: int, real: Any) -> Any:
    """Wrap ``real`` so that its ``number``-th call fails as a full disk does."""
    calls = 0

    def wrapper(*args: object, **kwargs: object) -> object:
        nonlocal calls
        calls += 1
        if calls == number:
            raise OSError(28, "No space left on device")
        return real(*args, **kwargs)

    return wrapper


def entity_files(folder: Path) -> dict[str, str]:
    return {name: digest for name, digest in snapshot(folder).items() if ".mio" not in name}


def test_an_erasure_whose_third_rename_fails_changes_no_file(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = entity_files(workspace)
    monkeypatch.setattr(os, "replace", fail_on_call(3, os.replace))
    with pytest.raises(OSError):
        m.erase_participant(workspace, "p01")
    assert entity_files(workspace) == before
    assert temporaries(workspace) == []


def test_an_erasure_that_runs_out_of_space_on_its_third_file_changes_no_file(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = entity_files(workspace)
    monkeypatch.setattr(os, "fsync", fail_on_call(3, os.fsync))
    with pytest.raises(OSError):
        m.erase_participant(workspace, "p01")
    assert entity_files(workspace) == before
    assert temporaries(workspace) == []


def test_an_erasure_interrupted_between_renames_can_be_run_again(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as patch:
        patch.setattr(os, "replace", fail_on_call(5, os.replace))
        with pytest.raises(OSError):
            m.erase_participant(workspace, "p01")
    m.erase_participant(workspace, "p01")
    assert m.validate_workspace(workspace, REGISTRY) == []


def test_a_folder_that_cannot_be_written_is_named_by_the_file_asked_for(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def read_only(*args: object, dir: str, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", f"{dir}/.people.yaml.x1y2.tmp")

    monkeypatch.setattr(tempfile, "mkstemp", read_only)
    with pytest.raises(PermissionError) as caught:
        m.erase_participant(workspace, "p01")
    assert Path(caught.value.filename).name == "people.yaml"

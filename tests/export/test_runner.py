"""Exports appear whole or not at all, and never touch the workspace."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import IO

import pytest

import mio_core as m

from ..helpers import snapshot


def source(example: Path) -> m.ExportSource:
    return m.ExportSource(workspace=m.load_workspace(example), registry=m.Registry())


def ids(source: m.ExportSource, stream: IO[str], options: object) -> None:
    for person in source.workspace.participants:
        stream.write(person.id + "\n")


def failing(source: m.ExportSource, stream: IO[str], options: object) -> None:
    stream.write("half of it\n")
    raise RuntimeError("disk on fire")


def tables(source: m.ExportSource, folder: Path, options: object) -> None:
    (folder / "participants.csv").write_text(
        "id\n" + "\n".join(p.id for p in source.workspace.participants)
    )
    if options == "fail":
        raise RuntimeError("half a folder")


def exporter(write: object, kind: str = "text") -> m.Exporter:
    return m.Exporter(
        name="test", title="Test", suffix=".txt", media_type="text/plain", write=write, kind=kind
    )


def test_a_text_export_is_written(example: Path, tmp_path: Path) -> None:
    out = m.run_export(exporter(ids), source(example), tmp_path / "ids.txt")
    assert out.read_text().splitlines()[:2] == ["p01", "p02"]


def test_a_failing_export_leaves_no_file_and_the_old_one_intact(
    example: Path, tmp_path: Path
) -> None:
    out = m.run_export(exporter(ids), source(example), tmp_path / "ids.txt")
    earlier = out.read_bytes()
    before = snapshot(example)
    with pytest.raises(RuntimeError, match="disk on fire"):
        m.run_export(exporter(failing), source(example), out, force=True)
    assert out.read_bytes() == earlier
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ids.txt"]
    assert snapshot(example) == before


def test_force_does_not_replace_a_file_of_the_format_no_export_wrote_there(
    example: Path, tmp_path: Path
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("my own notes\n")  # UTF-8 text with the suffix: looks like the format
    with pytest.raises(m.MioError, match="no 'test' export of this workspace wrote it"):
        m.run_export(exporter(ids), source(example), notes, force=True)
    assert notes.read_text() == "my own notes\n"


def test_force_does_not_replace_an_export_edited_since_it_was_written(
    example: Path, tmp_path: Path
) -> None:
    out = m.run_export(exporter(ids), source(example), tmp_path / "ids.txt")
    out.write_text(out.read_text() + "my note\n")
    with pytest.raises(m.MioError, match="has changed since mio exported it"):
        m.run_export(exporter(ids), source(example), out, force=True)
    assert out.read_text().endswith("my note\n")


def test_force_replaces_an_export_as_it_was_written(example: Path, tmp_path: Path) -> None:
    out = m.run_export(exporter(ids), source(example), tmp_path / "ids.txt")
    m.run_export(exporter(ids), source(example), out, force=True)
    assert out.read_text().splitlines()[:2] == ["p01", "p02"]


def test_a_folder_export_replaces_the_folder_whole(example: Path, tmp_path: Path) -> None:
    out = tmp_path / "tables"
    m.run_export(exporter(tables, kind="folder"), source(example), out)
    assert (out / "participants.csv").read_text().startswith("id\np01")
    with pytest.raises(RuntimeError):
        m.run_export(
            exporter(tables, kind="folder"), source(example), out, options="fail", force=True
        )
    assert (out / "participants.csv").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tables"]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_a_folder_export_gets_the_mode_a_file_export_gets(example: Path, tmp_path: Path) -> None:
    # not the owner-only mode of the temporary folder it was written in
    folder = m.run_export(exporter(tables, kind="folder"), source(example), tmp_path / "tables")
    file = m.run_export(exporter(ids), source(example), tmp_path / "ids.txt")
    umask = os.umask(0o022)
    os.umask(umask)
    assert folder.stat().st_mode & 0o777 == 0o777 & ~umask
    assert file.stat().st_mode & 0o777 == 0o666 & ~umask


def test_force_replaces_an_export_recorded_before_another_clones_line_for_the_same_path(
    example: Path, tmp_path: Path
) -> None:
    # A workspace kept in git: a merge puts another clone's export to the same path (on
    # that clone's computer) after this clone's own line in the audit log.
    out = m.run_export(exporter(ids), source(example), tmp_path / "ids.txt")
    log = example / ".mio" / "audit.log"
    own = log.read_text(encoding="utf-8").splitlines()[-1]
    other = own.replace(json.loads(own)["sha256"], "0" * 64)
    log.write_text(log.read_text(encoding="utf-8") + other + "\n", encoding="utf-8")

    m.run_export(exporter(ids), source(example), out, force=True)

    assert out.read_text().splitlines()[:2] == ["p01", "p02"]


def test_force_replaces_an_export_that_reached_this_clone_at_another_path(
    example: Path, tmp_path: Path
) -> None:
    # Committed beside the workspace in one clone, pulled into another: same bytes, and the
    # merged audit log records the first clone's absolute path.
    out = m.run_export(exporter(ids), source(example), tmp_path / "a" / "ids.txt")
    moved = tmp_path / "b" / "ids.txt"
    moved.parent.mkdir()
    out.rename(moved)

    m.run_export(exporter(ids), source(example), moved, force=True)

    assert moved.read_text().splitlines()[:2] == ["p01", "p02"]


def test_force_does_not_replace_an_edited_export_that_reached_this_clone(
    example: Path, tmp_path: Path
) -> None:
    out = m.run_export(exporter(ids), source(example), tmp_path / "a" / "ids.txt")
    moved = tmp_path / "b" / "ids.txt"
    moved.parent.mkdir()
    moved.write_text(out.read_text() + "my note\n")

    with pytest.raises(m.MioError, match="no 'test' export of this workspace wrote it"):
        m.run_export(exporter(ids), source(example), moved, force=True)
    assert moved.read_text().endswith("my note\n")

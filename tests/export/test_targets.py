"""An export writes only to a new path or over an earlier export of the same format."""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import IO

import attrs
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mio_core as m
from mio_core.cli import main
from mio_core.export import check_target
from mio_core.export.targets import MANIFEST
from mio_core.testing import make_registry

REGISTRY = make_registry(builtins=True)


def state(folder: Path) -> dict[str, tuple[str, bytes, int]]:
    """Every entry below ``folder`` (itself included): kind, bytes and st_mtime_ns."""
    found = {}
    for path in [folder, *sorted(folder.rglob("*"))]:
        info = path.lstat()
        if path.is_symlink():
            found[str(path)] = ("link", os.readlink(path).encode(), info.st_mtime_ns)
        elif path.is_dir():
            found[str(path)] = ("folder", b"", info.st_mtime_ns)
        else:
            found[str(path)] = ("file", path.read_bytes(), info.st_mtime_ns)
    return found


def source_of(folder: Path) -> m.ExportSource:
    return m.prepare_source(m.load_workspace(folder), REGISTRY, identified=True)


def export_cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["export", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


# Each refused target: (format, how to make it given the workspace and a scratch folder,
# extra arguments, what the message says).
Setup = Callable[[Path, Path], Path]


def _workspace_itself(ws: Path, tmp: Path) -> Path:
    return ws


def _folder_inside(ws: Path, tmp: Path) -> Path:
    return ws / "responses"


def _new_folder_inside(ws: Path, tmp: Path) -> Path:
    return ws / "exports" / "csv"


def _file_inside(ws: Path, tmp: Path) -> Path:
    return ws / "concept.yaml"


def _folder_holding(ws: Path, tmp: Path) -> Path:
    (tmp / "sibling.txt").write_text("mine\n", encoding="utf-8")
    return tmp


def _link_to_workspace(ws: Path, tmp: Path) -> Path:
    link = tmp / "link"
    link.symlink_to(ws, target_is_directory=True)
    return link


def _user_folder(ws: Path, tmp: Path) -> Path:
    home = tmp / "home"
    home.mkdir()
    (home / "thesis.docx").write_bytes(b"PK\x03\x04 my thesis")
    return home


def _file_for_folder(ws: Path, tmp: Path) -> Path:
    notes = tmp / "notes.txt"
    notes.write_text("my notes\n", encoding="utf-8")
    return notes


def _folder_for_file(ws: Path, tmp: Path) -> Path:
    folder = tmp / "report.json"
    folder.mkdir()
    (folder / "keep.txt").write_text("mine\n", encoding="utf-8")
    return folder


def _other_suffix(ws: Path, tmp: Path) -> Path:
    notes = tmp / "notes.txt"
    notes.write_text('{"mine": true}\n', encoding="utf-8")
    return notes


def _same_suffix_other_content(ws: Path, tmp: Path) -> Path:
    data = tmp / "data.json"
    data.write_bytes(b"\x00\x01 not json at all")
    return data


def _html_that_is_not_a_report(ws: Path, tmp: Path) -> Path:
    page = tmp / "page.html"
    page.write_text("<p>my page</p>\n", encoding="utf-8")
    return page


def _earlier_csv(ws: Path, tmp: Path) -> Path:
    out = tmp / "csv"
    m.run_export(REGISTRY.exporter("csv"), source_of(ws), out)
    return out


def _earlier_csv_with_a_user_file(ws: Path, tmp: Path) -> Path:
    out = _earlier_csv(ws, tmp)
    (out / "analysis.R").write_text("summary(answers)\n", encoding="utf-8")
    return out


def _earlier_csv_with_a_user_folder(ws: Path, tmp: Path) -> Path:
    out = _earlier_csv(ws, tmp)
    (out / "figures").mkdir()
    return out


def _earlier_csv_changed(ws: Path, tmp: Path) -> Path:
    out = _earlier_csv(ws, tmp)
    with (out / "answers.csv").open("a", encoding="utf-8") as stream:
        stream.write("a row I added by hand\n")
    return out


def _folder_with_a_forged_manifest(ws: Path, tmp: Path) -> Path:
    out = tmp / "csv"
    out.mkdir()
    (out / MANIFEST).write_text('{"format": "csv"}', encoding="utf-8")
    (out / "answers.csv").write_text("mine\n", encoding="utf-8")
    return out


def _earlier_json(ws: Path, tmp: Path) -> Path:
    out = tmp / "out.json"
    m.run_export(REGISTRY.exporter("json"), source_of(ws), out)
    return out


REFUSED: dict[str, tuple[str, Setup, tuple[str, ...], str]] = {
    "the workspace": ("csv", _workspace_itself, ("--force",), "the workspace itself"),
    "a folder inside it": ("csv", _folder_inside, ("--force",), "inside the workspace"),
    "a new folder inside it": ("csv", _new_folder_inside, (), "inside the workspace"),
    "a file inside it": ("yaml", _file_inside, ("--force",), "inside the workspace"),
    "a folder holding it": ("csv", _folder_holding, ("--force",), "holds the workspace"),
    "a link to it": ("csv", _link_to_workspace, ("--force",), "the workspace itself"),
    "a user's folder": ("csv", _user_folder, ("--force",), "no mio export wrote"),
    "a file for a folder": ("csv", _file_for_folder, ("--force",), "writes a folder"),
    "a folder for a file": ("json", _folder_for_file, ("--force",), "is a folder"),
    "a file of another suffix": ("json", _other_suffix, ("--force",), "not a .json file"),
    "a file of another content": (
        "json",
        _same_suffix_other_content,
        ("--force",),
        "does not look like",
    ),
    "an html page": ("html", _html_that_is_not_a_report, ("--force",), "<!DOCTYPE html"),
    "an earlier folder export without --force": ("csv", _earlier_csv, (), "--force"),
    "an earlier file export without --force": ("json", _earlier_json, (), "--force"),
    "another format's folder": ("datapackage", _earlier_csv, ("--force",), "not 'datapackage'"),
    "an export with a user's file": (
        "csv",
        _earlier_csv_with_a_user_file,
        ("--force",),
        "analysis.R",
    ),
    "an export with a user's folder": (
        "csv",
        _earlier_csv_with_a_user_folder,
        ("--force",),
        "figures",
    ),
    "an export changed by hand": ("csv", _earlier_csv_changed, ("--force",), "answers.csv"),
    "a forged manifest": ("csv", _folder_with_a_forged_manifest, ("--force",), "no mio export"),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_the_cli_refuses_the_target_and_touches_nothing(
    case: str, workspace: Path, tmp_path: Path
) -> None:
    name, setup, extra, message = REFUSED[case]
    if name == "html":
        pytest.importorskip("mio_report")
    out = setup(workspace, tmp_path)
    before = state(tmp_path)
    code, output = export_cli(str(workspace), "--format", name, "--out", str(out), *extra)
    assert code == 1, output
    assert message in output and "Traceback" not in output
    assert state(tmp_path) == before  # the workspace too: no pseudonym key was created


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_run_export_refuses_the_target_and_touches_nothing(
    case: str, workspace: Path, tmp_path: Path
) -> None:
    name, setup, extra, message = REFUSED[case]
    registry = m.load_registry(strict=True) if name == "html" else REGISTRY
    if name not in registry.exporters:
        pytest.skip(f"{name} is not installed")
    out = setup(workspace, tmp_path)
    source = source_of(workspace)
    before = state(tmp_path)
    with pytest.raises(m.MioError) as raised:
        m.run_export(registry.exporter(name), source, out, force="--force" in extra)
    assert message in str(raised.value)
    assert state(tmp_path) == before


def test_check_target_takes_the_target_as_text(workspace: Path, tmp_path: Path) -> None:
    # docs/exports.md: check_target(exporter, path, ...); a str was an AttributeError
    exporter = REGISTRY.exporter("csv")
    assert check_target(exporter, str(tmp_path / "new")) == (tmp_path / "new").resolve()
    with pytest.raises(m.MioError, match="inside the workspace"):
        check_target(exporter, str(workspace / "out"), workspace_root=str(workspace))


def test_a_new_path_is_written_with_its_folders(workspace: Path, tmp_path: Path) -> None:
    code, output = export_cli(
        str(workspace), "--format", "json", "--out", str(tmp_path / "a" / "b" / "out.json")
    )
    assert code == 0, output
    assert json.loads((tmp_path / "a" / "b" / "out.json").read_text(encoding="utf-8"))


def test_an_empty_folder_takes_a_folder_export_without_force(
    workspace: Path, tmp_path: Path
) -> None:
    (tmp_path / "csv").mkdir()
    code, output = export_cli(str(workspace), "--format", "csv", "--out", str(tmp_path / "csv"))
    assert code == 0, output
    assert (tmp_path / "csv" / "answers.csv").is_file()


def test_the_cli_replaces_an_earlier_folder_export_only_with_force(
    workspace: Path, tmp_path: Path
) -> None:
    out = tmp_path / "csv"
    assert export_cli(str(workspace), "--format", "csv", "--out", str(out), "--identified")[0] == 0
    before = state(tmp_path)
    assert export_cli(str(workspace), "--format", "csv", "--out", str(out))[0] == 1
    assert state(tmp_path) == before
    code, output = export_cli(str(workspace), "--format", "csv", "--out", str(out), "--force")
    assert code == 0, output
    participants = (out / "participants.csv").read_text(encoding="utf-8").splitlines()
    assert not participants[1].startswith("p01,")  # pseudonymised this time
    assert sorted(p.name for p in tmp_path.iterdir()) == ["csv", "mio"]  # nothing left over


def test_the_cli_replaces_an_earlier_file_export_only_with_force(
    workspace: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out.json"
    assert export_cli(str(workspace), "--format", "json", "--out", str(out), "--identified")[0] == 0
    before = state(tmp_path)
    assert export_cli(str(workspace), "--format", "json", "--out", str(out))[0] == 1
    assert state(tmp_path) == before
    code, output = export_cli(str(workspace), "--format", "json", "--out", str(out), "--force")
    assert code == 0, output
    assert json.loads(out.read_text(encoding="utf-8"))["identified"] is False


def test_run_export_replaces_an_earlier_export_with_force(workspace: Path, tmp_path: Path) -> None:
    out = _earlier_csv(workspace, tmp_path)
    (out / "answers.csv").unlink()  # a file the export wrote, removed: still refused
    with pytest.raises(m.MioError, match="changed or removed"):
        m.run_export(REGISTRY.exporter("csv"), source_of(workspace), out, force=True)
    out = _earlier_csv(workspace, tmp_path / "again")
    m.run_export(REGISTRY.exporter("csv"), source_of(workspace), out, force=True)
    assert (out / "answers.csv").is_file()


def test_a_folder_export_lists_what_it_wrote_in_its_manifest(
    workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    out = m.run_export(REGISTRY.exporter("datapackage"), source_of(workspace), tmp_path / "pkg")
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["format"] == "datapackage" and manifest["mio_core"] == m.__version__
    assert manifest["generated"] == "2023-11-14T22:13:20Z"
    assert set(manifest["files"]) == {p.name for p in out.iterdir()} - {MANIFEST}


def test_a_workspace_built_in_python_is_guarded_by_an_explicit_root(
    workspace: Path, tmp_path: Path
) -> None:
    source = source_of(workspace)
    loose = attrs.evolve(source, workspace=attrs.evolve(source.workspace, origin=None))
    before = state(tmp_path)
    with pytest.raises(m.MioError, match="inside the workspace"):
        m.run_export(
            REGISTRY.exporter("json"), loose, workspace / "out.json", workspace_root=workspace
        )
    assert state(tmp_path) == before


def _sneaky(out: Path, kind: str) -> m.Exporter:
    """An exporter during whose run the user puts something of their own at ``out``."""

    def write(source: m.ExportSource, target: IO[str] | Path, options: object) -> None:
        if kind == "folder":
            assert isinstance(target, Path)
            (target / "table.csv").write_text("id\n", encoding="utf-8")
            out.mkdir()
            (out / "thesis.docx").write_bytes(b"mine")
        else:
            assert not isinstance(target, Path)
            target.write("export\n")
            out.write_text("mine\n", encoding="utf-8")

    return m.Exporter(
        name="sneaky",
        title="Sneaky",
        suffix=".txt",
        media_type="text/plain",
        write=write,
        kind=kind,
    )


@pytest.mark.parametrize("kind", ["text", "folder"])
def test_what_appears_at_the_target_during_an_export_is_kept(
    workspace: Path, tmp_path: Path, kind: str
) -> None:
    out = tmp_path / ("out" if kind == "folder" else "out.txt")
    with pytest.raises(m.MioError):
        m.run_export(_sneaky(out, kind), source_of(workspace), out)
    mine = out / "thesis.docx" if kind == "folder" else out
    assert mine.read_bytes() in (b"mine", b"mine\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mio", out.name]  # no temporaries


NAMES = st.text(alphabet="abcdefghij_.-", min_size=1, max_size=8).filter(
    lambda name: name not in {".", "..", "table.csv", MANIFEST}
)


@functools.cache
def example_source(root: Path) -> m.ExportSource:
    """The example loaded from ``root``, a copy: an export appends to its audit log."""
    return m.ExportSource(workspace=m.load_workspace(root), registry=REGISTRY)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    added=st.dictionaries(NAMES, st.binary(max_size=20), min_size=1, max_size=4),
    nested=st.booleans(),
)
def test_a_folder_export_with_anything_added_is_never_replaced(
    tmp_path_factory: pytest.TempPathFactory, example: Path, added: dict[str, bytes], nested: bool
) -> None:
    root = tmp_path_factory.mktemp("out")
    source = example_source(example)

    def tables(source: m.ExportSource, folder: Path, options: object) -> None:
        (folder / "table.csv").write_text("id\n1\n", encoding="utf-8")

    exporter = m.Exporter(
        name="tables", title="Tables", suffix="", media_type="text/csv", write=tables, kind="folder"
    )
    out = m.run_export(exporter, source, root / "tables")
    place = out / "sub" if nested else out
    place.mkdir(exist_ok=True)
    for name, data in added.items():
        (place / name).write_bytes(data)
    before = state(root)
    with pytest.raises(m.MioError, match="did not write"):
        m.run_export(exporter, source, out, force=True)
    assert state(root) == before

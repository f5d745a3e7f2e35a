"""The same workspace and options give the same bytes in every installed format."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

import mio_core as m
from mio_core.cli import main
from mio_core.export.targets import MANIFEST

from ..helpers import INSTRUMENT_FORMATS
from ..readback import STATS_SUFFIXES, stats_file_text

REGISTRY = m.load_registry(strict=True)  # every installed format, first-party plugins too

# Exports every installed format of the workspace argv[1] into the new folder argv[2], once
# per language argv[3:] (a subfolder each), pseudonymised with the workspace's own key.
EXPORT_ALL = """
import sys
from pathlib import Path
import mio_core as m

INSTRUMENT_FORMATS = {instrument_formats!r}
registry = m.load_registry(strict=True)
workspace = m.load_workspace(sys.argv[1])
for language in sys.argv[3:]:
    source = m.prepare_source(workspace, registry, language=language)
    for name, exporter in sorted(registry.exporters.items()):
        needs = name in INSTRUMENT_FORMATS
        values = {"instrument": "mio-module-evaluation"} if needs else {}
        options = m.export.make_options(exporter, values)
        out = Path(sys.argv[2]) / language / f"{name}{exporter.suffix}"
        m.run_export(exporter, source, out, options)
""".replace("{instrument_formats!r}", repr(INSTRUMENT_FORMATS))


def options_for(name: str) -> dict[str, str]:
    return {"instrument": "mio-module-evaluation"} if name in INSTRUMENT_FORMATS else {}


def files(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def export_all_in_a_new_process(
    workspace: Path, out: Path, seed: str, languages: tuple[str, ...]
) -> None:
    environment = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", "PYTHONHASHSEED": seed}
    subprocess.run(
        [sys.executable, "-c", EXPORT_ALL, str(workspace), str(out), *languages],
        check=True,
        env=environment,
        timeout=300,
    )


def test_every_installed_format_gives_the_same_bytes_twice(workspace: Path, tmp_path: Path) -> None:
    # Two processes with different hash seeds and memory layouts: set order or a repr
    # (an address) that leaks into an export shows up as a difference. Each process writes
    # both languages (one interpreter start and plugin load for both).
    languages = ("sv", "en")
    export_all_in_a_new_process(workspace, tmp_path / "first", "1", languages)
    export_all_in_a_new_process(workspace, tmp_path / "second", "2", languages)
    first, second = files(tmp_path / "first"), files(tmp_path / "second")
    for language in languages:
        formats = {
            name.split("/")[1].split(".")[0] for name in first if name.startswith(f"{language}/")
        }
        assert formats == set(REGISTRY.exporters), language
    assert first.keys() == second.keys()
    differ = [name for name in first if first[name] != second[name]]
    assert differ == []


def test_source_date_epoch_is_the_generation_date_of_every_dated_export(
    workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "946684800")  # 2000-01-01T00:00:00Z
    source = m.prepare_source(m.load_workspace(workspace), REGISTRY, language="en")
    package = m.run_export(REGISTRY.exporter("datapackage"), source, tmp_path / "pkg")
    described = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    assert described["created"] == "2000-01-01T00:00:00+00:00"
    manifest = json.loads((package / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["generated"] == "2000-01-01T00:00:00Z"
    if "html" in REGISTRY.exporters:
        report = m.run_export(REGISTRY.exporter("html"), source, tmp_path / "r.html")
        assert "2000-01-01" in report.read_text(encoding="utf-8")
    for name in ("xlsx", "xlsform"):
        if name not in REGISTRY.exporters:
            continue
        exporter = REGISTRY.exporter(name)
        options = m.export.make_options(exporter, options_for(name))
        workbook = m.run_export(exporter, source, tmp_path / f"{name}.xlsx", options)
        with zipfile.ZipFile(workbook) as archive:
            assert {info.date_time for info in archive.infolist()} == {(2000, 1, 1, 0, 0, 0)}
            core = archive.read("docProps/core.xml").decode("utf-8")
        assert core.count("2000-01-01T00:00:00Z") == 2  # created and modified


def test_a_bad_source_date_epoch_is_refused_before_anything_is_written(
    workspace: Path, tmp_path: Path
) -> None:
    result = CliRunner().invoke(
        main,
        ["export", str(workspace), "--format", "json", "--out", str(tmp_path / "out.json")],
        env={"SOURCE_DATE_EPOCH": "yesterday"},
    )
    assert result.exit_code == 1
    assert "SOURCE_DATE_EPOCH" in result.output and "'yesterday'" in result.output
    assert not (tmp_path / "out.json").exists()


REPRS = ("object at 0x", "built-in method", "bound method", "<function ", "{{", "{%", "{#")


def readable_text(path: Path) -> str:
    """Every text in an export: each file of a folder, each member of a zip (workbooks)."""
    if path.is_dir():
        return "\n".join(readable_text(p) for p in sorted(path.rglob("*")) if p.is_file())
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            return "\n".join(archive.read(n).decode("utf-8") for n in archive.namelist())
    if path.suffix in STATS_SUFFIXES:
        return stats_file_text(path)
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("name", sorted(REGISTRY.exporters))
def test_no_export_shows_a_python_repr_or_template_syntax(
    workspace: Path, tmp_path: Path, name: str, language: str
) -> None:
    source = m.prepare_source(m.load_workspace(workspace), REGISTRY, language=language)
    exporter = REGISTRY.exporter(name)
    options = m.export.make_options(exporter, options_for(name))
    out = m.run_export(exporter, source, tmp_path / f"{name}{exporter.suffix}", options)
    text = readable_text(out)
    assert text
    assert [pattern for pattern in REPRS if pattern in text] == []

"""One precedence for plugin and workspace instruments: Registry.instruments_for."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

import mio_core as m
from mio_core.evaluation import all_instruments
from mio_core.testing import make_registry

REGISTRY = make_registry(builtins=True)
TARGET = "responses/mio-utilisation.follow-up.6m.csv"


@pytest.fixture
def shadowing(workspace: Path) -> Path:
    """The example workspace with its own mio-utilisation, on a 0-10 scale."""
    text = (
        resources.files("mio_core.data")
        .joinpath("instruments/mio-utilisation.yaml")
        .read_text("utf-8")
    )
    text = text.replace("  min: 1\n  max: 5\n", "  min: 0\n  max: 10\n").replace(
        "    9: {sv: Vet ej", "    99: {sv: Vet ej"
    )
    (workspace / "instruments").mkdir(exist_ok=True)
    (workspace / "instruments" / "mio-utilisation.yaml").write_text(text, encoding="utf-8")
    return workspace


def test_the_workspaces_own_instrument_takes_the_place_of_a_plugins(shadowing: Path) -> None:
    instruments = REGISTRY.instruments_for(m.load_workspace(shadowing))
    assert instruments["mio-utilisation"].scales[0].max == 10
    assert instruments["mio-coaching"] is REGISTRY.instruments["mio-coaching"]


def test_validation_warns_of_the_clash_naming_the_plugin(shadowing: Path) -> None:
    problems = m.validate_workspace(shadowing, REGISTRY)
    [clash] = [p for p in problems if p.code == "instrument-clash"]
    assert clash.severity == "warning"
    assert clash.file == "instruments/mio-utilisation.yaml"
    assert "mio_core.builtin.instruments" in clash.message


def test_validation_reads_answers_on_the_workspaces_scale(shadowing: Path) -> None:
    (shadowing / TARGET).write_text("respondent,ops1\np01,7\n", encoding="utf-8")
    problems = m.validate_workspace(shadowing, REGISTRY)
    assert [p for p in problems if p.severity == "error"] == []


def test_an_import_reads_answers_on_the_workspaces_scale(shadowing: Path, tmp_path: Path) -> None:
    export = tmp_path / "export.csv"
    export.write_text("respondent,ops1\np01,7\n", encoding="utf-8")
    report = m.import_responses(
        shadowing, export, "mio-utilisation", "follow-up:6m", REGISTRY, replace=True
    )
    assert report.written


def test_evaluation_and_exports_use_the_same_instruments(shadowing: Path) -> None:
    workspace = m.load_workspace(shadowing)
    source = m.ExportSource(workspace=workspace, registry=REGISTRY)
    expected = REGISTRY.instruments_for(workspace)
    assert all_instruments(workspace, REGISTRY) == expected == dict(source.instruments())

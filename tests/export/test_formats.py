"""The built-in export formats, checked by real clients, and pseudonymisation."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import attrs
import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mio_core as m
from mio_core.cli import main
from mio_core.privacy.pseudonyms import Pseudonymiser, load_or_create_key, pseudonymise
from mio_core.testing import copy_workspace, make_registry

from ..helpers import (
    EXAMPLE,
    INSTRUMENT_FORMATS,
    all_text,
    mixed_models_fitted_once,
    readable,
    snapshot,
)


@pytest.fixture(scope="module")
def registry() -> m.Registry:
    return make_registry(builtins=True)


def source_of(folder: Path, registry: m.Registry, **options: object) -> m.ExportSource:
    return m.prepare_source(m.load_workspace(folder), registry, **options)  # type: ignore[arg-type]


def test_the_data_package_passes_frictionless_validate(
    workspace: Path, tmp_path: Path, registry: m.Registry
) -> None:
    from frictionless import validate

    out = m.run_export(
        registry.exporter("datapackage"), source_of(workspace, registry), tmp_path / "pkg"
    )
    report = validate(out / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    resources = {r["name"]: r for r in package["resources"]}
    assert {
        "answers",
        "scores",
        "group_results",
        "attendance",
        "coaching_sessions",
        "projects",
        "codebook",
    } <= set(resources)
    answers = resources["answers"]["schema"]
    assert answers["primaryKey"] == ["respondent", "instrument", "occasion", "item"]
    assert answers["foreignKeys"] == [
        {"fields": "respondent", "reference": {"resource": "participants", "fields": "participant"}}
    ]
    present = next(f for f in resources["attendance"]["schema"]["fields"] if f["name"] == "present")
    assert present["categories"] == [  # the workspace's language, Swedish
        {"value": 0, "label": "frånvarande"},
        {"value": 1, "label": "närvarande"},
    ]


def test_the_codebook_describes_every_column_and_item_label(
    workspace: Path, tmp_path: Path, registry: m.Registry
) -> None:
    out = m.run_export(
        registry.exporter("csv"), source_of(workspace, registry, language="en"), tmp_path / "csv"
    )
    import csv

    codebook = list(csv.DictReader((out / "codebook.csv").open(encoding="utf-8")))
    described = {(row["table"], row["variable"]) for row in codebook}
    for table in out.glob("*.csv"):
        if table.name == "codebook.csv":
            continue
        header = table.read_text(encoding="utf-8").splitlines()[0].split(",")
        for column in header:
            assert (table.stem, column) in described, (table.stem, column)
    labels = {(row["variable"], row["value"]): row["label"] for row in codebook if row["value"]}
    assert labels[("mio-module-evaluation/rel1", "5")] == "Strongly agree"
    assert labels[("mio-module-evaluation/rel1", "9")] == "Don't know"


def test_group_results_are_suppressed_in_the_export(
    workspace: Path, tmp_path: Path, registry: m.Registry
) -> None:
    import csv

    out = m.run_export(registry.exporter("csv"), source_of(workspace, registry), tmp_path / "csv")
    rows = list(csv.DictReader((out / "group_results.csv").open(encoding="utf-8")))
    hidden = [r for r in rows if r["suppressed"]]
    assert hidden and all(r["n"] == "" and r["mean"] == "" for r in hidden)
    assert all(int(r["n"]) >= 5 for r in rows if not r["suppressed"])
    shown = {
        (r["instrument"], r["occasion"], r["item"], r["group"])
        for r in csv.DictReader((out / "distributions.csv").open(encoding="utf-8"))
    }
    assert not {(r["instrument"], r["occasion"], r["measure"], r["group"]) for r in hidden} & shown


@pytest.mark.parametrize("name", ["json", "yaml", "markdown"])
def test_document_formats(workspace: Path, tmp_path: Path, registry: m.Registry, name: str) -> None:
    exporter = registry.exporter(name)
    out = m.run_export(
        exporter, source_of(workspace, registry, language="en"), tmp_path / f"out{exporter.suffix}"
    )
    text = out.read_text(encoding="utf-8")
    if name == "json":
        data = json.loads(text)
        assert data["identified"] is False and len(data["workspace"]["participants"]) == 24
        assert data["evaluation"]["changes"]
    elif name == "yaml":
        data = yaml.safe_load(text)
        assert data["workspace"]["concept"]["id"] == "mio"
    else:
        assert text.startswith("# The MIO development concept")
        assert "## L1 reaction" in text and "Cronbach's alpha" in text


def test_pseudonyms_are_stable_with_one_key_and_differ_with_another(
    workspace: Path, tmp_path: Path
) -> None:
    loaded = m.load_workspace(workspace)
    first = pseudonymise(loaded, Pseudonymiser(load_or_create_key(tmp_path / "a.key")))
    again = pseudonymise(loaded, Pseudonymiser(load_or_create_key(tmp_path / "a.key")))
    other = pseudonymise(loaded, Pseudonymiser(load_or_create_key(tmp_path / "b.key")))
    assert [p.id for p in first.participants] == [p.id for p in again.participants]
    assert not {p.id for p in first.participants} & {p.id for p in other.participants}
    assert m.validate_workspace is not None
    assert oct((tmp_path / "a.key").stat().st_mode & 0o777) == "0o600"


def test_the_key_is_created_beside_the_workspace_ignored_by_git_and_never_exported(
    workspace: Path, tmp_path: Path
) -> None:
    result = CliRunner().invoke(
        main, ["export", str(workspace), "--format", "json", "--out", str(tmp_path / "x.json")]
    )
    assert result.exit_code == 0, result.output
    key = workspace / ".mio" / "pseudonym.key"
    assert key.is_file() and "pseudonym.key" in (workspace / ".mio" / ".gitignore").read_text()
    assert key.read_text().strip() not in (tmp_path / "x.json").read_text()


def test_a_pseudonymised_workspace_still_validates_and_evaluates_the_same(
    workspace: Path, registry: m.Registry
) -> None:
    loaded = m.load_workspace(workspace)
    hidden = pseudonymise(loaded, Pseudonymiser(b"k" * 32))
    assert m.check_workspace(hidden, registry) == []
    plain, masked = m.evaluate(loaded, registry), m.evaluate(hidden, registry)
    assert [c.mean_difference for c in plain.changes] == [c.mean_difference for c in masked.changes]


NAMES = st.tuples(
    st.sampled_from(["Astrid", "Bengt", "Cecilia", "Dragan", "Elsa", "Fatima", "Göran", "Hanna"]),
    st.sampled_from(["Lindgren", "Öberg", "Yilmaz", "Karlsson", "Nguyen", "Åström"]),
    st.integers(100, 999),
)


@pytest.fixture(scope="module")
def installed() -> m.Registry:
    return m.load_registry(strict=True)  # every installed format, first-party plugins too


# One example exports every installed format (seconds: xlsx, and the analysis format's mixed
# models, fitted once for the first example), so three, not five: each renames all 24
# participants, so the two random examples beside the simplest one still put 48 drawn names
# and e-mails (Swedish letters among them) through every format.
@settings(
    max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(NAMES, min_size=24, max_size=24, unique=True))
def test_no_research_export_contains_a_name_or_email(
    tmp_path_factory: pytest.TempPathFactory,
    installed: m.Registry,
    key_file: Path,
    fits: dict[tuple[str, ...], Any],
    names: list[tuple[str, str, int]],
) -> None:
    folder = tmp_path_factory.mktemp("ws")
    copy_workspace(EXAMPLE, folder, dirs_exist_ok=True)
    loaded = m.load_workspace(folder)
    people = tuple(
        attrs.evolve(p, name=f"{first} {last}{n}", email=f"{first.lower()}.{n}@kommun.example")
        for p, (first, last, n) in zip(loaded.participants, names, strict=True)
    )
    m.save_workspace(attrs.evolve(loaded, participants=people), folder)
    source = source_of(folder, installed, key_file=key_file)
    out = tmp_path_factory.mktemp("out")
    texts = []
    for name, exporter in installed.exporters.items():
        values = {"instrument": "mio-module-evaluation"} if name in INSTRUMENT_FORMATS else {}
        options = m.export.make_options(exporter, values)
        with mixed_models_fitted_once(fits):  # names never reach a model: fit each once
            target = m.run_export(exporter, source, out / f"{name}{exporter.suffix}", options)
        texts.append(readable(target))
    text = "\n".join(texts)
    for person in people:
        assert person.name not in text and person.email not in text
    ids = {row.split(",")[0] for row in all_text(out / "csv" / "participants.csv").splitlines()}
    assert not ids & {p.id for p in people}


def test_an_identified_export_keeps_names(
    workspace: Path, tmp_path: Path, registry: m.Registry
) -> None:
    out = m.run_export(
        registry.exporter("csv"), source_of(workspace, registry, identified=True), tmp_path / "csv"
    )
    header, first = (out / "participants.csv").read_text(encoding="utf-8").splitlines()[:2]
    assert header.startswith("participant,name,email,unit,")
    assert first.startswith("p01,")


def test_export_refuses_a_workspace_with_errors(workspace: Path, tmp_path: Path) -> None:
    (workspace / "people.yaml").write_text(
        (workspace / "people.yaml").read_text(encoding="utf-8").replace("  email:", "  emial:", 1),
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        main, ["export", str(workspace), "--format", "csv", "--out", str(tmp_path / "csv")]
    )
    assert result.exit_code == 1 and "emial" in result.output
    assert not (tmp_path / "csv").exists()


def test_formats_lists_every_format() -> None:
    result = CliRunner().invoke(main, ["formats", "--format", "json"])
    names = {row["name"] for row in json.loads(result.output)}
    assert {"csv", "datapackage", "json", "yaml", "markdown"} <= names


SLOW_PLUGIN = """
import mio_core as m

def write(source, stream, options):
    stream.write("partial")
    stream.flush()
    print("writing", flush=True)
    time.sleep(60)

@m.hookimpl
def mio_register_exporters():
    return [m.Exporter(name="slow", title="Slow", suffix=".txt", media_type="text/plain",
                       write=write)]
"""


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGKILL])
def test_an_interrupted_or_killed_export_leaves_no_output(
    workspace: Path, tmp_path: Path, how: signal.Signals
) -> None:
    plugin = tmp_path / "slow_plugin.py"
    plugin.write_text(textwrap.dedent(SLOW_PLUGIN), encoding="utf-8")
    out = tmp_path / "out" / "export.txt"
    out.parent.mkdir()
    before = snapshot(workspace)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mio_core",
            "--plugin",
            str(plugin),
            "export",
            str(workspace),
            "--format",
            "slow",
            "--out",
            str(out),
            "--identified",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    # what a plugin prints goes to stderr, naming it (mio_core.plugins.output)
    assert process.stderr is not None
    assert process.stderr.readline().strip() == (
        "mio: warning: plugin 'slow_plugin' printed to standard output: writing"
    )
    process.send_signal(how)
    process.wait(timeout=30)
    assert not out.exists()
    leftovers = list(out.parent.iterdir())
    if how == signal.SIGINT:
        assert leftovers == []  # cleaned up on Ctrl-C
    else:
        assert all(
            p.name.startswith(".export.txt.") for p in leftovers
        )  # only the hidden temporary
    assert snapshot(workspace) == before

"""Exports kept in the cache (.mio/cache/exports/): copied when nothing they came from
changed, never outliving the data they came from, never trusted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mio_core.cli import main
from mio_core.export.reproducible import generation_date, generation_time, time_used
from mio_core.io.cache import cache_folder
from mio_core.privacy import audit

from ..helpers import count_calls, files


@pytest.fixture(autouse=True)
def _cache_on(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("MIO_NO_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")


def export(
    workspace: Path, out: Path, format_name: str = "csv", *extra: str, no_cache: bool = False
) -> Path:
    command = ["export", str(workspace), "--format", format_name, "--out", str(out), *extra]
    result = CliRunner().invoke(main, command, env={"MIO_NO_CACHE": "1" if no_cache else ""})
    assert result.exit_code == 0, result.output
    return out


def kept(workspace: Path) -> tuple[list[Path], list[Path]]:
    """Return the kept export records and files of the workspace's cache."""
    folder = cache_folder(workspace) / "exports"
    records = sorted(p for p in folder.glob("*.json")) if folder.exists() else []
    blobs = sorted((folder / "blobs").iterdir()) if (folder / "blobs").exists() else []
    return records, blobs


def count_work(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    import mio_core.evaluation
    import mio_core.io.cache
    import mio_core.io.read

    return count_calls(
        monkeypatch,
        {
            "read": [(mio_core.io.read, "read_file"), (mio_core.io.cache, "read_file")],
            "evaluate": [(mio_core.evaluation, "evaluate")],
        },
    )


@pytest.mark.parametrize("format_name", ["csv", "html", "json"])
def test_a_warm_export_is_copied_without_reading_or_evaluating(
    workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, format_name: str
) -> None:
    export(workspace, tmp_path / "cold", format_name)
    calls = count_work(monkeypatch)
    export(workspace, tmp_path / "warm", format_name)
    assert calls == {"read": 0, "evaluate": 0}
    assert files(tmp_path / "warm") == files(tmp_path / "cold")


def test_a_copied_export_is_recorded_in_the_audit_log_like_a_computed_one(
    workspace: Path, tmp_path: Path
) -> None:
    export(workspace, tmp_path / "cold")
    export(workspace, tmp_path / "warm")
    computed, copied = audit.read(workspace)[-2:]
    for entry in (computed, copied):
        del entry["time"], entry["target"]
    assert copied == computed


def test_a_copied_folder_export_gets_its_own_manifest(
    workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    export(workspace, tmp_path / "cold")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    export(workspace, tmp_path / "warm")
    monkeypatch.setenv("MIO_NO_CACHE", "1")
    uncached = export(workspace, tmp_path / "uncached", no_cache=True)
    assert files(tmp_path / "warm") == files(uncached)


def test_a_report_generated_on_another_day_is_not_copied(
    workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    export(workspace, tmp_path / "first.html", "html")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(1700000000 + 86400))
    later = export(workspace, tmp_path / "later.html", "html")
    uncached = export(workspace, tmp_path / "uncached.html", "html", no_cache=True)
    assert later.read_bytes() == uncached.read_bytes()
    assert later.read_bytes() != (tmp_path / "first.html").read_bytes()


def test_a_report_generated_later_the_same_day_is_copied(
    workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    export(workspace, tmp_path / "first.html", "html")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(1700000000 + 60))
    calls = count_work(monkeypatch)
    export(workspace, tmp_path / "later.html", "html")
    assert calls["evaluate"] == 0


def test_an_export_that_shows_the_second_is_copied_only_for_the_same_second(
    workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    export(workspace, tmp_path / "first", "datapackage")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(1700000000 + 1))
    later = export(workspace, tmp_path / "later", "datapackage")
    uncached = export(workspace, tmp_path / "uncached", "datapackage", no_cache=True)
    assert files(later) == files(uncached)


def test_withdrawn_research_consent_leaves_the_person_out_of_the_next_export(
    workspace: Path, tmp_path: Path
) -> None:
    before = export(workspace, tmp_path / "before")
    people = workspace / "people.yaml"
    text = people.read_text(encoding="utf-8")
    first = "  sector: elder-care\n"
    people.write_text(text.replace(first, first + "  research_consent: false\n", 1), "utf-8")
    after = export(workspace, tmp_path / "after")
    uncached = export(workspace, tmp_path / "uncached", no_cache=True)
    assert files(after) == files(uncached)
    assert files(after) != files(before)


def test_kept_exports_of_a_file_state_that_is_gone_are_deleted_when_the_cache_is_written(
    workspace: Path, tmp_path: Path
) -> None:
    export(workspace, tmp_path / "csv")
    export(workspace, tmp_path / "report.html", "html")
    old_records, old_blobs = kept(workspace)
    assert old_records and old_blobs
    people = workspace / "people.yaml"
    text = people.read_text(encoding="utf-8")
    first = "  sector: elder-care\n"  # a consent withdrawn: the data changed
    people.write_text(text.replace(first, first + "  research_consent: false\n", 1), "utf-8")
    result = CliRunner().invoke(main, ["validate", str(workspace)])
    assert result.exit_code == 0, result.output
    assert kept(workspace) == ([], [])
    # Of the kept results, only the one just computed for the new state is left.
    assert len(list((cache_folder(workspace) / "results").iterdir())) == 1


def test_an_edit_of_a_comment_keeps_the_exports_and_results_of_the_same_data(
    workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = export(workspace, tmp_path / "csv")
    before = kept(workspace)
    people = workspace / "people.yaml"
    people.write_text(people.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    work = count_work(monkeypatch)
    again = export(workspace, tmp_path / "again")
    assert work == {"read": 1, "evaluate": 0}  # people.yaml read again, nothing computed
    assert kept(workspace) == before
    assert files(again) == files(first)


def test_a_new_pseudonymisation_key_is_not_served_the_old_export(
    workspace: Path, tmp_path: Path
) -> None:
    first = export(workspace, tmp_path / "first")
    key = workspace / ".mio" / "pseudonym.key"
    key.unlink()
    second = export(workspace, tmp_path / "second")
    assert files(second)["answers.csv"] != files(first)["answers.csv"]


def test_an_erasure_deletes_every_kept_export(workspace: Path, tmp_path: Path) -> None:
    export(workspace, tmp_path / "csv", "csv", "--identified")
    result = CliRunner().invoke(main, ["erase", str(workspace), "p01", "--yes"])
    assert result.exit_code == 0, result.output
    assert kept(workspace) == ([], [])


def test_an_export_with_no_cache_keeps_nothing(workspace: Path, tmp_path: Path) -> None:
    export(workspace, tmp_path / "csv", no_cache=True)
    assert not cache_folder(workspace).exists()


#: What an uncached csv export of the example writes, computed once per workspace folder.
_UNCACHED: dict[Path, dict[str, bytes]] = {}


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(
    which=st.sampled_from(["record", "blob"]),
    data=st.binary(max_size=300),
    keep=st.integers(0, 400),
)
def test_a_corrupt_or_truncated_kept_export_is_ignored(
    workspace: Path, tmp_path_factory: pytest.TempPathFactory, which: str, data: bytes, keep: int
) -> None:
    out = tmp_path_factory.mktemp("export")
    if workspace not in _UNCACHED:
        _UNCACHED[workspace] = files(export(workspace, out / "uncached", no_cache=True))
    export(workspace, out / "cold")
    records, blobs = kept(workspace)
    path = records[0] if which == "record" else max(blobs, key=lambda p: p.stat().st_size)
    original = path.read_bytes()
    path.write_bytes(original[:keep] + data if keep else data)
    assert files(export(workspace, out / "warm")) == _UNCACHED[workspace]


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(
    field=st.sampled_from(["files", "counts", "time", "key", "workspace"]),
    value=st.none() | st.integers() | st.text(max_size=5) | st.lists(st.text(max_size=5)),
)
def test_a_kept_export_record_edited_without_the_users_signature_is_ignored(
    workspace: Path, tmp_path_factory: pytest.TempPathFactory, field: str, value: object
) -> None:
    out = tmp_path_factory.mktemp("export")
    if workspace not in _UNCACHED:
        _UNCACHED[workspace] = files(export(workspace, out / "uncached", no_cache=True))
    export(workspace, out / "cold")
    record = kept(workspace)[0][0]
    mac, _, text = record.read_bytes().partition(b"\n")
    data = json.loads(text)
    data[field] = value
    record.write_bytes(mac + b"\n" + json.dumps(data).encode())
    assert files(export(workspace, out / "warm")) == _UNCACHED[workspace]


def test_the_generation_time_an_export_used_is_watched() -> None:
    with time_used() as nothing:
        pass
    with time_used() as day:
        generation_date()
    with time_used() as second:
        generation_time()
    assert (nothing, day, second) == (set(), {"date"}, {"time"})


def test_an_exporter_whose_code_changed_without_a_new_version_is_not_served_the_old_copy(
    workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A plugin installed editable changes its code, not its version.
    import importlib
    import sys

    from mio_core.export import export_workspace
    from mio_core.plugins.interfaces import Exporter
    from mio_core.plugins.manager import load_registry

    package = tmp_path / "code" / "kept_probe"
    package.mkdir(parents=True)
    monkeypatch.syspath_prepend(str(package.parent))
    monkeypatch.delitem(sys.modules, "kept_probe", raising=False)
    registry = load_registry()
    written = []
    for version in ("one", "version two"):
        source = f"def write(source, stream, options):\n    stream.write({version!r})\n"
        (package / "__init__.py").write_text(source, encoding="utf-8")
        module = importlib.reload(sys.modules["kept_probe"]) if written else None
        module = module or importlib.import_module("kept_probe")
        probe = Exporter(
            name="probe", title="Probe", suffix=".txt", media_type="text/plain", write=module.write
        )
        out = tmp_path / f"{len(written)}.txt"
        export_workspace(workspace, registry, probe, out, identified=True, cache=True)
        written.append(out.read_text(encoding="utf-8"))
    assert written == ["one", "version two"]

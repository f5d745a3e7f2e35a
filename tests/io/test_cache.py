"""The workspace cache (.mio/cache/): an optimisation only, never trusted, never foreign."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mio_core.cli import main
from mio_core.io import read_workspace
from mio_core.io.cache import WorkspaceCache, cache_folder, clear_cache, user_key
from mio_core.io.jsonio import to_json
from mio_core.io.workspace import LoadResult
from mio_core.plugins.manager import load_registry

from ..helpers import INSTRUMENT_FORMATS, count_calls, files

REGISTRY = load_registry()


@pytest.fixture(autouse=True)
def _cache_on(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("MIO_NO_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")


def run(*args: str, no_cache: bool = False) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), env={"MIO_NO_CACHE": "1" if no_cache else ""})
    return result.exit_code, result.output


def same(a: LoadResult, b: LoadResult) -> bool:
    if a.workspace is None or b.workspace is None:
        return a.workspace is b.workspace and a.problems == b.problems
    return (
        to_json(a.workspace) == to_json(b.workspace)
        and a.workspace.origin == b.workspace.origin
        and a.problems == b.problems
        and a.broken == b.broken
    )


def fresh(workspace: Path) -> WorkspaceCache:
    key = user_key()
    assert key is not None
    return WorkspaceCache(workspace, key)


PRINTING = [
    ("validate",),
    ("validate", "--format", "json"),
    ("evaluate",),
    ("evaluate", "--format", "json"),
    ("evaluate", "--language", "en"),
    ("show",),
    ("schedule", "--from", "2020-01-01"),
]


@pytest.mark.parametrize("command", PRINTING, ids=" ".join)
def test_a_command_prints_the_same_bytes_cached_cold_warm_and_uncached(
    workspace: Path, command: tuple[str, ...]
) -> None:
    uncached = run(*command, str(workspace), no_cache=True)
    assert not cache_folder(workspace).exists()
    cold = run(*command, str(workspace))
    warm = run(*command, str(workspace))
    assert uncached[0] == 0
    assert uncached == cold == warm
    assert cache_folder(workspace).is_dir()


def test_validation_of_a_broken_workspace_is_the_same_cached_and_uncached(
    workspace: Path,
) -> None:
    cohort = next((workspace / "cohorts").glob("*.yaml"))
    cohort.write_text(cohort.read_text() + "\nnot_a_key: 1\n", encoding="utf-8")
    people = workspace / "people.yaml"
    people.write_text(people.read_text().replace("participants:", "participant:", 1))
    for output in ("text", "json"):
        uncached = run("validate", "--format", output, str(workspace), no_cache=True)
        assert uncached[0] == 1
        assert run("validate", "--format", output, str(workspace)) == uncached
        assert run("validate", "--format", output, str(workspace)) == uncached


@pytest.mark.parametrize("format_name", sorted(REGISTRY.exporters))
def test_every_export_format_writes_the_same_bytes_cached_and_uncached(
    workspace: Path, tmp_path: Path, format_name: str
) -> None:
    outputs = []
    for name, no_cache in (("uncached", True), ("cold", False), ("warm", False)):
        out = tmp_path / name / "export"
        out.parent.mkdir()
        extra = (
            ["--instrument", "mio-module-evaluation"] if format_name in INSTRUMENT_FORMATS else []
        )
        command = ["export", str(workspace), "--format", format_name, "--out", str(out), *extra]
        code, text = run(*command, no_cache=no_cache)
        assert code == 0, text
        outputs.append(files(out))
        # The cache lives in the workspace only, never in what an export wrote.
        assert not any(name.startswith(".mio/") or "cache" in name for name in files(out))
    assert outputs[0] == outputs[1] == outputs[2]


def test_deleting_the_cache_changes_no_output(workspace: Path) -> None:
    first = run("evaluate", "--format", "json", str(workspace))
    shutil.rmtree(cache_folder(workspace))
    assert run("evaluate", "--format", "json", str(workspace)) == first


def test_no_cache_option_neither_reads_nor_writes_the_cache(workspace: Path) -> None:
    code, _ = run("--no-cache", "validate", str(workspace))
    assert code == 0
    assert not cache_folder(workspace).exists()


def test_mio_no_cache_environment_turns_the_cache_off(workspace: Path) -> None:
    run("validate", str(workspace), no_cache=True)
    assert not cache_folder(workspace).exists()


def test_a_warm_read_parses_no_file(workspace: Path) -> None:
    fresh(workspace).read()
    cache = fresh(workspace)
    cache.read()
    assert cache.parsed == []


def test_editing_one_cohort_reads_only_that_file_again(workspace: Path) -> None:
    fresh(workspace).read()
    cohort = sorted((workspace / "cohorts").glob("*.yaml"))[0]
    cohort.write_text(cohort.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    cache = fresh(workspace)
    result = cache.read()
    assert cache.parsed == [f"cohorts/{cohort.name}"]
    assert same(result, read_workspace(workspace))


def test_after_validate_the_next_command_knows_what_every_file_holds(workspace: Path) -> None:
    # validate's read runs inside its kept result: what it learnt must not be overwritten
    run("validate", str(workspace))
    cache = fresh(workspace)
    assert all(cache.content(file, sha) for file, sha in cache.fingerprints().items())


def test_evaluate_after_validate_takes_each_file_from_the_cache_once(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("validate", str(workspace))
    (cache_folder(workspace) / "files.json").unlink()  # contents unknown: learnt for the key
    calls = count_calls(monkeypatch, {"entry": [(WorkspaceCache, "cached_part")]})
    code, text = run("evaluate", "--format", "json", str(workspace))
    assert code == 0, text
    assert calls == {"entry": len(fresh(workspace).fingerprints())}


def test_verbose_names_the_files_read_from_disk(workspace: Path) -> None:
    run("validate", str(workspace))
    cohort = sorted((workspace / "cohorts").glob("*.yaml"))[0]
    cohort.write_text(cohort.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["--verbose", "validate", str(workspace)])
    assert f"mio: read cohorts/{cohort.name}" in result.output
    assert result.output.count("mio: read ") == 1


def _count_evaluations(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    import mio_core.evaluation

    return count_calls(monkeypatch, {"evaluate": [(mio_core.evaluation, "evaluate")]})


def test_after_an_edit_of_a_comment_the_kept_evaluation_is_printed(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("evaluate", "--format", "json", str(workspace))
    cohort = sorted((workspace / "cohorts").glob("*.yaml"))[0]
    text = cohort.read_text(encoding="utf-8")
    cohort.write_text(f"# a note\n{text}# edited\n\n", encoding="utf-8")  # lines move too
    evaluations = _count_evaluations(monkeypatch)
    command = ["--verbose", "evaluate", "--format", "json", str(workspace)]
    result = CliRunner().invoke(main, command, env={"MIO_NO_CACHE": ""})
    assert evaluations == {"evaluate": 0}
    assert result.stderr.splitlines() == [f"mio: read cohorts/{cohort.name}"]
    assert result.stdout == uncached(workspace)[0][1]


def test_after_an_edit_of_a_value_the_evaluation_is_computed_again(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("evaluate", str(workspace))
    people = workspace / "people.yaml"
    text = people.read_text(encoding="utf-8")
    first = "  sector: elder-care\n"
    people.write_text(text.replace(first, "  sector: education\n", 1), encoding="utf-8")
    evaluations = _count_evaluations(monkeypatch)
    assert run("evaluate", str(workspace)) == run("evaluate", str(workspace), no_cache=True)
    assert evaluations == {"evaluate": 2}  # the cached command's and the uncached one's


def test_validation_after_an_edit_of_a_comment_names_the_lines_as_they_are_now(
    workspace: Path,
) -> None:
    # Problems name lines, which a comment moves: validation is kept by the files' bytes.
    cohort = sorted((workspace / "cohorts").glob("*.yaml"))[0]
    text = cohort.read_text(encoding="utf-8")
    text = text.replace("participants:\n", "participants:\n- nobody-known\n", 1)
    cohort.write_text(text, encoding="utf-8")
    before = run("validate", str(workspace))
    cohort.write_text("# a note\n# and another\n" + text, encoding="utf-8")
    after = run("validate", str(workspace))
    assert after == run("validate", str(workspace), no_cache=True)
    assert after != before and "nobody-known" in after[1]


def test_a_change_of_the_same_size_within_the_clock_tick_is_seen(workspace: Path) -> None:
    # The file is rewritten at once with the same size: mtime may not move, the hash does.
    fresh(workspace).read()
    people = workspace / "people.yaml"
    text = people.read_text(encoding="utf-8")
    changed = text.replace("name:", "nime:", 1)
    assert len(changed) == len(text)
    people.write_text(changed, encoding="utf-8")
    assert same(fresh(workspace).read(), read_workspace(workspace))


def test_a_removed_file_is_gone_from_the_cached_read(workspace: Path) -> None:
    fresh(workspace).read()
    project_file = sorted((workspace / "projects").glob("*.yaml"))[0]
    project_file.unlink()
    assert same(fresh(workspace).read(), read_workspace(workspace))


def test_a_copied_workspace_does_not_trust_the_cache_it_came_with(
    workspace: Path, tmp_path: Path
) -> None:
    fresh(workspace).read()
    copy = tmp_path / "copy"
    shutil.copytree(workspace, copy)  # .mio/ included
    original_id = json.loads(
        (cache_folder(workspace) / "workspace.json").read_bytes().split(b"\n", 1)[1]
    )["id"]
    cache = fresh(copy)
    assert cache.id != original_id
    result = cache.read()
    assert len(cache.parsed) > 0
    assert same(result, read_workspace(copy))


def test_a_cache_signed_with_another_users_key_is_ignored(
    workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh(workspace).read()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "someone-else"))
    cache = fresh(workspace)
    result = cache.read()
    assert len(cache.parsed) > 0
    assert same(result, read_workspace(workspace))


def test_a_wrong_version_entry_is_ignored(workspace: Path) -> None:
    first = fresh(workspace)
    first.read()
    relative = "people.yaml"
    path = first._entry_path(relative)
    data = json.loads(path.read_bytes().split(b"\n", 1)[1])
    data["format"] = 999
    from mio_core.io.cache import _write

    _write(path, json.dumps(data), first.key)  # signed correctly, of another format
    cache = fresh(workspace)
    assert same(cache.read(), read_workspace(workspace))
    assert cache.parsed == [relative]


def test_a_cache_folder_that_is_a_link_is_not_used(workspace: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (workspace / ".mio").mkdir(exist_ok=True)
    (workspace / ".mio" / "cache").symlink_to(elsewhere)
    assert run("validate", str(workspace))[0] == 0
    assert list(elsewhere.iterdir()) == []


CACHE_FILES = ["workspace.json", "files.json", "entry:people.yaml", "entry:responses", "result"]


def _cache_file(workspace: Path, which: str) -> Path:
    folder = cache_folder(workspace)
    if which.startswith("entry:"):
        relative = which.split(":", 1)[1]
        if relative == "responses":
            relative = "responses/" + sorted(p.name for p in (workspace / "responses").iterdir())[0]
        return fresh(workspace)._entry_path(relative)
    if which == "result":
        return sorted((folder / "results").iterdir())[0]
    return folder / which


#: What the uncached reader and ``evaluate`` give for a workspace folder, computed once: the
#: workspace fixture lives across a property's examples, and only its cache changes.
_UNCACHED: dict[Path, tuple[tuple[int, str], LoadResult]] = {}


def uncached(workspace: Path) -> tuple[tuple[int, str], LoadResult]:
    if workspace not in _UNCACHED:
        evaluated = run("evaluate", "--format", "json", str(workspace), no_cache=True)
        _UNCACHED[workspace] = (evaluated, read_workspace(workspace))
    return _UNCACHED[workspace]


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(which=st.sampled_from(CACHE_FILES), data=st.binary(max_size=300), keep=st.integers(0, 400))
def test_a_corrupt_or_truncated_cache_file_is_ignored_and_rebuilt(
    workspace: Path, which: str, data: bytes, keep: int
) -> None:
    expected, loaded = uncached(workspace)
    run("evaluate", "--format", "json", str(workspace))
    path = _cache_file(workspace, which)
    original = path.read_bytes()
    # Either arbitrary bytes, or the real file cut short with bytes after.
    path.write_bytes(original[:keep] + data if keep else data)
    assert run("evaluate", "--format", "json", str(workspace)) == expected
    assert same(fresh(workspace).read(), loaded)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(which=st.sampled_from(CACHE_FILES[1:]), value=JSON, field=st.text(max_size=10))
def test_a_crafted_cache_entry_without_the_users_signature_is_ignored(
    workspace: Path, which: str, value: object, field: str
) -> None:
    # Well-formed JSON that keeps every check but the signature: another user's, or none.
    clear_cache(workspace)  # the fixture lives across examples
    run("validate", str(workspace))
    path = _cache_file(workspace, which)
    mac, _, text = path.read_bytes().partition(b"\n")
    data = json.loads(text)
    data[field or "values"] = value
    path.write_bytes(mac + b"\n" + json.dumps(data).encode())
    cache = fresh(workspace)
    assert same(cache.read(), uncached(workspace)[1])


RESPONSE_LIKE = st.fixed_dictionaries(
    {
        "respondent": st.sampled_from(["p-1", "m0509-001", 3, None]),
        "instrument": st.sampled_from(["mio-utilisation", "Not A Slug", ""]),
        "occasion": st.sampled_from(["pre", "post", "module:m1", "someday"]),
    },
    optional={
        "date": st.sampled_from(["2017-01-10", "2017-02-30", 20170110, None, "10/01/2017"]),
        "answers": st.dictionaries(
            st.text(max_size=4),
            st.none()
            | st.booleans()
            | st.integers()
            | st.floats(allow_nan=False)
            | st.text(max_size=3),
            max_size=3,
        )
        | JSON,
        "extra": JSON,
    },
)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(which=st.sampled_from(["people.yaml", "responses"]), value=JSON | RESPONSE_LIKE)
def test_a_signed_entry_whose_values_do_not_structure_is_ignored(
    workspace: Path, which: str, value: object
) -> None:
    # Even signed with the user's key, values that are not the model are not trusted: the
    # entry is read again from its file (or, if the value is a valid response, that one
    # response is what the entry holds and nothing else is lost).
    from mio_core.io.cache import _write

    # The fixture lives across Hypothesis examples: start each from no cache, or an entry an
    # earlier example crafted (and that was trusted, being valid) would count here twice.
    clear_cache(workspace)
    first = fresh(workspace)
    first.read()
    relative = which
    key = "participants"
    if which == "responses":
        relative = "responses/" + sorted(p.name for p in (workspace / "responses").iterdir())[0]
        key = "responses"
    path = first._entry_path(relative)
    data = json.loads(path.read_bytes().split(b"\n", 1)[1])
    original = data["values"][key]
    data["values"][key] = [*original, value]
    _write(path, json.dumps(data), first.key)
    cache = fresh(workspace)
    result = cache.read()
    if cache.parsed == [relative]:
        assert same(result, uncached(workspace)[1])
    else:  # the crafted value was a valid entity: it is there, structured and checked
        assert cache.parsed == [] and result.workspace is not None
        assert (
            len(getattr(result.workspace, key))
            == len(getattr(uncached(workspace)[1].workspace, key)) + 1
        )


@pytest.mark.parametrize("no_cache", [True, False], ids=["uncached", "cached"])
def test_export_reads_validates_and_evaluates_once(
    workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_cache: bool
) -> None:
    import mio_core.evaluation
    import mio_core.io.cache
    import mio_core.io.read
    import mio_core.validate

    calls = count_calls(
        monkeypatch,
        {
            "read": [(mio_core.io.read, "read_file"), (mio_core.io.cache, "read_file")],
            "check": [(mio_core.validate, "check_workspace")],
            "evaluate": [(mio_core.evaluation, "evaluate")],
        },
    )
    files = len(mio_core.io.read.workspace_files(workspace))
    code, text = run(
        "export",
        str(workspace),
        "--format",
        "html",
        "--out",
        str(tmp_path / "r.html"),
        no_cache=no_cache,
    )
    assert code == 0, text
    assert calls == {"read": files, "check": 1, "evaluate": 1}


@given(RESPONSE_LIKE | JSON)
def test_the_quick_response_check_accepts_exactly_what_the_converter_does(value: object) -> None:
    from mio_core.io.cache import _response
    from mio_core.io.converter import structure
    from mio_core.model import Response

    try:
        expected: object = structure(value, Response)
    except Exception:
        expected = None
    try:
        quick: object = _response(value)
    except Exception:
        quick = None
    assert quick == expected


class _Terminal:
    def __init__(self, tty: bool) -> None:
        self.tty = tty
        self.text = ""

    def isatty(self) -> bool:
        return self.tty

    def write(self, text: str) -> int:
        self.text += text
        return len(text)

    def flush(self) -> None:
        pass


@pytest.mark.parametrize(
    ("tty", "quiet", "shown"),
    [(True, False, True), (False, False, False), (True, True, False)],
    ids=["terminal", "piped", "quiet"],
)
def test_progress_shows_on_a_terminal_only_and_not_with_quiet(
    monkeypatch: pytest.MonkeyPatch, tty: bool, quiet: bool, shown: bool
) -> None:
    import sys

    from mio_core.cli import _Settings

    terminal = _Terminal(tty)
    monkeypatch.setattr(sys, "stderr", terminal)
    progress = _Settings((), (), False, quiet=quiet).progress()
    progress.start -= 2  # reading has taken more than a second
    progress("cohorts/a.yaml", 1, 3, True)
    assert ("mio: reading files 1/3" in terminal.text) is shown
    progress("cohorts/b.yaml", 3, 3, True)
    assert terminal.text.endswith("\r\x1b[K") is shown  # the line is cleared at the end


def _import_new_answers(workspace: Path, tmp_path: Path) -> str:
    """Import (replacing) other answers of p01 and p02; return the file they went to."""
    export = tmp_path / "new-answers.csv"
    export.write_text("respondent;ops1;ops2\np01;4;5\np02;9;1\n", encoding="utf-8")
    command = ["import", str(workspace), str(export), "--instrument", "mio-utilisation"]
    code, text = run(*command, "--occasion", "follow-up:6m", "--replace", "--yes")
    assert code == 0, text
    return "responses/mio-utilisation.follow-up.6m.csv"


def test_an_import_shows_its_answers_in_the_next_cached_evaluate_and_validate(
    workspace: Path, tmp_path: Path
) -> None:
    before = run("evaluate", "--format", "json", str(workspace))
    run("validate", "--format", "json", str(workspace))
    _import_new_answers(workspace, tmp_path)
    after = run("evaluate", "--format", "json", str(workspace))
    assert after == run("evaluate", "--format", "json", str(workspace), no_cache=True)
    assert after != before
    validated = run("validate", "--format", "json", str(workspace))
    assert validated == run("validate", "--format", "json", str(workspace), no_cache=True)


def test_after_an_import_only_the_responses_file_is_read_again(
    workspace: Path, tmp_path: Path
) -> None:
    run("validate", str(workspace))
    changed = _import_new_answers(workspace, tmp_path)
    result = CliRunner().invoke(main, ["--verbose", "validate", str(workspace)])
    assert result.exit_code == 0, result.output
    assert [line for line in result.output.splitlines() if line.startswith("mio: read ")] == [
        f"mio: read {changed}"
    ]


def test_a_file_replaced_with_its_old_size_and_mtime_is_read_again(workspace: Path) -> None:
    # cp -p, rsync -t or a restore: same size, mtime set back; the ctime still moves.
    import os

    people = workspace / "people.yaml"
    old = people.stat().st_mtime_ns - 86_400 * 10**9
    os.utime(people, ns=(old, old))
    fresh(workspace).read()  # hashed long after its mtime: the fast path applies next time
    text = people.read_text(encoding="utf-8")
    changed = text.replace("name:", "nime:", 1)
    assert len(changed) == len(text)
    people.write_text(changed, encoding="utf-8")
    os.utime(people, ns=(old, old))
    cache = fresh(workspace)
    assert same(cache.read(), read_workspace(workspace))
    assert cache.parsed == ["people.yaml"]


def test_the_code_stamp_covers_package_data_but_not_bytecode(tmp_path: Path) -> None:
    from mio_core.io.cache import _code_stamp

    package = tmp_path / "package"
    (package / "data").mkdir(parents=True)
    (package / "__pycache__").mkdir()
    (package / "code.py").write_text("x = 1\n", encoding="utf-8")
    instrument = package / "data" / "instrument.yaml"
    instrument.write_text("items: [a]\n", encoding="utf-8")
    before = _code_stamp(package)
    (package / "__pycache__" / "code.cpython-311.pyc").write_bytes(b"\0")
    assert _code_stamp(package) == before
    instrument.write_text("items: [a, b]\n", encoding="utf-8")
    assert _code_stamp(package) != before


def _stamped_registry(module: object, title: str) -> object:
    from mio_core.plugins.interfaces import Rule
    from mio_core.plugins.registry import PluginInfo, Registry

    rule = Rule(name="probe-rule", title=title, check=module.check)  # type: ignore[attr-defined]
    info = PluginInfo(name="probe", origin="entry point probe from probe", version="1.0")
    return Registry(plugins=(info,), contributions={"rules": {"probe-rule": rule}})


def test_a_plugins_code_changing_without_a_new_version_changes_the_key_of_kept_results(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A plugin author works on an editable install: the rule changes, the version does not,
    # and `mio validate` must not answer from the result the old rule gave.
    import importlib
    import os
    import sys

    from mio_core.io.cache import plugins_stamp

    package = tmp_path / "code" / "stamp_probe"
    package.mkdir(parents=True)
    monkeypatch.syspath_prepend(str(package.parent))
    monkeypatch.delitem(sys.modules, "stamp_probe", raising=False)
    (package / "__init__.py").write_text("def check(w, c):\n    return []\n", encoding="utf-8")
    module = importlib.import_module("stamp_probe")
    before = plugins_stamp(_stamped_registry(module, "Probe"))  # type: ignore[arg-type]
    assert before == plugins_stamp(_stamped_registry(module, "Probe"))  # type: ignore[arg-type]
    (package / "__init__.py").write_text("def check(w, c):\n    return [1]\n", encoding="utf-8")
    os.utime(package / "__init__.py", ns=(1, 1))
    assert plugins_stamp(_stamped_registry(module, "Probe")) != before  # type: ignore[arg-type]


def test_a_plugins_data_changing_without_a_new_version_changes_the_key_of_kept_results() -> None:
    from mio_core.io.cache import plugins_stamp
    from mio_core.plugins.registry import PluginInfo, Registry

    registry = load_registry(entry_points=False)
    instrument = registry.contributions["instruments"]["mio-utilisation"]
    info = PluginInfo(name="probe", origin="entry point probe from probe", version="1.0")

    def stamp(value: object) -> str | None:
        found = Registry(plugins=(info,), contributions={"instruments": {"probe": value}})
        return plugins_stamp(found)

    import attrs

    changed = attrs.evolve(instrument, title={**instrument.title, "en": "Another title"})
    assert stamp(instrument) == stamp(instrument)
    assert stamp(changed) != stamp(instrument)


def test_a_kept_validation_is_not_used_once_an_unreadable_file_appears(workspace: Path) -> None:
    assert run("validate", str(workspace))[0] == 0
    (workspace / "cohorts" / "later.yaml").mkdir()
    assert run("validate", str(workspace)) == run("validate", str(workspace), no_cache=True)
    assert run("validate", str(workspace))[0] == 1


def test_a_kept_validation_is_not_used_once_an_unreadable_file_is_gone(workspace: Path) -> None:
    (workspace / "cohorts" / "later.yaml").mkdir()
    assert run("validate", str(workspace))[0] == 1
    (workspace / "cohorts" / "later.yaml").rmdir()
    assert run("validate", str(workspace))[0] == 0

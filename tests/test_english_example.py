"""The Leading Nursing Teams example: an English-only concept of another organisation that
validates, evaluates and exports in every format with no Swedish in any output."""

from __future__ import annotations

import gzip
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import mio_core as m
from mio_core.cli import main
from mio_core.evaluation.words import WORDS
from mio_core.testing import copy_workspace

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "leading-nursing-teams"
PLUGIN = ROOT / "examples" / "leading_nursing_teams_plugin.py"
#: Formats made from one instrument
PER_INSTRUMENT = {"limesurvey", "redcap-dictionary", "xlsform"}
SWEDISH_LETTERS = re.compile("[åäöÅÄÖ]")
#: Words in the Swedish texts of the code base that an English text would not hold
#: (the words the view, the report and the plugins use in Swedish, without å, ä, ö)
STRAY_ENGLISH = {"organisation", "innovation", "region", "opsi", "delskala", "median"}


def swedish_words() -> set[str]:
    """The words of mio_core's and the report plugin's Swedish texts that are not English."""
    texts = [*WORDS["sv"].values()]
    english = " ".join(WORDS["en"].values()).lower()
    try:
        from mio_report.texts import TEXTS

        texts += [t["sv"] for t in TEXTS.values() if "sv" in t]
        english += " " + " ".join(t.get("en", "") for t in TEXTS.values()).lower()
    except ImportError:  # pragma: no cover - the report plugin is installed with the dev deps
        pass
    found = {w.lower() for t in texts for w in re.findall(r"[A-Za-zåäöÅÄÖ]{5,}", t)}
    english_words = set(re.findall(r"[a-z]{5,}", english))
    return {w for w in found if not SWEDISH_LETTERS.search(w)} - english_words - STRAY_ENGLISH


def texts_of(path: Path) -> Iterator[tuple[str, str]]:
    """Yield (file, text) of every file below ``path``, unpacking zip and gzip containers."""
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    for file in files:
        data = file.read_bytes()
        if data[:2] == b"PK":
            with zipfile.ZipFile(file) as archive:
                for name in archive.namelist():
                    yield f"{file.name}!{name}", archive.read(name).decode("utf-8", "replace")
            continue
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        yield file.name, data.decode("utf-8", "replace")
        if b"\x00" in data:  # binary (.sav, .dta, .rds): Latin-1 text among the numbers
            words = re.findall(rb"[a-z\xe5\xe4\xf6]*[a-z]{2}[a-z\xe5\xe4\xf6]*", data)
            yield f"{file.name} (latin-1)", " ".join(w.decode("latin-1") for w in words)


@pytest.fixture(scope="module")
def registry() -> m.Registry:
    import importlib.util

    spec = importlib.util.spec_from_file_location("leading_nursing_teams_plugin", PLUGIN)
    assert spec is not None and spec.loader is not None
    plugin = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(plugin)
    return m.load_registry(plugins=[plugin])


def test_the_example_validates_with_its_plugin(registry: m.Registry) -> None:
    assert m.validate_workspace(EXAMPLE, registry) == []


def test_the_example_declares_what_the_issue_asks(registry: m.Registry) -> None:
    workspace = m.load_workspace(EXAMPLE)
    assert len(workspace.concept.modules) == 3
    assert {p.level for p in workspace.participants} == {
        "nurse-manager",
        "ward-manager",
        "head-of-nursing",
    }
    assert "follow-up:12m" in workspace.concept.evaluation.occasions_of("ltn-team-climate")
    assert workspace.concept.extensions["ltn-programme"]
    assert workspace.manifest.languages == ("en",)


def test_the_example_evaluates_its_twelve_month_follow_up(registry: m.Registry) -> None:
    result = m.evaluate(m.load_workspace(EXAMPLE), registry)
    assert {c.after for c in result.changes} == {"post", "follow-up:12m"}


def test_the_swedish_word_list_holds_words_the_code_base_uses() -> None:
    words = swedish_words()
    assert {"deltagande", "svarande", "tillfälle"} & words == {"deltagande", "svarande"}
    assert len(words) > 30


def _in_repository(function: object) -> bool:
    import inspect

    source = inspect.getsourcefile(function)  # type: ignore[arg-type]
    return source is not None and Path(source).resolve().is_relative_to(ROOT)


def export_everything(tmp_path: Path) -> list[Path]:
    workspace = tmp_path / "ws"
    copy_workspace(EXAMPLE, workspace)
    runner = CliRunner()
    listed = runner.invoke(main, ["formats"])
    assert listed.exit_code == 0
    formats = [line.split()[0] for line in listed.output.splitlines() if line[:1].strip()]
    # a plugin installed from outside this repository (another checkout) is not under test
    exporters = m.load_registry().exporters
    formats = [f for f in formats if f in exporters and _in_repository(exporters[f].write)]
    assert {"html", "xlsx", "spss", "stata", "rds", "csv"} <= set(formats)
    outputs = []
    base = ["--quiet", "--plugin", str(PLUGIN)]
    for name in formats:
        for identified in ([], ["--identified", "--with-text"]):
            if identified and name == "analysis":  # a research export only
                continue
            out = tmp_path / "out" / f"{name}{'-identified' if identified else ''}"
            args = ["export", str(workspace), "--format", name, "--out", str(out), *identified]
            if name in PER_INSTRUMENT:
                args += ["--instrument", "ltn-team-climate"]
            result = runner.invoke(main, [*base, *args])
            assert result.exit_code == 0, f"{name}: {result.output}"
            outputs.append(out)
    for command in (["evaluate", str(workspace)], ["evaluate", str(workspace), "--format", "json"]):
        result = runner.invoke(main, [*base, *command])
        assert result.exit_code == 0, result.output
        (tmp_path / "out" / "-".join(command[0:1] + command[2:])).write_text(result.output)
        outputs.append(tmp_path / "out" / "-".join(command[0:1] + command[2:]))
    return outputs


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return export_everything(tmp_path_factory.mktemp("english"))


def test_no_output_of_any_format_holds_swedish(outputs: list[Path]) -> None:
    words = re.compile(r"\b(" + "|".join(sorted(swedish_words())) + r")\b", re.IGNORECASE)
    leaks = []
    for output in outputs:
        for name, text in texts_of(output):
            for match in (*SWEDISH_LETTERS.finditer(text), *words.finditer(text)):
                start = max(match.start() - 40, 0)
                leaks.append(f"{output.name}/{name}: {text[start : match.end() + 40]!r}")
    assert leaks == []


def _answers(column: str) -> dict[str, list[str]]:
    """The cells of one column of the climate responses, per occasion file, read with csv."""
    import csv

    found = {}
    for file in sorted((EXAMPLE / "responses").glob("ltn-team-climate.*.csv")):
        with file.open(newline="", encoding="utf-8") as stream:
            found[file.name] = [row[column] for row in csv.DictReader(stream)]
    return found


def test_the_example_has_a_text_a_choice_and_a_multi_choice_item_with_answers() -> None:
    (instrument,) = [i for i in m.load_workspace(EXAMPLE).instruments if i.id == "ltn-team-climate"]
    kinds = {item.id: item.kind.value for item in instrument.items if item.kind.value != "scale"}
    assert kinds == {"method": "choice", "forums": "multi-choice", "next-change": "text"}
    for item in kinds:
        assert all(any(cells) for cells in _answers(item).values()), item


def test_the_text_answers_are_only_in_identified_outputs_with_text(outputs: list[Path]) -> None:
    said = {text for cells in _answers("next-change").values() for text in cells if text}
    where: dict[bool, set[str]] = {True: set(), False: set()}
    for output in outputs:
        identified = output.name.endswith("-identified")
        for name, text in texts_of(output):
            if any(answer in text for answer in said):
                where[identified].add(f"{output.name}/{name}")
    assert where[False] == set()
    assert where[True]  # the identified exports with --with-text carry them


def test_choice_counts_are_shown_for_everyone_and_small_ones_suppressed(
    registry: m.Registry,
) -> None:
    result = m.evaluate(m.load_workspace(EXAMPLE), registry)
    everyone = {
        (c.item, c.occasion): {o.option: o for o in c.counts}
        for c in result.choices
        if c.group_by == "all"
    }
    # counted independently from the responses file: 5 of the 11 who answered chose meeting
    pre = _answers("forums")["ltn-team-climate.pre.csv"]
    meeting = sum("meeting" in cell.split(";") for cell in pre)
    assert (meeting, sum(bool(cell) for cell in pre)) == (5, 11)
    shown = everyone[("forums", "pre")]["meeting"]
    assert (shown.count, shown.suppressed) == (5, None)
    assert everyone[("forums", "pre")]["board"].count is None  # 2 chose it: suppressed
    assert everyone[("forums", "pre")]["board"].suppressed

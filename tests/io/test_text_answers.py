"""A text item's answer is the text as written, even when it looks like a number ("007",
"1e3", "-0", "NaN"): in the model, through ``mio import``, in the cache and in the csv,
xlsx and json exports. Scale items read such cells as numbers, as they always did."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import mio_xlsx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

import mio_core as m
from mio_core.io import read_workspace
from mio_core.io.cells import item_answer, parse_cell
from mio_core.model import ItemKind
from mio_core.testing import copy_workspace, make_registry
from mio_core.textsafety import spreadsheet_text, workbook_text

from ..helpers import EXAMPLE

REGISTRY = make_registry(mio_xlsx, builtins=True)

TRAVEL = """\
id: travel
title: Travel
level: reaction
occasions: [post]
scales:
- {id: agree5, min: 1, max: 5}
items:
- {id: liked, text: I liked it}
- {id: why, kind: text, text: Why?}
- {id: mode, kind: choice, text: How?, options: {bus: Bus, 7: Seven}}
"""
TARGET = "responses/travel.post.csv"

#: Texts a respondent may type that read as numbers, or almost.
NUMBER_LIKE = [
    "007", "1e3", "1E3", "-0", "+0", "0.0", "1.50", "3,5", "4,0", "+46 70 123 45 67", "NaN",
    "nan", "inf", "-inf", "1_000", "1,000", "٣", "−1", "+4", "0x1F", ".5", "5.", "12",
    "0", "-2", "1e-05", "100000000000000000000", "1e400", "00", "12 ", "  12 ",
]  # fmt: skip

#: Any answer a text item may hold: spaces around it are not kept (a cell's are not).
text_answers = (
    st.one_of(
        st.sampled_from(NUMBER_LIKE),
        st.text(
            alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")) | st.just("\n"),
            min_size=1,
            max_size=20,
        ),
        st.builds(
            "{}{}{}".format,
            st.sampled_from(["", "+", "-", "0", "00"]),
            st.integers(0, 10**6).map(str),
            st.sampled_from(["", ".0", ",0", "e3", "E-2", ".50"]),
        ),
    )
    .map(str.strip)
    .filter(bool)
)


def _csv(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def _whys(folder: Path, **read: object) -> dict[str, object]:
    result = read_workspace(folder, registry=REGISTRY, **read)  # type: ignore[arg-type]
    assert result.workspace is not None
    return {
        r.respondent: r.answers.get("why")
        for r in result.workspace.responses
        if r.instrument == "travel"
    }


def _why(folder: Path) -> object:
    [answer] = _whys(folder).values()
    return answer


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("text-answers")
    copy_workspace(EXAMPLE, root / "mio")
    (root / "mio" / "instruments").mkdir(exist_ok=True)
    (root / "mio" / "instruments" / "travel.yaml").write_text(TRAVEL, encoding="utf-8")
    return root


@pytest.fixture(autouse=True)
def _cache_on(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    monkeypatch.delenv("MIO_NO_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "user-cache"))


def _exported(source: m.ExportSource, out: Path) -> dict[str, dict[str, object]]:
    """{format: {respondent: the text item's answer}} as the csv, xlsx and json exports
    write it."""
    found: dict[str, dict[str, object]] = {}
    folder = m.run_export(REGISTRY.exporter("csv"), source, out / "csv", force=True)
    with (folder / "answers.csv").open(encoding="utf-8", newline="") as stream:
        found["csv"] = {
            r["respondent"]: r["text"]
            for r in csv.DictReader(stream)
            if (r["instrument"], r["item"]) == ("travel", "why")
        }
    book = m.run_export(REGISTRY.exporter("xlsx"), source, out / "book.xlsx", force=True)
    [header, *rows] = list(
        load_workbook(book, read_only=True)["answers"].iter_rows(values_only=True)
    )
    at = {name: header.index(name) for name in ("respondent", "instrument", "item", "text")}
    found["xlsx"] = {
        row[at["respondent"]]: row[at["text"]]
        for row in rows
        if (row[at["instrument"]], row[at["item"]]) == ("travel", "why")
    }
    document = m.run_export(REGISTRY.exporter("json"), source, out / "all.json", force=True)
    value = json.loads(document.read_text(encoding="utf-8"))
    found["json"] = {
        r["respondent"]: r["answers"].get("why")
        for r in value["workspace"]["responses"]
        if r["instrument"] == "travel"
    }
    return found


def _check_kept_everywhere(root: Path, answers: list[str]) -> None:
    """Each participant answers the text item with one of ``answers``; each is read, kept
    in the cache, imported and exported exactly as written (the exports' own escaping of
    formulas and control characters aside)."""
    folder = root / "mio"
    people = [f"p{n:02d}" for n in range(1, len(answers) + 1)]
    expected = dict(zip(people, answers, strict=True))
    written = _csv([["respondent", "liked", "why"], *([p, "4", a] for p, a in expected.items())])
    (folder / TARGET).write_text(written, encoding="utf-8")
    assert not [p for p in m.validate_workspace(folder, REGISTRY) if p.severity == "error"]
    assert _whys(folder) == expected
    assert _whys(folder, cache=True) == expected  # parsed, then kept in the cache
    assert _whys(folder, cache=True) == expected  # from the cache

    export = root / "export.csv"
    export.write_text(written, encoding="utf-8")
    m.import_responses(folder, export, "travel", "post", REGISTRY, replace=True)
    assert _whys(folder) == expected

    source = m.prepare_source(
        m.load_workspace(folder, registry=REGISTRY), REGISTRY, identified=True, language="en"
    )
    assert _exported(source, root / "out") == {
        "csv": {p: spreadsheet_text(a) for p, a in expected.items()},
        "xlsx": {p: workbook_text(a) for p, a in expected.items()},
        "json": expected,
    }


@pytest.mark.parametrize("part", [NUMBER_LIKE[:20], NUMBER_LIKE[20:]])
def test_a_text_answer_that_looks_like_a_number_is_kept_as_written_everywhere(
    scratch: Path, part: list[str]
) -> None:
    _check_kept_everywhere(scratch, [answer.strip() for answer in part])


@settings(
    max_examples=max(2, settings.default.max_examples // 5),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(answers=st.lists(text_answers, min_size=1, max_size=24))
def test_any_text_answer_is_kept_as_written_everywhere(scratch: Path, answers: list[str]) -> None:
    _check_kept_everywhere(scratch, answers)


@pytest.mark.parametrize(
    ("cell", "number"),
    [("007", 7), ("4,0", 4), ("1e3", 1000), ("+4", 4), ("\u22121", -1), ("-0", 0), ("3.50", 3.5)],
)
def test_a_scale_or_choice_item_reads_a_number_written_another_way_as_that_number(
    cell: str, number: float
) -> None:
    assert item_answer(parse_cell(cell), ItemKind.SCALE) == number
    assert item_answer(parse_cell(cell), ItemKind.CHOICE) == number


def test_a_scale_answer_written_with_a_decimal_comma_is_read_as_its_number(
    scratch: Path,
) -> None:
    folder = scratch / "mio"
    (folder / TARGET).write_text(_csv([["respondent", "liked", "why", "mode"],
                                       ["p01", "4,0", "007", "07"]]), encoding="utf-8")  # fmt: skip
    result = read_workspace(folder, registry=REGISTRY)
    assert result.workspace is not None
    [response] = [r for r in result.workspace.responses if r.instrument == "travel"]
    assert dict(response.answers) == {"liked": 4, "why": "007", "mode": 7}


def test_a_text_answer_written_as_a_plain_number_is_text_in_the_model(scratch: Path) -> None:
    folder = scratch / "mio"
    (folder / TARGET).write_text(_csv([["respondent", "why"], ["p01", "12"]]), encoding="utf-8")
    assert _why(folder) == "12"


def test_the_reader_keeps_a_cell_that_is_no_plain_number_as_its_text() -> None:
    assert [parse_cell(c) for c in ("4", " 12 ", "3.5", "007", "1e3", "-0", "4,0")] == [
        4, 12, 3.5, "007", "1e3", "-0", "4,0",
    ]  # fmt: skip

"""One path for every answer: a cell imported with ``import_responses`` and the same cell
written by hand into a responses file are accepted or refused alike, and read as one value."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import mio_core as m
from mio_core.model import Response
from mio_core.testing import copy_workspace, make_registry

from ..helpers import EXAMPLE

INSTRUMENT, OCCASION = "mio-utilisation", "follow-up:6m"
TARGET = "responses/mio-utilisation.follow-up.6m.csv"
REGISTRY = make_registry(builtins=True)


def _spaced(cell: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.tuples(st.sampled_from(["", " ", "  ", "\t"]), cell, st.sampled_from(["", " "])).map(
        "".join
    )


whole = st.integers(min_value=-120, max_value=120).map(str)
decimals = st.builds(
    lambda whole, part, sep: f"{whole}{sep}{part}",
    st.integers(-12, 12),
    st.sampled_from(["0", "5", "25", "000"]),
    st.sampled_from([".", ","]),
)
odd_numbers = st.sampled_from(
    ["3e0", "5E0", "1e-05", "−1", "+4", "4,", ",5", ".5", "1,000", "1.000,5", "1_0", "٣", "nan"]
)
text = st.text(alphabet="abcxyzåäö ;-/:'\"", min_size=1, max_size=8)
answers = _spaced(st.one_of(st.just(""), whole, decimals, odd_numbers, text))

iso = st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2030, 12, 31))
dates = _spaced(
    st.one_of(
        st.just(""),
        iso.map(dt.date.isoformat),
        st.builds(
            lambda d, sep, time, zone: f"{d.isoformat()}{sep}{time}{zone}",
            iso,
            st.sampled_from(["T", " "]),
            st.sampled_from(["14:22", "14:22:01", "09:05:00.123", "23:59:59,5", "25:00", "7:05"]),
            st.sampled_from(["", "Z", "+01:00", "-0500", "+1"]),
        ),
        iso.map(lambda d: f"{d.day}/{d.month}/{d.year}"),
        iso.map(lambda d: d.strftime("%Y%m%d")),
        iso.map(lambda d: d.strftime("%Y-W%W-1")),
        st.sampled_from(["2018-02-30", "2018-13-01", "igår", "2018-5-3"]),
    )
)
respondents = st.sampled_from(["p01", " p02 ", "p99", "P01", "p 01", ""])


def _csv(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def _by_hand(workspace: Path, text: str) -> tuple[bool, Response | None]:
    (workspace / TARGET).write_text(text, encoding="utf-8")
    problems = m.validate_workspace(workspace, REGISTRY)
    if any(p.severity == "error" for p in problems):
        return False, None
    [response] = [
        r
        for r in m.load_workspace(workspace).responses
        if (r.instrument, r.occasion) == (INSTRUMENT, OCCASION)
    ]
    return True, response


def _imported(workspace: Path, export: Path, text: str) -> tuple[bool, Response | None]:
    (workspace / TARGET).unlink(missing_ok=True)
    export.write_text(text, encoding="utf-8")
    try:
        m.import_responses(workspace, export, INSTRUMENT, OCCASION, REGISTRY, replace=True)
    except m.WorkspaceError:
        return False, None
    [response] = [
        r
        for r in m.load_workspace(workspace).responses
        if (r.instrument, r.occasion) == (INSTRUMENT, OCCASION)
    ]
    return True, response


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("one-path")
    copy_workspace(EXAMPLE, root / "mio")
    return root / "mio", root / "export.csv"


@settings(
    max_examples=30,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(respondent=respondents, date=dates, ops1=answers, ops2=answers)
def test_an_imported_cell_and_the_same_cell_written_by_hand_are_read_alike(
    scratch: tuple[Path, Path], respondent: str, date: str, ops1: str, ops2: str
) -> None:
    workspace, export = scratch
    # A wholly blank row is no answer in either; importing nothing at all is refused on purpose.
    assume(any(cell.strip() for cell in (respondent, date, ops1, ops2)))
    text = _csv([["respondent", "date", "ops1", "ops2"], [respondent, date, ops1, ops2]])
    by_hand = _by_hand(workspace, text)
    imported = _imported(workspace, export, text)
    assert imported == by_hand


CHOICES = """\
id: travel
title: Travel
level: reaction
occasions: [post]
scales:
- {id: agree5, min: 1, max: 5}
items:
- {id: liked, text: I liked it}
- {id: why, kind: text, text: Why?}
- {id: mode, kind: choice, text: How?, options: {bus: Bus, car: Car, 1: One}}
- {id: days, kind: multi-choice, text: When?, options: {mon: Monday, tue: Tuesday, 2: Two}}
"""
CHOICE_TARGET = "responses/travel.post.csv"
code_cells = _spaced(
    st.one_of(
        st.just(""),
        st.lists(
            st.sampled_from(["bus", "car", "mon", "tue", "1", "2", "01", "2.0", "Bus", "x"]),
            min_size=1,
            max_size=3,
        ).map(";".join),
        text,
    )
)


@pytest.fixture(scope="module")
def choices_scratch(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("one-path-choices")
    copy_workspace(EXAMPLE, root / "mio")
    (root / "mio" / "instruments").mkdir(exist_ok=True)
    (root / "mio" / "instruments" / "travel.yaml").write_text(CHOICES, encoding="utf-8")
    return root / "mio", root / "export.csv"


def _travel(workspace: Path) -> Response:
    [response] = [r for r in m.load_workspace(workspace).responses if r.instrument == "travel"]
    return response


@settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(liked=answers, why=answers, mode=code_cells, days=code_cells)
def test_a_text_or_choice_cell_imported_and_written_by_hand_is_read_alike(
    choices_scratch: tuple[Path, Path], liked: str, why: str, mode: str, days: str
) -> None:
    workspace, export = choices_scratch
    text = _csv([["respondent", "liked", "why", "mode", "days"], ["p01", liked, why, mode, days]])
    (workspace / CHOICE_TARGET).write_text(text, encoding="utf-8")
    problems = m.validate_workspace(workspace, REGISTRY)
    by_hand = (
        (False, None)
        if any(p.severity == "error" for p in problems)
        else (True, _travel(workspace))
    )
    (workspace / CHOICE_TARGET).unlink()
    export.write_text(text, encoding="utf-8")
    try:
        m.import_responses(workspace, export, "travel", "post", REGISTRY, replace=True)
    except m.WorkspaceError:
        imported: tuple[bool, Response | None] = (False, None)
    else:
        imported = (True, _travel(workspace))
        (workspace / CHOICE_TARGET).unlink()
    assert imported == by_hand

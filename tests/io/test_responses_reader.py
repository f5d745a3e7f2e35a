"""read_responses (column-wise, each distinct cell parsed once, Responses built without
checking again what the reader checked) equals a plain reading: cell by cell, every
Response built by its validating constructor."""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from typing import Any

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mio_core.io.cells import CellError, parse_cell, parse_date, parse_respondent
from mio_core.io.responses import _RESPONSE_FIELDS, _checked_response, read_responses
from mio_core.model import Response
from mio_core.problems import Problem


def reference(text: str, instrument: str, occasion: str) -> tuple[list[Any], list[Problem]]:
    """The responses and problems of a responses file without a ragged or bad header."""
    rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    columns = [name.strip() for name in rows[0]]
    date_index = columns.index("date") if "date" in columns else None
    responses, problems = [], []
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        found: dict[str, Any] = {"answers": {}}
        for index, (name, cell) in enumerate(zip(columns, row, strict=True)):
            try:
                if index == 0:
                    found["respondent"] = parse_respondent(cell)
                elif index == date_index:
                    found["date"] = parse_date(cell)
                else:
                    found["answers"][name] = parse_cell(cell)
            except CellError as error:
                problems.append(
                    Problem(
                        file="f.csv",
                        code=error.code,
                        message=error.message,
                        line=line,
                        column=index + 1,
                    )
                )
        if len(found) == (3 if date_index is not None else 2):
            responses.append((Response(instrument=instrument, occasion=occasion, **found), line))
    return responses, problems


CELLS = ["", " ", "1", "5", "3.5", "4.0", "4,0", "007", "-2", "1e3", "nan", "ja", "a;b", "0"]
DATES = ["", "2024-03-05", "2024-03-05 14:22", "2024-02-30", "5/3/2024", " 2024-03-06 "]
RESPONDENTS = ["p1", "p2", " p3 ", "P4", "", "p-5"]


@st.composite
def responses_files(draw: st.DrawFn) -> str:
    items = draw(st.lists(st.sampled_from(["q1", "q2", "q3", "q4"]), max_size=4, unique=True))
    with_date = draw(st.booleans())
    header = ["respondent", *items]
    if with_date:
        header.insert(draw(st.integers(1, len(header))), "date")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for _ in range(draw(st.integers(0, 8))):
        row = [
            draw(st.sampled_from(DATES))
            if name == "date"
            else draw(st.sampled_from(RESPONDENTS))
            if name == "respondent"
            else draw(st.sampled_from(CELLS))
            for name in header
        ]
        writer.writerow(row)
    return buffer.getvalue()


def _same(a: Any, b: Any) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return bool(a == b)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(responses_files(), st.sampled_from(["mio-utilisation", "Not An Id"]))
def test_read_responses_equals_reading_cell_by_cell(text: str, instrument: str) -> None:
    try:
        expected = reference(text, instrument, "follow-up:6m")
    except ValueError as error:  # an instrument that is no id: the constructor refuses it
        try:
            read_responses(text, "f.csv", instrument, "follow-up:6m")
        except ValueError as raised:
            assert str(raised) == str(error)
            return
        raise AssertionError("an instrument that is no id was accepted") from None
    found = read_responses(text, "f.csv", instrument, "follow-up:6m")
    assert found[1] == expected[1]
    assert [line for _, line in found[0]] == [line for _, line in expected[0]]
    for (got, _), (want, _) in zip(found[0], expected[0], strict=True):
        assert got == want
        assert list(got.answers) == list(want.answers)
        assert all(_same(got.answers[k], want.answers[k]) for k in want.answers)
        assert type(got.answers) is type(want.answers)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(["p1", "a-b_c"]),
    st.sampled_from(["mio-coaching", "x"]),
    st.sampled_from(["pre", "post", "module:m1", "follow-up:6m"]),
    st.none() | st.dates(),
    st.dictionaries(st.sampled_from(["q1", "q2"]), st.none() | st.integers() | st.text()),
)
def test_a_checked_response_equals_the_validated_one(
    respondent: str, instrument: str, occasion: str, date: dt.date | None, answers: dict[str, Any]
) -> None:
    built = _checked_response(respondent, instrument, occasion, date, dict(answers))
    validated = Response(
        respondent=respondent, instrument=instrument, occasion=occasion, date=date, answers=answers
    )
    assert built == validated
    assert repr(built) == repr(validated)


def test_a_checked_response_sets_every_field_of_response() -> None:
    assert tuple(field.name for field in attrs.fields(Response)) == _RESPONSE_FIELDS

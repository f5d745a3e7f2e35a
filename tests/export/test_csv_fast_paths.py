"""The csv table writer's shortcuts write what the plain rules write: a field is quoted as
csv.writer quotes it, a column of numbers is written as csv.writer writes numbers, and the
answers table holds the rows the plain rule gives."""

from __future__ import annotations

import csv
import io
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mio_core.export.formats import csvfolder
from mio_core.export.tables import _answers
from mio_core.model import ItemKind, Workspace, answer_text, occasion_module
from mio_core.plugins.interfaces import ExportSource
from mio_core.testing import make_registry
from mio_core.textsafety import spreadsheet_text

from ..strategies import workspaces_answering_their_instruments


def written_by_csv_writer(rows: list[tuple[Any, ...]], safe: bool) -> str:
    """The plain rule: each text cell made safe by spreadsheet_text, csv.writer for the rest."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(
        tuple(spreadsheet_text(c) if safe and c.__class__ is str else c for c in row)
        for row in rows
    )
    return buffer.getvalue()


def written_fast(rows: list[tuple[Any, ...]], safe: bool) -> str:
    buffer = io.StringIO()
    csvfolder._write_rows(buffer, rows, spreadsheet_safe=safe)
    return buffer.getvalue()


@settings(max_examples=300)
@given(st.text() | st.text(st.sampled_from([*',"\r\n\t =+-@;a\x00\u2028'])))
def test_a_text_is_quoted_exactly_as_csv_writer_quotes_it(text: str) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(("", text))
    assert csvfolder._field(text) == buffer.getvalue()[1:-1]


@given(
    st.lists(
        st.tuples(st.none() | st.integers() | st.floats(), st.none() | st.integers() | st.floats()),
        min_size=2,
        max_size=20,
    ),
    st.booleans(),
)
@settings(max_examples=200)
def test_a_column_of_ints_floats_and_blanks_is_written_as_csv_writer_writes_it(
    rows: list[tuple[Any, ...]], safe: bool
) -> None:
    assert written_fast(rows, safe) == written_by_csv_writer(rows, safe)


def test_a_column_of_ints_and_floats_is_written_in_one_pass() -> None:
    # a group's median is an int or a float: such a column no longer sends its table to
    # csv.writer row by row
    column = (1, 2.5, None, -3, 1e-05)
    texts = csvfolder._column_texts(column, csvfolder._Fields(safe=True))
    assert texts is not None and list(texts) == ["1", "2.5", "", "-3", "1e-05"]


@given(st.sampled_from(["=1+1", "+A1", "@x", "-2", "-2+3", "=HYPERLINK(1)", "\t=1"]), st.data())
def test_formula_looking_text_among_numbers_is_neutralised_as_before(
    text: str, data: st.DataObject
) -> None:
    rows = [(text, 1, 2.5), ("plain", None, 3), (text, 2.0, None)]
    rows = data.draw(st.permutations(rows))
    written = written_fast(rows, safe=True)
    assert written == written_by_csv_writer(rows, safe=True)
    assert spreadsheet_text(text) in written


def answers_by_the_plain_rule(source: ExportSource) -> list[tuple[Any, ...]]:
    """The answers table's rule, answer by answer."""
    instruments = source.instruments()
    rows = []
    for r in source.workspace.responses:
        instrument = instruments.get(r.instrument)
        for item, value in r.answers.items():
            question = (
                None
                if instrument is None
                else next((q for q in instrument.items if q.id == item), None)
            )
            numeric = instrument is None or (
                question is not None and question.kind is ItemKind.SCALE
            )
            if numeric and not isinstance(value, str):
                scale = None if question is None else instrument.scale_of(question)  # type: ignore[union-attr]
                codes = {label.value for label in scale.missing} if scale else set()
                tail = (value, int(value is not None and value in codes), None)
            else:
                tail = (None, 0, answer_text(value) or None)
            head = (r.respondent, r.instrument, r.occasion, occasion_module(r.occasion), r.date)
            rows.append((*head, item, *tail))
    return rows


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(workspaces_answering_their_instruments())
def test_the_answers_table_holds_the_rows_of_the_plain_rule(workspace: Workspace) -> None:
    source = ExportSource(workspace=workspace, registry=make_registry())
    made = list(_answers(source))
    expected = answers_by_the_plain_rule(source)
    assert made == expected
    # the same types too: 1 and 1.0 are equal, but a csv file writes them apart
    assert [tuple(map(type, row)) for row in made] == [tuple(map(type, r)) for r in expected]

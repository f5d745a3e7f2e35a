"""The workspace's own responses files: wide CSV, one row per respondent, one file per
instrument and occasion (see :mod:`mio_core.io.layout` for the names)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from types import MappingProxyType
from typing import IO

import attrs

from ..model import Answer, Response, answer_text
from ..model.common import is_occasion, is_slug
from ..problems import Problem
from .cells import CellError, parse_cell, parse_date, parse_respondent
from .layout import DATE_COLUMN, RESPONDENT_COLUMN
from .text import csv_error_message, csv_field_limit
from .yamlio import DEFAULT_LIMITS, Limits


def read_responses(
    text: str,
    file: str,
    instrument: str,
    occasion: str,
    limits: Limits = DEFAULT_LIMITS,
) -> tuple[list[tuple[Response, int]], list[Problem]]:
    """Return the responses in one responses file, each with its line, and the problems.

    A row with a problem is left out; every problem in the file is reported.
    """
    problems: list[Problem] = []

    def problem(code: str, message: str, line: int, column: int | None = None) -> None:
        problems.append(Problem(file=file, code=code, message=message, line=line, column=column))

    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    with csv_field_limit(limits.max_csv_field_bytes):
        try:
            rows = _numbered_rows(reader)
            try:
                header_line, header = next(rows)
            except StopIteration:
                problem("csv-header", "the file is empty; it needs a header row", 1)
                return [], problems
            columns = [name.strip() for name in header]
            if not columns or columns[0] != RESPONDENT_COLUMN:
                message = (
                    f"the first column must be {RESPONDENT_COLUMN!r}, not {columns[0]!r}"
                    if columns
                    else "the header row is empty"
                )
                if len(columns) == 1 and ";" in columns[0]:  # Excel's CSV on a Swedish machine
                    message += (
                        "; the file is separated by semicolons, and a responses file by commas"
                        " (mio import reads a survey export with semicolons)"
                    )
                problem("csv-header", message, header_line, 1)
                return [], problems
            seen: set[str] = set()
            for index, name in enumerate(columns):
                if name in seen:
                    problem(
                        "csv-header", f"the column {name!r} appears twice", header_line, index + 1
                    )
                elif index > 0 and name != DATE_COLUMN and not is_slug(name):
                    problem(
                        "csv-header",
                        f"the column {name!r} is not an item id",
                        header_line,
                        index + 1,
                    )
                seen.add(name)
            date_index = columns.index(DATE_COLUMN) if DATE_COLUMN in columns else None
            # The answers are read column-wise from one slice of each row: the item columns in
            # order (every column but the first and the date). Cells repeat (the scale's few
            # values, empty cells), so each distinct text is parsed once per file and its value
            # shared; the same for dates. parse_cell never refuses a cell, so only the
            # respondent and the date can make a problem.
            if date_index is None:
                names = columns[1:]
            else:
                names = columns[1:date_index] + columns[date_index + 1 :]
            cell_of = _Cells().__getitem__
            dates: dict[str, dt.date | None] = {}
            # The file's instrument and occasion are checked once; each row's respondent is
            # checked by parse_respondent; then a Response need not check them again.
            checked = is_slug(instrument) and is_occasion(occasion)
            responses: list[tuple[Response, int]] = []
            count = 0
            for line, row in rows:
                if not "".join(row).strip():
                    continue
                count += 1
                if count > limits.max_csv_rows:
                    problem("too-many-rows", f"more than {limits.max_csv_rows:,} rows", line)
                    break
                if len(row) != len(columns):
                    problem(
                        "csv-ragged",
                        f"the row has {len(row)} fields but the header has {len(columns)}",
                        line,
                    )
                    continue
                ok = True
                try:
                    respondent = parse_respondent(row[0])
                except CellError as error:
                    problem(error.code, error.message, line, 1)
                    ok = False
                date = None
                if date_index is None:
                    cells = row[1:]
                else:
                    cells = row[1:date_index] + row[date_index + 1 :]
                    text = row[date_index]
                    if text in dates:
                        date = dates[text]
                    else:
                        try:
                            date = dates[text] = parse_date(text)
                        except CellError as error:
                            problem(error.code, error.message, line, date_index + 1)
                            ok = False
                if ok:
                    answers = dict(zip(names, map(cell_of, cells), strict=True))
                    responses.append(
                        (
                            _checked_response(respondent, instrument, occasion, date, answers)
                            if checked
                            else Response(
                                respondent=respondent,
                                instrument=instrument,
                                occasion=occasion,
                                date=date,
                                answers=answers,
                            ),
                            line,
                        )
                    )
            return responses, problems
        except csv.Error as exc:
            problem(
                "csv-syntax",
                csv_error_message(exc, limits.max_csv_field_bytes),
                reader.line_num or 1,
            )
            return [], problems


class _Cells(dict[str, Answer]):
    """parse_cell of each cell text, computed on the first lookup of that text."""

    def __missing__(self, text: str) -> Answer:
        value = self[text] = parse_cell(text)
        return value


#: The fields :func:`_checked_response` sets, in order; a test holds Response to them.
_RESPONSE_FIELDS = ("respondent", "instrument", "occasion", "date", "answers")


def _checked_response(
    respondent: str,
    instrument: str,
    occasion: str,
    date: dt.date | None,
    answers: dict[str, Answer],
) -> Response:
    """Return ``Response(...)`` of values already checked, without checking them again.

    Equal to the validated construction (tests/io/test_responses_reader.py pins it): the
    ids are slugs and the occasion is one, ``answers`` is a new dict no one else holds (so
    it is wrapped rather than copied, as the converter would).
    """
    response = _new_response(Response)
    _set(response, "respondent", respondent)
    _set(response, "instrument", instrument)
    _set(response, "occasion", occasion)
    _set(response, "date", date)
    _set(response, "answers", MappingProxyType(answers))
    return response


_new_response = object.__new__
_set = object.__setattr__


def _numbered_rows(reader: Iterator[list[str]]) -> Iterator[tuple[int, list[str]]]:
    # csv.reader counts physical lines; a row starts on the line after the previous row ended.
    line_num = 0
    for row in reader:
        yield line_num + 1, row
        line_num = reader.line_num  # type: ignore[attr-defined]


def _cell(value: Answer) -> str:
    return answer_text(value)


def write_responses(responses: Iterable[Response], stream: IO[str]) -> None:
    """Write responses to one instrument and occasion as the workspace's wide CSV."""
    responses = list(responses)
    items: dict[str, None] = {}
    for response in responses:
        items.update(dict.fromkeys(response.answers))
    with_date = any(response.date is not None for response in responses)
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow([RESPONDENT_COLUMN, *([DATE_COLUMN] if with_date else []), *items])
    for response in responses:
        date = [response.date.isoformat() if response.date else ""] if with_date else []
        writer.writerow(
            [response.respondent, *date, *(_cell(response.answers.get(item)) for item in items)]
        )


_PHYSICAL_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


@attrs.frozen(kw_only=True)
class RawRow:
    """One row of a CSV file as it stands: its first line, its exact text and its cells."""

    line: int
    text: str
    cells: tuple[str, ...]


@attrs.frozen(kw_only=True)
class RawResponses:
    """A responses file split into rows that keep their exact text (quoting, line endings).

    Joining ``bom``, the header's text and every row's text gives the file back unchanged.
    """

    bom: str
    header: RawRow
    rows: tuple[RawRow, ...]

    @property
    def newline(self) -> str:
        """Return the line ending the file uses (that of its header; ``\\n`` if none)."""
        text = self.header.text
        stripped = text.rstrip("\r\n")
        return text[len(stripped) :] or "\n"

    @property
    def columns(self) -> tuple[str, ...]:
        """Return the header's column names."""
        return tuple(cell.strip() for cell in self.header.cells)


def split_rows(text: str, limits: Limits = DEFAULT_LIMITS) -> RawResponses | None:
    """Return ``text`` (a responses file) split into rows, or None when it has no header.

    Raises ``csv.Error`` for text the CSV reader cannot read.
    """
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    lines = _PHYSICAL_LINE.findall(text[len(bom) :])
    reader = csv.reader(iter(lines), strict=True)
    rows: list[RawRow] = []
    with csv_field_limit(limits.max_csv_field_bytes):
        start = 0
        for cells in reader:
            end = reader.line_num
            rows.append(RawRow(line=start + 1, text="".join(lines[start:end]), cells=tuple(cells)))
            start = end
    if not rows:
        return None
    return RawResponses(bom=bom, header=rows[0], rows=tuple(rows[1:]))


def render_row(cells: Sequence[str], newline: str) -> str:
    """Return one CSV row the way the workspace writes them, ending with ``newline``."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=newline).writerow(cells)
    return buffer.getvalue()


def format_cell(value: Answer) -> str:
    """Return an answer as the workspace's responses files write it (None is empty)."""
    return _cell(value)

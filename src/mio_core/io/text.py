"""Text files from survey tools: decoding and reading delimited rows, for every importer.

The built-in ``csv`` importer and the survey-tool plugins read text the same way: UTF-8
with or without a BOM, else Windows-1252 (Excel's plain "CSV" on a Swedish machine) with a
warning; comma, semicolon or tab; any line ending; each row with the line it starts on.
"""

from __future__ import annotations

import contextlib
import csv
import io
import itertools
from collections.abc import Iterator

import attrs

from ..problems import Problem, Severity
from .yamlio import DEFAULT_LIMITS

DELIMITERS = (",", ";", "\t")


def decode_text(data: bytes, file: str) -> tuple[str, list[Problem]]:
    """Return ``data`` as text and the warning that it was not UTF-8, if it was not.

    A UTF-16 byte-order mark (Qualtrics' tab-separated export) means UTF-16; otherwise UTF-8
    (a BOM is dropped) is tried first, then Windows-1252; a byte Windows-1252 does not define
    becomes U+FFFD.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), []
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        warning = Problem(
            file=file,
            code="not-utf8",
            message="the file is not UTF-8; it was read as Windows-1252 (Excel's plain CSV) — "
            "check that å, ä and ö came through, or save it as 'CSV UTF-8'",
            severity=Severity.WARNING,
        )
        return data.decode("cp1252", errors="replace"), [warning]


#: How many rows, and characters, from the start of a file the delimiter is chosen by.
SNIFF_ROWS = 20
SNIFF_CHARS = 65536


def sniff_delimiter(first_line: str) -> str:
    """Return the delimiter that splits ``first_line`` into the most fields, outside quotes."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in first_line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    return max(DELIMITERS, key=lambda d: counts[d])


def sniff_file_delimiter(text: str) -> str:
    """Return the delimiter of a delimited ``text``: the one that splits its first rows into
    the same number of fields, more than one; else the one the first line uses most.

    The first line alone is not enough: Swedish Excel writes a semicolon-separated file
    without quoting the commas of a question text, so its header can hold more commas
    than semicolons while no answer row has a comma.
    """
    sample = text[:SNIFF_CHARS]
    consistent: list[tuple[int, str]] = []
    for delimiter in DELIMITERS:
        reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
        try:
            rows = list(itertools.islice(reader, SNIFF_ROWS))
        except csv.Error:  # reading the whole file reports it
            continue
        if len(sample) < len(text) and len(rows) > 1:
            rows.pop()  # the sample may end inside the last row
        widths = {len(row) for row in rows if any(cell.strip() for cell in row)}
        if len(rows) > 1 and len(widths) == 1 and min(widths) > 1:
            consistent.append((min(widths), delimiter))
    if len(consistent) == 1:
        return consistent[0][1]
    return sniff_delimiter(text.split("\n", 1)[0])


@attrs.frozen(kw_only=True)
class DelimitedRows:
    """A delimited file's rows of text cells (the header row first), the line each row
    starts on, and what was wrong with the file."""

    rows: tuple[tuple[str, ...], ...] = ()
    lines: tuple[int, ...] = ()
    problems: tuple[Problem, ...] = ()

    def without_empty_trailing_columns(self) -> DelimitedRows:
        """Return the rows without the first row's trailing columns that are empty in every
        row: Excel writes ``;;`` to the end of each line for columns that once held
        something, and such a column holds nothing to import or to lose. A cell past the
        first row's end stays, so that its row is still seen to be ragged."""
        if not self.rows:
            return self
        header = self.rows[0]
        width = len(header)
        while width > 0 and all(
            len(row) < width or not row[width - 1].strip() for row in self.rows
        ):
            width -= 1
        if width == len(header):
            return self
        rows = tuple(row[:width] + row[len(header) :] for row in self.rows)
        return attrs.evolve(self, rows=rows)


@contextlib.contextmanager
def csv_field_limit(limit: int) -> Iterator[None]:
    """Let the ``csv`` module read cells of up to ``limit`` characters inside the block.

    The limit is the process's (``csv.field_size_limit``), which other libraries set too:
    it is set for the block and put back after, so that what a file gives does not depend
    on what else was imported."""
    previous = csv.field_size_limit(limit)
    try:
        yield
    finally:
        csv.field_size_limit(previous)


def csv_error_message(error: csv.Error, field_limit: int) -> str:
    """What a ``csv.Error`` means, for a person: a cell over the limit says how long a cell
    may be; any other error is the csv module's own words."""
    if "field larger than field limit" in str(error):
        return (
            f"the CSV cannot be read: a cell is longer than {field_limit:,} characters, "
            "the most mio reads"
        )
    return f"the CSV cannot be read: {error}"


def read_delimited(
    data: bytes,
    file: str,
    delimiter: str | None = None,
    field_limit: int = DEFAULT_LIMITS.max_csv_field_bytes,
) -> DelimitedRows:
    """Return every row of a delimited text file with the line it starts on (a quoted line
    break keeps a row on its first line). ``delimiter`` None takes the one the first line
    uses most. A file that is no text or has no row gives no rows and says so; so does a
    cell longer than ``field_limit`` characters (a responses file's limit by default)."""
    text, problems = decode_text(data, file)
    if "\x00" in text[:8192]:  # NUL bytes are text only in UTF-16, which decode_text read
        return DelimitedRows(
            problems=(
                Problem(file=file, code="not-text", message="this is not a text file", line=1),
            )
        )
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=delimiter or sniff_file_delimiter(text)
    )
    rows: list[tuple[str, ...]] = []
    lines: list[int] = []
    previous = 0
    try:
        with csv_field_limit(field_limit):
            for row in reader:
                rows.append(tuple(row))
                lines.append(previous + 1)
                previous = reader.line_num
    except csv.Error as exc:
        problems.append(
            Problem(
                file=file,
                code="csv-syntax",
                message=csv_error_message(exc, field_limit),
                line=reader.line_num,
            )
        )
    if not rows and not any(p.code == "csv-syntax" for p in problems):
        problems.append(Problem(file=file, code="empty-file", message="the file is empty", line=1))
    return DelimitedRows(rows=tuple(rows), lines=tuple(lines), problems=tuple(problems))

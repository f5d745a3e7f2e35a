"""Decoding a survey tool's CSV export: the bytes to rows of text cells, with their lines.

One place knows how the tools write CSV — UTF-8 with or without BOM, UTF-16 with BOM
(Qualtrics' tab-separated export), else Windows-1252 (Excel's plain "CSV" on a Swedish
Windows machine, read with a warning); comma, semicolon or tab; any line ending. The
built-in ``csv`` importer and the importer plugins of particular tools use it.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools

import attrs

from ..problems import Problem, Severity

#: The delimiters survey tools and spreadsheets write, in the order a tie is decided.
DELIMITERS = (",", ";", "\t")
#: How much of a file, and how many of its first records, choose the delimiter.
SAMPLE_CHARS = 64 * 1024
SAMPLE_RECORDS = 50


@attrs.frozen(kw_only=True)
class CsvRows:
    """A CSV file's rows of text cells (header rows included), each row's first line in
    the file, and the problems met reading it (an undecodable or unreadable file)."""

    rows: tuple[tuple[str, ...], ...]
    lines: tuple[int, ...]
    problems: tuple[Problem, ...]


def decode_text(data: bytes, file: str) -> tuple[str | None, list[Problem]]:
    """Return the text of a survey tool's text export and the warnings of decoding it.

    UTF-8 (a BOM is dropped) or UTF-16 with its BOM; anything else is read as
    Windows-1252 with a warning. None (and an error) when the bytes are not text at all.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), []
        except UnicodeDecodeError as exc:
            return None, [
                Problem(file=file, code="not-text", message=f"the UTF-16 text is broken: {exc}")
            ]
    if b"\x00" in data[:8192]:
        return None, [
            Problem(file=file, code="not-text", message="this is not a text file", line=1)
        ]
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


def detect_delimiter(text: str) -> str:
    """Return the delimiter that splits the file's first records most consistently.

    Each candidate reads the first :data:`SAMPLE_RECORDS` records; of those that split the
    header, the one under which most records have as many fields as the header wins, then
    the one giving the header more fields. So a question text with semicolons in a
    comma-separated file does not make ``;`` the delimiter, and a one-line file is split
    where it splits most.
    """
    sample = text[:SAMPLE_CHARS]
    cut = len(text) > SAMPLE_CHARS

    def score(delimiter: str) -> tuple[bool, int, int]:
        reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
        try:
            records = [row for row in itertools.islice(reader, SAMPLE_RECORDS) if row]
        except csv.Error:
            return (False, 0, 0)
        if cut and len(records) > 1:
            records.pop()  # the sample may end inside the last record
        if not records:
            return (False, 0, 0)
        width = len(records[0])
        # A delimiter that does not split the header at all is a last resort.
        return (width > 1, sum(len(row) == width for row in records), width)

    return max(DELIMITERS, key=lambda d: (*score(d), -DELIMITERS.index(d)))


def read_csv_rows(data: bytes, file: str) -> CsvRows:
    """Return every row of the CSV ``data`` (a file called ``file``) with its first line.

    Problems: ``not-text`` (binary), ``not-utf8`` (a warning: read as Windows-1252),
    ``csv-syntax`` (with the line where reading stopped; the rows before it are kept).
    """
    text, problems = decode_text(data, file)
    if text is None:
        return CsvRows(rows=(), lines=(), problems=tuple(problems))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=detect_delimiter(text))
    rows: list[tuple[str, ...]] = []
    lines: list[int] = []
    previous = 0
    try:
        for row in reader:
            rows.append(tuple(row))
            lines.append(previous + 1)
            previous = reader.line_num
    except csv.Error as exc:
        problems.append(
            Problem(
                file=file,
                code="csv-syntax",
                message=f"the CSV cannot be read: {exc}",
                line=reader.line_num,
            )
        )
    return CsvRows(rows=tuple(rows), lines=tuple(lines), problems=tuple(problems))

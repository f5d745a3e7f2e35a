"""The one syntax of an answer cell: for the workspace's responses files and every import.

A responses file written by hand (in Swedish Excel, say) and a survey tool's export go
through these same functions, so a cell is accepted or refused, and read as the same value,
whichever way it came in. The syntax, decided once:

- **answers**: empty (or only spaces) is no answer; otherwise a number with ASCII digits, an
  optional sign (``-`` or the typographic minus ``−``), and an optional decimal part after
  a point (``3.5``) or a comma (``3,5``, as Swedish spreadsheets write it; a comma is always
  a decimal sign, never a thousands separator); ``1e-05`` as Python writes small floats.
  A whole number comes back as ``int`` (``4,0`` is 4). Text, ``nan``, ``inf``, thousands
  separators, ``1_000`` and digits of other scripts are refused.
- **cells kept as written**: a cell that is not a number exactly as the workspace writes
  numbers (``007``, ``4,0``, ``+4``, ``1e3``, ``-0``, ``NaN``, text) is kept as its text,
  spaces around it removed, so nothing the respondent wrote is lost; the item it answers
  decides what it means (:func:`item_answer`, applied when the workspace is read, by
  :func:`mio_core.io.read.answers_by_kind`, and on import; then
  :mod:`mio_core.validate.response_rules`): the exact text for a ``text`` item, the number
  it is written as (``4,0`` is 4) for a scale item and for a ``choice`` item's code (``07``
  is the option ``7``), codes separated by ``;`` (``bus;bike``) for a ``multi-choice``
  item, and ``not-a-number`` for a scale item whose text is no number. The cache keeps the
  cells as the reader gives them, so it needs no item either.
- **dates**: ISO 8601, ``YYYY-MM-DD``; a date and time as survey tools export their
  timestamps (``2024-03-05T14:22:01``, ``2024-03-05 14:22``, with seconds, fractions, ``Z``
  or an offset) gives its date as written, not converted to another time zone. Dates
  written in a locale's own order (``5/3/2024``) are refused: they are ambiguous.
- **respondents**: an id (lowercase letters, digits, ``-`` and ``_``), spaces around it
  ignored.

Each reader raises :class:`CellError`, whose ``code`` and ``message`` are the problem both
paths report.
"""

from __future__ import annotations

import datetime as dt
import re
import sys

from ..model import Answer, ItemKind, answer_text
from ..model.common import is_slug, unlike_ascii

_SIGN = r"[+\-\u2212]?"
_POINT_NUMBER = re.compile(_SIGN + r"[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_COMMA_NUMBER = re.compile(_SIGN + r"[0-9]+,[0-9]+")
_DATE_TIME = re.compile(
    r"(?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2})"
    r"(?:[T ](?P<time>[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:[.,][0-9]{1,9})?)?)"
    r"(?P<zone>Z|[+-][0-9]{2}(?::?[0-9]{2})?)?)?"
)
#: The longest number text read at all (the workspace writes a whole float of up to 309
#: digits in full); longer ones are refused before any conversion.
_MAX_NUMBER_LENGTH = 400


class CellError(ValueError):
    """A cell that is not what its column needs; ``code`` and ``message`` make the problem."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def parse_answer(text: str, item: str = "") -> float | None:
    """Return the number in an answer cell (None when empty); raises :class:`CellError`.

    ``item`` names the column in the message (``ops1: 'x' is not a number``).
    """
    stripped = text.strip()
    if not stripped:
        return None
    if len(stripped) <= _MAX_NUMBER_LENGTH:
        if stripped.isascii() and stripped.isdigit():  # the common case, fast
            return int(stripped)
        normalised = stripped.replace("\u2212", "-")
        if _COMMA_NUMBER.fullmatch(normalised):
            normalised = normalised.replace(",", ".")
        if _POINT_NUMBER.fullmatch(normalised):
            number = float(normalised)
            if number not in (float("inf"), float("-inf")):
                if number.is_integer():
                    return int(number)
                return number
    prefix = f"{item}: " if item else ""
    raise CellError("not-a-number", f"{prefix}{text!r} is not a number")


def parse_cell(text: str) -> float | str | None:
    """Return the answer in a cell: None when empty, a number when the cell is that number
    exactly as the workspace writes it (``4``, ``3.5``, ``-2``), else the cell's text with
    the spaces around it removed (``007``, ``4,0``, ``1e3``, ``ja``).

    A number is read only when its text says nothing more than the number, so
    :func:`~mio_core.model.answer_text` of the result is always the cell as written (without
    the spaces around it). Whether text is a fine answer, and which number it stands for,
    depends on the item (:func:`number_answer`); the rules decide, never the reader.
    """
    stripped = text.strip()
    if not stripped:
        return None
    if stripped.isascii() and stripped.isdigit():  # the common case, fast
        return int(stripped) if stripped[0] != "0" or len(stripped) == 1 else stripped
    try:
        number = parse_answer(stripped)
    except CellError:
        return stripped
    return number if answer_text(number) == stripped else stripped


def item_answer(value: Answer, kind: ItemKind | None) -> Answer:
    """Return what a cell read by :func:`parse_cell` answers an item of ``kind``: a text
    item's answer is the text as written (``007`` stays ``007``, ``12`` is ``"12"``); a
    scale or choice item's, or one of an unknown item (None), is the number a text written
    as a number holds (:func:`number_answer`)."""
    if kind is ItemKind.TEXT:
        return value if value is None or isinstance(value, str) else answer_text(value)
    return number_answer(value)


def number_answer(value: Answer) -> Answer:
    """Return an answer as a scale item or a choice item's code reads it: text that is a
    number written another way (``007``, ``4,0``, ``+4``, ``1e3``, ``−1``, as
    :func:`parse_answer` reads numbers) is that number; any other value is returned as it is.

    A text item's answer is never passed through this: it is the text as written.
    """
    if not isinstance(value, str):
        return value
    try:
        return parse_answer(value)
    except CellError:
        return value


def parse_date(text: str) -> dt.date | None:
    """Return the date in a date cell (None when empty); raises :class:`CellError`."""
    stripped = text.strip()
    if not stripped:
        return None
    match = _DATE_TIME.fullmatch(stripped)
    if match is not None:
        try:
            date = dt.date.fromisoformat(match["date"])
            if match["time"] is not None:
                # Checks the hour, minutes and offset; the date is kept as it was written.
                dt.datetime.fromisoformat(f"{match['date']}T{match['time']}{match['zone'] or ''}")
        except ValueError:
            pass
        else:
            return date
    raise CellError(
        "invalid-date",
        f"{text!r} is not a date (YYYY-MM-DD, or a date and time such as 2024-03-05 14:22)"
        + excel_date_hint(stripped),
    )


#: A day number as Excel stores a date (and a time as the day's fraction): 45356, 45356.58.
_EXCEL_DAY = re.compile(r"[0-9]{5}(?:[.,][0-9]+)?")
#: Excel's day 0 in its 1900 date system (the one Windows Excel uses; Mac files may use 1904).
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def excel_date_hint(text: str) -> str:
    """Return what to add to a date cell's problem when it holds Excel's day number for a
    date of 1930-2099 (a column saved as CSV without a date format), else ""."""
    stripped = text.strip()
    if not _EXCEL_DAY.fullmatch(stripped):
        return ""
    days = int(float(stripped.replace(",", ".")))
    if not 10959 <= days <= 73050:
        return ""
    day = _EXCEL_EPOCH + dt.timedelta(days=days)
    return (
        f"; {stripped!r} looks like an Excel date number (day {days} is {day.isoformat()} in "
        "Excel's 1900 date system): format the column as a date in Excel before saving the "
        "CSV, or export the file as .xlsx"
    )


def parse_respondent(text: str) -> str:
    """Return the respondent id in a cell; raises :class:`CellError` when it is not an id."""
    stripped = text.strip()
    if not is_slug(stripped):
        raise CellError(
            "invalid-value",
            f"{text!r} is not a respondent id (lowercase letters, digits, '-' and '_')"
            + unlike_ascii(stripped),
        )
    # Interned: the same person answers many files, and is named in the YAML files too.
    return sys.intern(stripped)

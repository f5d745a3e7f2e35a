"""The readers of each survey tool's export: which rows are the header, what each column's
header text and key are. Everything else (rows, problems) is :func:`._grid.finish`'s."""

from __future__ import annotations

import json
from collections.abc import Sequence

from mio_core import ImportedTable, Problem, Severity

from ._grid import Grid, error, finish, header_rows, load_grid


def _refused(grid: Grid) -> ImportedTable | None:
    """Return the table of a grid that could not be read at all, else None."""
    if grid.failed() and not grid.rows:
        return ImportedTable(header=(), rows=(), problems=grid.problems)
    if not any(cell.strip() for row in grid.rows for cell in row):
        return ImportedTable(
            header=(),
            rows=(),
            problems=(*grid.problems, error(grid.file, "empty-file", "the file is empty", 1)),
        )
    return None


def _warning(file: str, code: str, message: str) -> Problem:
    return Problem(file=file, code=code, message=message, line=1, severity=Severity.WARNING)


def read_xlsx(data: bytes, file: str, sheet: str | None = None) -> ImportedTable:
    """Return the table of one sheet of an .xlsx workbook (the first when ``sheet`` is
    None): its first row is the header; ``lines`` are the sheet's row numbers."""
    grid = load_grid(data, file, sheet)
    if not grid.spreadsheet:
        return ImportedTable(
            header=(),
            rows=(),
            problems=(
                error(
                    file,
                    "not-xlsx",
                    "this is not an .xlsx workbook; read a CSV with the csv importer",
                ),
            ),
        )
    refused = _refused(grid)
    if refused is not None:
        return refused
    return finish(grid, header=header_rows(grid, 1)[0], body_start=1)


#: Microsoft Forms' own columns before the questions, English and Swedish, with their keys.
MICROSOFT_FORMS_COLUMNS = {
    "id": "ms:id",
    "start time": "ms:start-time",
    "starttid": "ms:start-time",
    "completion time": "ms:completion-time",
    "slutförandetid": "ms:completion-time",
    "sluttid": "ms:completion-time",
    "email": "ms:email",
    "e-post": "ms:email",
    "name": "ms:name",
    "namn": "ms:name",
    "last modified time": "ms:last-modified-time",
    "senaste ändringstid": "ms:last-modified-time",
    "total points": "ms:total-points",
    "quiz feedback": "ms:quiz-feedback",
}


def _tool_keys(header: Sequence[str], known: dict[str, str], prefix: str) -> list[str]:
    """Keys for a header-only export: the tool's own columns in its leading run get their
    names, every question column ``<prefix>:q<n>`` by its place among the questions."""
    keys: list[str] = []
    leading = True
    questions = 0
    for text in header:
        key = known.get(" ".join(text.split()).casefold()) if leading else None
        if key is not None and key not in keys:
            keys.append(key)
            continue
        leading = False
        questions += 1
        keys.append(f"{prefix}:q{questions}")
    return keys


def read_microsoft_forms(data: bytes, file: str) -> ImportedTable:
    """Return the table of a Microsoft Forms "Open in Excel" export (.xlsx or .csv).

    Its own columns (``ID``, ``Start time``, ``Completion time``, ``Email``, ``Name``,
    ``Last modified time``) get keys ``ms:id``, ``ms:start-time`` …; each question column
    (a Likert statement is a column of its own) ``ms:q<n>``. Answers stay label text.
    """
    grid = load_grid(data, file)
    refused = _refused(grid)
    if refused is not None:
        return refused
    header = header_rows(grid, 1)[0]
    keys = _tool_keys(header, MICROSOFT_FORMS_COLUMNS, "ms")
    first = header[0] if header else ""
    problems = []
    if "ms:id" not in keys:
        problems.append(
            _warning(
                file,
                "not-microsoft-forms",
                f"the first column is {first!r}, not Microsoft Forms' 'ID': is this a "
                "Microsoft Forms export?",
            )
        )
    return finish(grid, header=header, keys=keys, body_start=1, problems=problems)


#: Google Forms' own columns, in the locales seen, with their keys.
GOOGLE_FORMS_COLUMNS = {
    "timestamp": "google:timestamp",
    "tidstämpel": "google:timestamp",
    "email address": "google:email",
    "e-postadress": "google:email",
    "score": "google:score",
    "poäng": "google:score",
}


def read_google_forms(data: bytes, file: str) -> ImportedTable:
    """Return the table of Google Forms' "Download responses (.csv)" (or the responses
    sheet saved as .xlsx): ``Timestamp``, ``Email Address`` when collected (or their
    Swedish ``Tidstämpel``, ``E-postadress``), then a column per question, a grid's rows
    as ``Question [Row]``. Keys: ``google:timestamp``, ``google:email``, ``google:q<n>``.
    """
    grid = load_grid(data, file)
    refused = _refused(grid)
    if refused is not None:
        return refused
    header = header_rows(grid, 1)[0]
    keys = _tool_keys(header, GOOGLE_FORMS_COLUMNS, "google")
    first = header[0] if header else ""
    problems = []
    if keys[:1] != ["google:timestamp"]:
        problems.append(
            _warning(
                file,
                "not-google-forms",
                f"the first column is {first!r}, not Google Forms' 'Timestamp': is this a "
                "Google Forms export?",
            )
        )
    return finish(grid, header=header, keys=keys, body_start=1, problems=problems)


#: Column tags only a Qualtrics export has in its first row (current and legacy exports).
QUALTRICS_ID_TAGS = frozenset({"ResponseId", "ResponseID", "_recordId", "V1"})


def _is_import_id(cell: str) -> bool:
    """Whether ``cell`` is a column's ImportId JSON (``{"ImportId":"QID3_1"}``), its keys in
    any order and spacing (``{"choiceId": "1", "ImportId": "QID3"}``)."""
    text = cell.strip()
    if not (text.startswith("{") and text.endswith("}") and "ImportId" in text):
        return False
    try:
        value = json.loads(text)
    except ValueError:
        return False
    return isinstance(value, dict) and "ImportId" in value


def read_qualtrics(data: bytes, file: str) -> ImportedTable:
    """Return the table of a Qualtrics CSV/TSV export: row 1 the tags (``Q3_1``, the keys),
    row 2 the question text (the header), row 3 — in current exports — each column's
    ``{"ImportId":"QID3_1"}``; legacy exports have the first two rows only. ``lines``
    count every header row. Negative codes (-99, -1) stay as they are, for the mapping."""
    grid = load_grid(data, file)
    refused = _refused(grid)
    if refused is not None:
        return refused
    count = 3 if len(grid.rows) > 2 and any(_is_import_id(c) for c in grid.rows[2]) else 2
    rows = header_rows(grid, count)
    tags = rows[0]
    if not QUALTRICS_ID_TAGS & {t.strip() for t in tags} and count == 2:
        return ImportedTable(
            header=(),
            rows=(),
            problems=(
                *grid.problems,
                error(
                    file,
                    "not-qualtrics",
                    "the first row has no ResponseId and the third row no ImportId: this is not a "
                    "Qualtrics export",
                    1,
                ),
            ),
        )
    texts = rows[1] if len(rows) > 1 else [""] * len(tags)
    header = [text if text.strip() else tag for tag, text in zip(tags, texts, strict=True)]
    return finish(grid, header=header, keys=tags, body_start=count, keys_are_own=True)


#: What SurveyMonkey writes in the second header row when the column is the question's
#: only answer (not a row, choice or "other" of it).
SURVEYMONKEY_SINGLE = frozenset({"", "response", "open-ended response"})
SURVEYMONKEY_ID = frozenset({"respondent id", "respondentid"})


def read_surveymonkey(data: bytes, file: str) -> ImportedTable:
    """Return the table of a SurveyMonkey "All responses data" export (CSV or XLSX): row 1
    the question text, written once over a matrix's or multiple choice's columns; row 2
    the row or choice label, ``Response`` or ``Open-Ended Response``. The header is
    ``question / label`` (the question alone for ``Response``); the key ``question | label``
    (``#2``… added to a repeated one), so that two columns never share a key."""
    grid = load_grid(data, file)
    refused = _refused(grid)
    if refused is not None:
        return refused
    rows = header_rows(grid, 2)
    if len(rows) < 2 or not SURVEYMONKEY_ID & {" ".join(c.split()).casefold() for c in rows[0]}:
        return ImportedTable(
            header=(),
            rows=(),
            problems=(
                *grid.problems,
                error(
                    file,
                    "not-surveymonkey",
                    "the first row has no 'Respondent ID': this is not a SurveyMonkey export with "
                    "two header rows",
                    1,
                ),
            ),
        )
    header: list[str] = []
    keys: list[str] = []
    question = ""
    for asked, label in zip(rows[0], rows[1], strict=True):
        question = asked.strip() or question
        single = label.strip().casefold() in SURVEYMONKEY_SINGLE
        header.append(question if single else f"{question} / {label.strip()}")
        key = f"{question} | {label.strip()}" if label.strip() else question
        number = 1
        unique = key
        while unique in keys:
            number += 1
            unique = f"{key} #{number}"
        keys.append(unique)
    return finish(grid, header=header, keys=keys, body_start=2, keys_are_own=True)

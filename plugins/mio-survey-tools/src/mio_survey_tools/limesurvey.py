"""LimeSurvey: the "Export responses" file (CSV or xlsx) and the answer codes of a ``.lss``.

LimeSurvey writes its CSV in UTF-8 with a BOM, every field quoted, CRLF line ends and a
blank line at the end; the separator is a comma unless the exporter chose another. The
headings are, by the export's "Headings" option, the question codes (``G1Q1``, an array
row ``Q1[SQ001]``, ``Q1[other]``, ``Q1[SQ001comment]``, and the response's metadata ``id``,
``submitdate``, ``lastpage``, ``startlanguage``, ``seed``, ``token``, ``startdate``,
``datestamp``, ``ipaddr``, ``refurl``), the full or abbreviated question text, or "question
code & question text" (``Q1[SQ001]. Text [Row]``, split here into the key and the text).
Answers are kept as the file has them — answer codes (``A1``, ``AO01``, ``Y``) or answer
text: LimeSurvey's codes need not follow the scale's order (A1, A5, A2, A3 with A4 "don't
want to answer" are real), so only a mapping turns them into values. A multiple choice
question (type ``M``) is a column ``Q[code]`` per option, ``Y`` (``1`` by *Convert Y to*,
``Yes`` as a full answer) when chosen and empty when not: the reader adds a column ``Q``
with the chosen codes, lowercased (mio's option codes) and separated by ``;`` — the answer
of a multi-choice item; ``other`` among them when ``Q[other]`` holds a text.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import NoReturn
from xml.parsers.expat import ExpatError, ParserCreate

from mio_core import ImportedTable, Problem, Severity, WorkspaceError

from ._table import body, duplicates, problem, read_grid

#: A LimeSurvey column code: a question code and any bracketed subquestion/other/comment.
CODE = r"[A-Za-z][A-Za-z0-9_]*(?:\[[^\]\s]+\])*"
_CODE = re.compile(CODE)
#: "Question code & question text": the code, the separator (". " by default), the text.
_CODE_AND_TEXT = re.compile(rf"({CODE})(?:\. |: | - |\.)\s*(.*)", re.DOTALL)
#: An SGQA code, the column name of LimeSurvey's own response table (``lime_survey_<sid>``):
#: survey id, ``X``, group id, ``X``, question id, then a subquestion code, ``other``,
#: ``comment`` or a dual scale's ``#0``.
_SGQA = re.compile(r"\d+X\d+X\d+[A-Za-z0-9_#]*")


def split_headings(headings: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Return (header text, keys) for LimeSurvey headings: codes are their own text;
    "code. text" headings split; question-text headings have no keys (empty tuple)."""
    stripped = tuple(h.strip() for h in headings)
    if all(_CODE.fullmatch(h) or _SGQA.fullmatch(h) for h in stripped):
        return stripped, stripped
    parts = [_CODE_AND_TEXT.fullmatch(h) for h in stripped]
    if all(parts):
        keys = tuple(p.group(1) for p in parts if p)
        texts = tuple(p.group(2).strip() or p.group(1) for p in parts if p)
        return texts, keys
    return stripped, ()


_ROW = re.compile(r"([A-Za-z][A-Za-z0-9_]*)\[([A-Za-z0-9_]+)\]")
_NOT_OPTIONS = frozenset(("other", "comment"))


#: What a chosen option's cell holds (casefolded): ``Y``, ``1`` when the export's *Convert Y
#: to* says so, ``Yes`` (``Ja`` in a Swedish survey) with *Full answers*; an option not
#: chosen is empty (``N``, ``0``, ``No``, ``Nej``).
_CHOSEN = frozenset(("y", "1", "yes", "ja"))
_NOT_CHOSEN = frozenset(("", "n", "0", "no", "nej"))


def _multiple_choice(
    keys: tuple[str, ...], rows: tuple[tuple[str, ...], ...]
) -> dict[str, tuple[str, list[tuple[int, str]]]]:
    """{question code: (the chosen mark, [(column, option code), …])} of the multiple choice
    questions: two or more ``Q[code]`` columns (``other`` and comments aside) whose cells
    are all one chosen mark (``Y`` or ``1``) or not chosen, and no column ``Q``."""
    found: dict[str, list[tuple[int, str]]] = {}
    for index, key in enumerate(keys):
        match = _ROW.fullmatch(key)
        if match and match[2].lower() not in _NOT_OPTIONS and not match[2].endswith("comment"):
            found.setdefault(match[1], []).append((index, match[2]))
    chosen: dict[str, tuple[str, list[tuple[int, str]]]] = {}
    for question, columns in found.items():
        if question in keys or len(columns) < 2:
            continue
        marks = {row[i].strip().casefold() for row in rows for i, _ in columns} - _NOT_CHOSEN
        if not marks or (len(marks) == 1 and marks <= _CHOSEN):
            chosen[question] = (next(iter(marks), "y"), columns)
    return chosen


def read_limesurvey(data: bytes, file: str) -> ImportedTable:
    """Read a LimeSurvey responses export (CSV or xlsx) into a table of text cells.

    ``keys`` are the question codes when the headings carry them (codes, or code & text);
    with question-text headings there are none, and a warning says so.
    """
    grid = read_grid(data, file)
    if not grid.rows:
        return ImportedTable(header=(), rows=(), problems=grid.problems)
    header, keys = split_headings(grid.rows[0])
    rows = body(header, grid.rows[1:], grid.lines[1:], file)
    problems = [*grid.problems, *rows.problems]
    if keys:
        problems += duplicates(keys, file, "question code", Severity.ERROR)
        if sgqa := next((key for key in keys if _SGQA.fullmatch(key)), None):
            problems.append(
                problem(
                    file,
                    "sgqa-headings",
                    f"the headings are SGQA codes ({sgqa!r}: survey, group and question ids), "
                    "as LimeSurvey's own response table names its columns, not the question "
                    "codes: export the responses from Responses → Export with Headings "
                    "'Question code' so the columns are Q1[SQ001], or map these by key",
                    Severity.WARNING,
                )
            )
    else:
        problems.append(
            problem(
                file,
                "no-question-codes",
                "the headings are question text, so the columns have no LimeSurvey codes; "
                "map them by their text, or export again with Headings 'Question code' (or "
                "'Question code & question text')",
                Severity.WARNING,
            )
        )
        problems += duplicates(header, file, "heading", Severity.WARNING)
    table_rows = rows.rows
    if keys and (multiple := _multiple_choice(keys, rows.rows)):
        added = tuple(multiple)
        # An "Other" answer is its text in Q[other]: the added column says "other", so that
        # it is read (labels: {item: {other: ...}}) or refused, never dropped unseen.
        other = {
            match[1]: index
            for index, key in enumerate(keys)
            if (match := _ROW.fullmatch(key)) and match[2].lower() == "other"
        }
        header, keys = (*header, *added), (*keys, *added)
        table_rows = tuple(
            (
                *row,
                *(
                    ";".join(
                        [
                            *(
                                code.lower()
                                for i, code in multiple[q][1]
                                if row[i].strip().casefold() == multiple[q][0]
                            ),
                            *(["other"] if q in other and row[other[q]].strip() else []),
                        ]
                    )
                    for q in added
                ),
            )
            for row in rows.rows
        )
    return ImportedTable(
        header=header, keys=keys, rows=table_rows, lines=rows.lines, problems=problems
    )


class _Refused(Exception):
    """The XML declares a DTD or an entity."""


def _refuse(*args: object) -> NoReturn:
    raise _Refused


def parse_xml(data: bytes, file: str) -> ET.Element:
    """Parse ``data`` into an element tree, refusing any DTD or entity declaration (so a
    hostile file cannot expand entities); a broken file raises :class:`WorkspaceError`."""
    builder = ET.TreeBuilder()
    expat = ParserCreate()
    expat.buffer_text = True
    expat.StartElementHandler = builder.start
    expat.EndElementHandler = builder.end
    expat.CharacterDataHandler = builder.data
    expat.StartDoctypeDeclHandler = _refuse
    expat.EntityDeclHandler = _refuse
    expat.UnparsedEntityDeclHandler = _refuse
    expat.ExternalEntityRefHandler = _refuse
    try:
        expat.Parse(data, True)
        return builder.close()
    except _Refused:
        reason = "the file declares a DTD or entities, which a survey structure never does"
        line = expat.CurrentLineNumber
    except ExpatError as error:
        reason, line = f"the file is not well-formed XML: {error}", error.lineno
    raise WorkspaceError(
        [Problem(file=file, code="bad-xml", message=reason, line=line)],
        summary=f"{file} cannot be read as a LimeSurvey survey structure",
    )


def _rows(root: ET.Element, table: str) -> list[dict[str, str]]:
    section = root.find(table)
    if section is None:
        return []
    return [
        {child.tag: (child.text or "").strip() for child in row}
        for row in section.findall("rows/row")
    ]


def answer_codes(lss: bytes, file: str, language: str | None = None) -> dict[str, dict[str, str]]:
    """Return {question code: {answer code: answer text}} from a LimeSurvey ``.lss``.

    Array questions' rows (``Q1[SQ001]`` in the responses) use their question's codes, so
    look a column up by the code before the ``[``. ``language`` picks the answer texts'
    language (default: the survey's first). Both ``.lss`` layouts are read: answer texts
    in ``answers`` (LimeSurvey 2–3) or in ``answer_l10ns`` (4 and later). Only the first
    scale of a dual-scale array is given.
    """
    root = parse_xml(lss, file)
    languages = [(e.text or "").strip() for e in root.findall("languages/language")]
    wanted = language or (languages[0] if languages else None)
    questions = {row.get("qid", ""): row.get("title", "") for row in _rows(root, "questions")}
    texts: dict[str, dict[str, str]] = {}
    for row in _rows(root, "answer_l10ns"):
        texts.setdefault(row.get("aid", ""), {})[row.get("language", "")] = row.get("answer", "")
    codes: dict[str, dict[str, str]] = {}
    for row in _rows(root, "answers"):
        if row.get("scale_id", "0") not in ("", "0"):
            continue
        question = questions.get(row.get("qid", ""))
        code = row.get("code", "")
        if not question or not code:
            continue
        if "answer" in row:  # LimeSurvey 2–3: one row per language
            if wanted and row.get("language", wanted) != wanted:
                continue
            label = row["answer"]
        else:
            by_language = texts.get(row.get("aid", ""), {})
            label = by_language.get(wanted or "", next(iter(by_language.values()), ""))
        codes.setdefault(question, {})[code] = label
    return codes

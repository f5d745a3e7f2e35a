"""An XLSForm's survey and choices sheets back to an instrument.

Read with :func:`mio_core.io.xlsx.read_sheet` rather than pyxform's ``xlsx_to_dict``: that
drops the row numbers a problem must name, trims every text and turns no-break spaces into
spaces.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Mapping

import mio_core as m
from mio_core.io import Sheet, read_sheet
from mio_core.model import (
    EvaluationLevel,
    Instrument,
    InvalidField,
    Item,
    ItemKind,
    Option,
    ResponseScale,
    ScaleLabel,
    Subscale,
    Text,
    Translations,
)

from ._form import NO_REFERENCE, REFERENCE, RESERVED

_LANGUAGE = re.compile(r"label::(?:.*\(([A-Za-z-]+)\)|(.+))")
_SELECT = re.compile(r"(select_one|select_multiple)\s+(\S+)(?:\s+or_other)?")

Row = dict[str, str]
#: report(sheet, row, column, message)
Report = Callable[[str, int, str, str], None]


def _table(sheet: Sheet) -> tuple[list[str], list[tuple[int, Row]]]:
    if not sheet.rows:
        return [], []
    header = [cell.strip().lower() for cell in sheet.rows[0]]
    table = []
    for number, values in zip(sheet.lines[1:], sheet.rows[1:], strict=True):
        row = {name: value for name, value in zip(header, values, strict=False) if name}
        if any(v.strip() for v in row.values()):
            table.append((number, row))
    return header, table


def _label_columns(header: list[str]) -> list[tuple[str, str]]:
    """(column, language) of each label column; ``label`` alone has the language ``""``."""
    found = []
    for column in header:
        if column == "label":
            found.append((column, ""))
        elif match := _LANGUAGE.fullmatch(column):
            found.append((column, (match[1] or match[2]).strip()))
    return found


def _text(row: Row, columns: list[tuple[str, str]], fallback: str) -> Text:
    values = {
        language: row.get(column, "").replace(NO_REFERENCE, REFERENCE)
        for column, language in columns
    }
    values = {language: text for language, text in values.items() if text.strip()}
    if not values:
        return fallback
    if len(set(values.values())) == 1 and (len(values) == len(columns) or "" in values):
        return next(iter(values.values()))
    return Translations({language or "und": text for language, text in values.items()})


def _slug(name: str) -> str:
    name = re.sub(r"[^a-z0-9_-]+", "_", name.lower()).strip("_-")
    return name[:64].strip("_-") or "item"


def _mio_name(name: str) -> str:
    """The id of an XLSForm name as :func:`mio_xlsform.xml_name` wrote it."""
    if name.startswith("_") and (name[1:2].isdigit() or name[1:].lower() in RESERVED):
        return name[1:]
    return name


def _split_scale(values: list[int]) -> tuple[int, int]:
    """The longest run of consecutive values, as (min, max)."""
    ordered = sorted(set(values))
    best = start = ordered[0]
    low = ordered[0]
    for previous, value in itertools.pairwise(ordered):
        if value != previous + 1:
            start = value
        if value - start > best - low:
            low, best = start, value
    return low, best


def instrument_from_xlsform(
    data: bytes,
    *,
    instrument_id: str | None = None,
    level: EvaluationLevel | str | None = None,
    file: str = "XLSForm",
) -> Instrument:
    """Return the instrument an XLSForm describes.

    Every ``select_one`` question is an item on the scale of its choice list, except the
    question that says who answered (the list ``participants``, or a question named
    ``respondent``); text, date, hidden and calculated questions are not items. A choice
    list whose names are whole numbers is a scale of those values; any other list numbers
    its choices 1, 2... in the form's order (as KoboToolbox's answers are numbered). The
    ``mio_*`` columns this plugin writes (the item's id, its scale, subscales, reverse keys,
    "no answer" codes) are read when present; values off the longest run of consecutive
    values are "no answer" codes when no ``mio_missing`` column says.

    Raises :class:`mio_core.WorkspaceError` listing every problem with its sheet, row and
    column.
    """
    read = {name: read_sheet(data, file, name) for name in ("survey", "choices", "settings")}
    broken = [p for sheet in read.values() for p in sheet.problems if p.code != "no-sheet"]
    if broken:
        raise m.WorkspaceError(broken[:1], summary=f"{file} is not an XLSForm")
    survey_header, survey = _table(read["survey"])
    choices_header, choices = _table(read["choices"])
    _, settings = _table(read["settings"])
    problems: list[m.Problem] = []

    def problem(sheet: str, row: int, column: str, message: str) -> None:
        problems.append(
            m.Problem(file=file, code="xlsform", message=message, line=row, path=(sheet, column))
        )

    for sheet, header in (("survey", survey_header), ("choices", choices_header)):
        needed = ("type", "name") if sheet == "survey" else ("list_name", "name")
        if not all(column in header for column in needed):
            problems.append(
                m.Problem(file=file, code="xlsform", line=1, path=(sheet,),
                          message=f"not an XLSForm: the {sheet!r} sheet needs the columns "
                          f"{' and '.join(needed)}")
            )  # fmt: skip
    if problems:
        raise m.WorkspaceError(problems, summary=f"{file} is not an XLSForm")
    settings_row = settings[0][1] if settings else {}
    option_lists = _option_lists(survey, choices, "mio_scale" in choices_header)
    lists = _choice_lists(
        [(n, row) for n, row in choices if row.get("list_name", "").strip() not in option_lists],
        _label_columns(choices_header),
        problem,
    )
    options = _options(choices, option_lists, _label_columns(choices_header), problem)
    items, subscales, used = _items(survey, _label_columns(survey_header), lists, options, problem)
    if not problems and not items:
        problem("survey", 1, "type", "the form has no question to make an item of")
    if problems:
        raise m.WorkspaceError(problems, summary=f"{len(problems)} problem(s) in {file}")
    scales = [
        scale for name, scale in lists.items() if name in used or "mio_scale" in choices_header
    ]
    title = settings_row.get("form_title", "") or settings_row.get("form_id", "") or "form"
    try:
        return Instrument(
            id=instrument_id or _slug(settings_row.get("form_id", "") or "xlsform"),
            title=title,
            version=settings_row.get("version", "") or "1",
            level=level or settings_row.get("mio_level", "") or EvaluationLevel.REACTION,
            target=settings_row.get("mio_target", "") or "participant",
            occasions=tuple(settings_row.get("mio_occasions", "").split()),
            licence=settings_row.get("mio_licence", "") or None,
            scales=scales,
            items=items,
            subscales=tuple(
                Subscale(id=name, title=name, items=members, reverse=tuple(reverse))
                for name, (members, reverse) in subscales.items()
            ),
        )
    except (ValueError, InvalidField) as error:
        raise m.WorkspaceError(
            [m.Problem(file=file, code="xlsform", line=2, path=("settings",),
                       message=f"the form does not make an instrument: {error}")],
            summary=f"1 problem in {file}",
        ) from None  # fmt: skip


def _choice_lists(
    choices: list[tuple[int, Row]],
    labels: list[tuple[str, str]],
    problem: Report,
) -> dict[str, ResponseScale]:
    grouped: dict[str, list[tuple[int, Row]]] = {}
    for number, row in choices:
        if row.get("list_name", "").strip() and row.get("list_name", "").strip() != "participants":
            grouped.setdefault(row["list_name"].strip(), []).append((number, row))
    scales: dict[str, ResponseScale] = {}
    for name, rows in grouped.items():
        names = [row.get("name", "").strip() for _, row in rows]
        numbered = all(re.fullmatch(r"-?\d+", n) for n in names)
        values = [int(n) for n in names] if numbered else list(range(1, len(rows) + 1))
        if len(set(values)) != len(values):
            number = next(rows[i][0] for i, v in enumerate(values) if v in values[:i])
            problem("choices", number, "name", f"the list {name!r} has a choice name twice")
            continue
        marked = any("mio_missing" in row for _, row in rows)
        missing = [
            v
            for v, (_, row) in zip(values, rows, strict=True)
            if row.get("mio_missing", "").strip() == "yes"
        ]
        if marked:
            on_scale = [v for v in values if v not in missing]
            low, high = (min(on_scale), max(on_scale)) if on_scale else (0, 0)
        else:
            low, high = _split_scale(values)
            missing = [v for v in values if not low <= v <= high]
        # without mio's column, a label that is the value's own number is no label
        flagged = "mio_unlabelled" in rows[0][1]
        texts: dict[int, Text | None] = {}
        for v, (_, row) in zip(values, rows, strict=True):
            text = _text(row, labels, str(v))
            unlabelled = (
                row.get("mio_unlabelled", "").strip() == "yes" if flagged else text == str(v)
            )
            texts[v] = None if unlabelled else text
        scale_id = rows[0][1].get("mio_scale", "").strip() or _slug(_mio_name(name))
        try:
            scales[name] = ResponseScale(
                id=scale_id,
                min=low,
                max=high,
                labels=[
                    ScaleLabel(value=v, text=t)
                    for v in sorted(texts)
                    if low <= v <= high and (t := texts[v]) is not None
                ],
                missing=[ScaleLabel(value=v, text=texts[v] or str(v)) for v in missing],
            )
        except (ValueError, InvalidField) as error:
            problem(
                "choices", rows[0][0], "name", f"the list {name!r} is no response scale: {error}"
            )
    return scales


def _option_lists(
    survey: list[tuple[int, Row]], choices: list[tuple[int, Row]], marked: bool
) -> set[str]:
    """The choice lists that hold the options of choice items, not a scale: the lists of
    ``select_multiple`` questions, and in a form this plugin wrote (a ``mio_scale`` column)
    the lists of ``select_one`` questions whose choices name no scale."""
    scales = {
        row.get("list_name", "").strip() for _, row in choices if row.get("mio_scale", "").strip()
    }
    found = set()
    for _, row in survey:
        select = _SELECT.fullmatch(row.get("type", "").strip())
        if select is None or select[2] == "participants":
            continue
        if select[1] == "select_multiple" or (marked and select[2] not in scales):
            found.add(select[2])
    return found


def _options(
    choices: list[tuple[int, Row]],
    names: set[str],
    labels: list[tuple[str, str]],
    problem: Report,
) -> dict[str, list[Option]]:
    """{list name: its options} for the lists of choice items; a choice name is the code."""
    found: dict[str, list[Option]] = {name: [] for name in names}
    for number, row in choices:
        list_name = row.get("list_name", "").strip()
        if list_name not in found:
            continue
        code = row.get("name", "").strip()
        try:
            found[list_name].append(Option(code=code, text=_text(row, labels, code)))
        except (ValueError, InvalidField) as error:
            problem("choices", number, "name", f"not an option of the list {list_name!r}: {error}")
    return found


def _other_item(
    kind: ItemKind, row: Row, labels: list[tuple[str, str]], options: list[Option]
) -> Item:
    name = row.get("name", "").strip()
    return Item(
        id=row.get("mio_id", "").strip() or _slug(_mio_name(name)),
        text=_text(row, labels, name),
        kind=kind,
        options=options,
    )


def _items(
    survey: list[tuple[int, Row]],
    labels: list[tuple[str, str]],
    lists: Mapping[str, ResponseScale],
    options: Mapping[str, list[Option]],
    problem: Report,
) -> tuple[list[Item], dict[str, tuple[list[str], list[str]]], set[str]]:
    """The items of the survey sheet, one branch per kind of question: a ``text`` question
    this plugin wrote (it has a ``mio_id``) is a text item, a ``select_one`` of an option
    list a choice item, a ``select_multiple`` a multi-choice item, a ``select_one`` of a
    scale's list a scale item; other questions are no items."""
    items: list[Item] = []
    subscales: dict[str, tuple[list[str], list[str]]] = {}
    used: set[str] = set()
    first: str | None = None
    for number, row in survey:
        kind, name = row.get("type", "").strip(), row.get("name", "").strip()
        select = _SELECT.fullmatch(kind)
        other: ItemKind | None = None
        if select is None:  # date, hidden, calculate, notes, groups, others' text: no items
            if kind == "text" and row.get("mio_id", "").strip():
                other = ItemKind.TEXT
        elif select[2] in options:
            other = ItemKind.MULTI_CHOICE if select[1] == "select_multiple" else ItemKind.CHOICE
        if other is not None:
            chosen = options[select[2]] if select is not None else []
            try:
                items.append(_other_item(other, row, labels, chosen))
            except (ValueError, InvalidField) as error:
                problem("survey", number, "name", f"not an item: {error}")
        if select is None or other is not None:
            continue
        list_name = select[2]
        if list_name == "participants" or name.lower() == "respondent":
            continue
        if list_name not in lists:
            problem("survey", number, "type", f"no choice list {list_name!r} on the choices sheet")
            continue
        used.add(list_name)
        scale = lists[list_name]
        first = first or scale.id
        item_id = row.get("mio_id", "").strip() or _slug(_mio_name(name))
        named = row.get("mio_scale", "").strip()
        if "mio_scale" not in row:
            named = "" if scale.id == first else scale.id
        try:
            items.append(Item(id=item_id, text=_text(row, labels, name), scale=named or None))
        except (ValueError, InvalidField) as error:
            problem("survey", number, "name", f"not an item: {error}")
            continue
        for subscale in row.get("mio_subscale", "").split():
            subscales.setdefault(subscale, ([], []))[0].append(item_id)
        for subscale in row.get("mio_reverse", "").split():
            subscales.setdefault(subscale, ([], []))[1].append(item_id)
    return items, subscales, used

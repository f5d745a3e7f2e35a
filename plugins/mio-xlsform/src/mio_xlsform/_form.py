"""The sheets of an XLSForm for an instrument, as rows of text: what the writer saves and
what the reader reads back.

Each kind of question is one branch in :func:`_question_rows` (and one in the reader's
``_item``): a new item kind adds a branch in each.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import attrs

from mio_core.model import (
    Instrument,
    Item,
    ItemKind,
    Participant,
    Text,
    Translations,
    text_in,
)
from mio_core.textsafety import workbook_text

LANGUAGE_NAMES = {"sv": "Svenska", "en": "English", "fi": "Suomi", "no": "Norsk", "da": "Dansk"}

#: The question that says who answered: picked from the cohort's list, or a pre-filled token.
RESPONDENT_MODES = ("token", "choice")
#: Names the form itself uses; an item or scale of that name gets a leading ``_``.
RESERVED = frozenset({"respondent", "token", "date", "participants", "meta", "instanceid"})
#: mio's own columns; XLSForm tools keep columns they do not know and show them to no one.
SURVEY_COLUMNS = ("mio_id", "mio_scale", "mio_subscale", "mio_reverse")
CHOICE_COLUMNS = ("mio_scale", "mio_missing", "mio_unlabelled")
SETTINGS_COLUMNS = ("mio_level", "mio_target", "mio_occasions", "mio_licence")

#: XLSForm tools replace ``${name}`` in a label with the answer to question ``name`` (the
#: hidden access token, another answer); a word joiner after the ``$`` keeps a workspace
#: text's ``${`` as it shows, not a reference. The reader takes it out again.
REFERENCE = "${"
NO_REFERENCE = "$\u2060{"


def label_text(text: str) -> str:
    """Return ``text`` for a label cell: a workbook's text, never a ``${...}`` reference."""
    return workbook_text(text).replace(REFERENCE, NO_REFERENCE)


_XML_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*")
_QUESTION = {
    "sv": {"respondent": "Vem är du?", "token": "Åtkomstkod", "date": "Datum"},
    "en": {"respondent": "Who are you?", "token": "Access token", "date": "Date"},
}


def languages(instrument: Instrument, fallback: str) -> list[str]:
    """Return the languages of the instrument's texts, in the order first seen, else
    ``[fallback]``."""
    texts: list[Text | None] = [instrument.title, *(i.text for i in instrument.items)]
    texts += [option.text for item in instrument.items for option in item.options]
    for scale in instrument.scales:
        texts += [label.text for label in (*scale.labels, *scale.missing)]
    found: list[str] = []
    for text in texts:
        if isinstance(text, Translations):
            found += [language for language in text if language not in found]
    return found or [fallback]


def language_column(language: str) -> str:
    """Return the XLSForm name of ``language``, e.g. ``Svenska (sv)``."""
    return f"{LANGUAGE_NAMES.get(language, language)} ({language})"


def xml_name(mio_id: str) -> str:
    """Return ``mio_id`` as an XLSForm name: a leading digit or a reserved name gets ``_``."""
    if _XML_NAME.fullmatch(mio_id) and mio_id.lower() not in RESERVED:
        return mio_id
    return f"_{mio_id}"


@attrs.frozen
class Sheets:
    """The three sheets of a form, each a header and rows of text."""

    survey: list[list[str]]
    choices: list[list[str]]
    settings: list[list[str]]


def sheets(
    instrument: Instrument,
    language: str,
    respondent: str = "token",
    participants: Sequence[Participant] = (),
) -> Sheets:
    """Return the XLSForm of ``instrument`` with labels in every language it has.

    ``respondent`` says how the form knows who answered, never by asking them to type an
    id: ``"token"`` is a hidden ``token`` question the survey link fills
    (``?d[/data/token]=...``); ``"choice"`` is a required ``respondent`` question where
    each of ``participants`` picks their own name (the choice's name is their id).
    ``language`` is the form's default language.
    """
    if respondent not in RESPONDENT_MODES:
        raise ValueError(f"respondent must be one of {', '.join(RESPONDENT_MODES)}")
    spoken = languages(instrument, language)
    labels = [f"label::{language_column(x)}" for x in spoken]

    def texts(text: Text | None) -> list[str]:
        return [label_text(text_in(text, x)) for x in spoken]

    def fixed(key: str) -> list[str]:
        return [_QUESTION.get(x, _QUESTION["en"])[key] for x in spoken]

    blank = [""] * len(SURVEY_COLUMNS)
    survey = [["type", "name", *labels, "required", *SURVEY_COLUMNS]]
    if respondent == "token":
        survey.append(["hidden", "token", *fixed("token"), "", *blank])
    else:
        survey.append(
            ["select_one participants", "respondent", *fixed("respondent"), "yes", *blank]
        )
    survey.append(["today", "date", *fixed("date"), "", *blank])
    lists = option_lists(instrument)
    for item in instrument.items:
        survey += _question_rows(instrument, item, texts, lists.get(item.id, ""))

    choices = [["list_name", "name", *labels, *CHOICE_COLUMNS]]
    for scale in instrument.scales:
        for value in range(scale.min, scale.max + 1):
            label = scale.label(value)
            shown = texts(label) if label is not None else [str(value)] * len(spoken)
            unlabelled = "" if label is not None else "yes"
            choices.append([xml_name(scale.id), str(value), *shown, scale.id, "", unlabelled])
        for missing in scale.missing:
            choices.append(
                [xml_name(scale.id), str(missing.value), *texts(missing.text), scale.id, "yes", ""]
            )
    for item in instrument.items:
        for option in item.options:
            choices.append([lists[item.id], option.code, *texts(option.text), "", "", ""])
    if respondent == "choice":
        for person in sorted(participants, key=lambda p: (p.name.casefold(), p.id)):
            name = label_text(person.name)
            choices.append(["participants", person.id, *[name] * len(spoken), "", "", ""])

    default = language if language in spoken else spoken[0]
    settings = [
        ["form_title", "form_id", "version", "default_language", *SETTINGS_COLUMNS],
        [
            workbook_text(text_in(instrument.title, default)),
            instrument.id,
            instrument.version,
            language_column(default),
            instrument.level.value,
            instrument.target.value,
            " ".join(instrument.occasions),
            instrument.licence or "",
        ],
    ]
    return Sheets(survey=survey, choices=choices, settings=settings)


def option_lists(instrument: Instrument) -> dict[str, str]:
    """Return {item id: the name of its choice list} for the choice and multi-choice items:
    ``<name>_options``, with more ``_`` while a scale's list or another item's has it."""
    taken = {xml_name(scale.id) for scale in instrument.scales} | {"participants"}
    names = {}
    for item in instrument.items:
        if item.kind in (ItemKind.CHOICE, ItemKind.MULTI_CHOICE):
            name = f"{xml_name(item.id)}_options"
            while name in taken:
                name += "_"
            taken.add(name)
            names[item.id] = name
    return names


def _question_rows(
    instrument: Instrument,
    item: Item,
    texts: Callable[[Text | None], list[str]],
    options: str = "",
) -> list[list[str]]:
    """The survey rows of one item (one branch per item kind): a ``text`` question for a
    text item, ``select_one`` / ``select_multiple`` of the item's own choice list
    (``options``) for a choice / multi-choice item, ``select_one`` of its scale's list for a
    scale item."""
    blank = [""] * (len(SURVEY_COLUMNS) - 1)
    if item.kind is ItemKind.TEXT:
        return [["text", xml_name(item.id), *texts(item.text), "", item.id, *blank]]
    if item.kind is ItemKind.CHOICE:
        return [
            [f"select_one {options}", xml_name(item.id), *texts(item.text), "", item.id, *blank]
        ]
    if item.kind is ItemKind.MULTI_CHOICE:
        return [
            [
                f"select_multiple {options}",
                xml_name(item.id),
                *texts(item.text),
                "",
                item.id,
                *blank,
            ]
        ]
    scale = instrument.scale_of(item)
    if scale is None:
        return []
    in_subscales = [s.id for s in instrument.subscales if item.id in s.items]
    reversed_in = [s.id for s in instrument.subscales if item.id in s.reverse]
    return [
        [
            f"select_one {xml_name(scale.id)}",
            xml_name(item.id),
            *texts(item.text),
            "",
            item.id,
            item.scale or "",
            " ".join(in_subscales),
            " ".join(reversed_in),
        ]
    ]

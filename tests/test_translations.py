"""mio's own words have a Swedish text for every English one: each table of words (the
view's, the Markdown summary's, the wide file's, and the first-party plugins') has the same
keys in both languages, the same ``{placeholders}``, and a Swedish text that is not the
English one left in place — so a word added in English only fails here, not in front of a
Swedish reader."""

from __future__ import annotations

import string
from collections.abc import Mapping
from typing import Any

import pytest

#: (module, attribute) of every table of mio's words per language.
TABLES = [
    ("mio_core.evaluation.words", "WORDS"),
    ("mio_core.export.formats.markdown", "PEOPLE"),
    ("mio_core.export.wide", "_CHOSEN"),
    ("mio_core.export.wide", "_LABELS"),
    ("mio_report.texts", "TEXTS"),
    ("mio_report.texts", "ROLES"),
    ("mio_report.texts", "METHODS"),
    ("mio_docx", "WORDS"),
    ("mio_docx.make_templates", "TEXT"),
    ("mio_analyse.sections", "WORDS"),
    ("mio_analyse.sections", "ASSUMES"),
    ("mio_ical", "_TEXTS"),
    ("mio_xlsform._form", "_QUESTION"),
]

#: Words that are the same in both languages: symbols, names of methods and of statistics,
#: and words Swedish shares with English.
SAME_IN_BOTH = {
    "",
    "n",
    "t",
    "p",
    "SD",
    "d_z",
    "d_av",
    "p (t)",
    "Wilcoxon W",
    "Wilcoxon p",
    "Goal Attainment Scaling",
    "Instrument",
    "Organisation",
    "organisation",
    "Start",
    "region",
    "median",
    "p (Holm)",
    "Period",
    "Term",
    "no",
    "yes",
}


def _table(module: str, attribute: str) -> Mapping[str, Any]:
    found: Mapping[str, Any] = getattr(pytest.importorskip(module), attribute)
    return found


def _texts(value: Any, path: str = "") -> dict[str, str]:
    """Every text in ``value`` (a text, a mapping, a list or tuple of them) by its path."""
    if isinstance(value, str):
        return {path: value}
    items = value.items() if isinstance(value, Mapping) else enumerate(value)
    found: dict[str, str] = {}
    for key, inner in items:
        found.update(_texts(inner, f"{path}/{key}"))
    return found


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


@pytest.mark.parametrize(("module", "attribute"), TABLES)
def test_every_english_word_has_a_swedish_text(module: str, attribute: str) -> None:
    table = _table(module, attribute)
    english, swedish = _texts(table["en"]), _texts(table["sv"])
    assert sorted(set(english) - set(swedish)) == []
    assert sorted(set(swedish) - set(english)) == []


@pytest.mark.parametrize(("module", "attribute"), TABLES)
def test_a_swedish_text_has_the_placeholders_of_the_english_one(
    module: str, attribute: str
) -> None:
    table = _table(module, attribute)
    english, swedish = _texts(table["en"]), _texts(table["sv"])
    differ = {
        key: (english[key], swedish[key])
        for key in english.keys() & swedish.keys()
        if _placeholders(english[key]) != _placeholders(swedish[key])
    }
    assert differ == {}


@pytest.mark.parametrize(("module", "attribute"), TABLES)
def test_no_english_text_stands_in_for_a_swedish_one(module: str, attribute: str) -> None:
    table = _table(module, attribute)
    english, swedish = _texts(table["en"]), _texts(table["sv"])
    untranslated = {
        key: text
        for key, text in swedish.items()
        if english.get(key) == text and text not in SAME_IN_BOTH
    }
    assert untranslated == {}

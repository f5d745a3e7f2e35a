"""Instrument → survey tool format → instrument gives the same instrument, less exactly
what each format's ``LOST`` list (and its README) says it cannot hold."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from xml.etree import ElementTree

import attrs
import pytest
from hypothesis import given, settings

import mio_core as m
from mio_core.model import (
    EvaluationLevel,
    Instrument,
    Item,
    ItemKind,
    Respondent,
    ResponseScale,
    ScoreMethod,
    Translations,
    text_in,
)

from ..strategies import instruments

mio_redcap = pytest.importorskip("mio_redcap")
mio_limesurvey = pytest.importorskip("mio_limesurvey")
mio_xlsform = pytest.importorskip("mio_xlsform")
PLUGINS = Path(__file__).resolve().parents[2] / "plugins"
BUILTIN = m.load_registry(strict=True).instruments


def redcap(instrument: Instrument, language: str) -> Instrument:
    text = io.StringIO(newline="")
    csv.writer(text).writerows(mio_redcap.dictionary_rows(instrument, language))
    return mio_redcap.instrument_from_redcap_dictionary(text.getvalue().encode("utf-8"))


def limesurvey(instrument: Instrument, language: str) -> Instrument:
    document = ElementTree.tostring(mio_limesurvey.lss_document(instrument, language))
    return mio_limesurvey.instrument_from_lss(document)


def xlsform(instrument: Instrument, language: str) -> Instrument:
    stream = io.BytesIO()
    mio_xlsform.workbook_bytes(mio_xlsform.sheets(instrument, language), stream)
    return mio_xlsform.instrument_from_xlsform(stream.getvalue())


FORMATS: dict[str, tuple[ModuleType, Callable[[Instrument, str], Instrument]]] = {
    "mio-redcap": (mio_redcap, redcap),
    "mio-limesurvey": (mio_limesurvey, limesurvey),
    "mio-xlsform": (mio_xlsform, xlsform),
}


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("instrument", sorted(BUILTIN))
@pytest.mark.parametrize("plugin", sorted(FORMATS))
def test_every_builtin_instrument_reads_back_as_the_format_keeps_it(
    plugin: str, instrument: str, language: str
) -> None:
    module, round_trip = FORMATS[plugin]
    original = BUILTIN[instrument]
    assert round_trip(original, language) == module.as_kept(original, language)


@pytest.mark.parametrize("plugin", sorted(FORMATS))
def test_the_english_examples_text_and_choice_items_read_back_as_the_format_keeps_them(
    plugin: str,
) -> None:
    example = Path(__file__).resolve().parents[2] / "examples" / "leading-nursing-teams"
    (climate,) = [i for i in m.load_workspace(example).instruments if i.id == "ltn-team-climate"]
    assert {item.kind for item in climate.items} == set(ItemKind)
    module, round_trip = FORMATS[plugin]
    assert round_trip(climate, "en") == module.as_kept(climate, "en")


@pytest.mark.parametrize("plugin", sorted(FORMATS))
@settings(max_examples=25, deadline=None)
@given(instrument=instruments())
def test_any_instrument_reads_back_as_the_format_keeps_it(
    plugin: str, instrument: Instrument
) -> None:
    module, round_trip = FORMATS[plugin]
    assert round_trip(instrument, "sv") == module.as_kept(instrument, "sv")


@settings(max_examples=15, deadline=None)
@given(instrument=instruments())
def test_pyxform_accepts_the_xlsform_of_any_instrument(instrument: Instrument) -> None:
    from pyxform.xls2xform import convert

    stream = io.BytesIO()
    mio_xlsform.workbook_bytes(mio_xlsform.sheets(instrument, "sv"), stream)
    assert convert(xlsform=stream.getvalue(), file_type=".xlsx").xform


def _differences(a: object, b: object, prefix: str = "") -> set[str]:
    """The dotted field names where two instruments differ (scales and texts as wholes)."""
    if not attrs.has(type(a)) or type(a) is not type(b):
        return {prefix} if a != b else set()
    found = set()
    for field in attrs.fields(type(a)):
        x, y = getattr(a, field.name), getattr(b, field.name)
        name = f"{prefix}.{field.name}" if prefix else field.name
        if x == y:
            continue
        if field.name in ("items", "subscales") and len(x) == len(y):
            found |= {d for u, v in zip(x, y, strict=True) for d in _differences(u, v, name)}
        else:
            found.add(name)
    return found


def _rich() -> Instrument:
    """A built-in instrument with every field set, a second scale and a second subscale order."""
    base = BUILTIN["mio-innovation-leadership"]
    second = attrs.evolve(base.scales[0], id="often-4", min=0, max=3, labels=[], missing=[])
    first = attrs.evolve(base.items[0], scale=base.scales[0].id)
    role = Item(
        id="role",
        text="Roll",
        kind=ItemKind.CHOICE,
        options={"nurse-manager": "Chef", "other": "Annan"},
    )
    items = [first, *base.items[1:-1], role, attrs.evolve(base.items[-1], scale="often-4")]
    return attrs.evolve(
        base,
        version="2",
        level=EvaluationLevel.APPLICATION,
        target=Respondent.COACH if hasattr(Respondent, "COACH") else base.target,
        occasions=("pre", "post"),
        source=base.source or "Källa",
        licence="CC-BY-4.0",
        description=base.description or Translations({"sv": "Om", "en": "About"}),
        scales=[*base.scales, second],
        items=items,
        subscales=[
            attrs.evolve(s, method=ScoreMethod.SUM, min_answered=0.5)
            for s in reversed(base.subscales)
        ],
    )


def _field_of(difference: str) -> str:
    parts = difference.split(".")
    return ".".join(parts[:2]) if parts[0] in ("items", "subscales") else parts[0]


@pytest.mark.parametrize("plugin", sorted(FORMATS))
def test_the_loss_list_names_exactly_what_the_round_trip_changes(plugin: str) -> None:
    module, round_trip = FORMATS[plugin]
    original = _rich()
    changed = {_field_of(d) for d in _differences(original, round_trip(original, "sv"))}
    listed = set(module.LOST)
    # "texts" is a loss of every text field at once; "scales" of the scales' contents
    text_fields = {"title", "description", "items.text", "subscales.title", "scales"}
    order = {"subscales.id", "subscales.items", "subscales.reverse"}
    allowed = (text_fields if "texts" in listed else set()) | (
        order if "subscales.order" in listed else set()
    )
    assert changed - listed - allowed == set()
    assert {f for f in listed if f not in ("texts", "subscales.order")} <= changed | {
        f for f in listed if f.startswith("subscales") and "subscales" in changed
    }


@pytest.mark.parametrize("plugin", sorted(FORMATS))
def test_the_readme_lists_every_loss(plugin: str) -> None:
    module, _ = FORMATS[plugin]
    readme = (PLUGINS / plugin / "README.md").read_text(encoding="utf-8")
    for field in module.LOST:
        assert f"`{field}`" in readme, field


def test_redcap_notes_checkbox_and_lettered_radio_fields_are_text_and_choice_items() -> None:
    rows = [
        ["record_id", "f", "", "text", "Record ID", *[""] * 13],
        ["q1", "f", "", "radio", "Useful?", "1, No | 2, Some | 3, Yes", *[""] * 12],
        ["why", "f", "", "notes", "Why?", *[""] * 13],
        ["mode", "f", "", "dropdown", "How?", "bus, By bus | car, By car", *[""] * 12],
        ["days", "f", "", "checkbox", "When?", "mon, Monday | tue, Tuesday", *[""] * 12],
        ["name", "f", "", "text", "Your name", *[""] * 13],
    ]
    text = io.StringIO(newline="")
    csv.writer(text).writerows([list(mio_redcap.COLUMNS), *rows])
    read = mio_redcap.instrument_from_redcap_dictionary(text.getvalue().encode("utf-8"))
    assert [(item.id, item.kind.value) for item in read.items] == [
        ("q1", "scale"),
        ("why", "text"),
        ("mode", "choice"),
        ("days", "multi-choice"),
    ]
    assert [(o.code, o.text) for o in read.items[3].options] == [
        ("mon", "Monday"),
        ("tue", "Tuesday"),
    ]


def test_a_reference_in_a_text_is_no_reference_in_the_xlsform() -> None:
    # ODK and Kobo replace ${name} in a label with question name's answer: an item text or
    # option label "${token}" would show the respondent's access token
    from pyxform.xls2xform import convert

    text = "Your code: ${token}, and ${q2}"
    instrument = Instrument(
        id="pulse",
        title="Pulse",
        level="reaction",
        scales=[ResponseScale(id="agree5", min=1, max=5, labels={1: "${token}"})],
        items=[Item(id="q1", text=text), Item(id="q2", text="Fine?")],
    )
    stream = io.BytesIO()
    mio_xlsform.workbook_bytes(mio_xlsform.sheets(instrument, "en"), stream)
    xform = convert(xlsform=stream.getvalue(), file_type=".xlsx").xform
    assert "<output" not in xform
    back = mio_xlsform.instrument_from_xlsform(stream.getvalue())
    assert [text_in(item.text, "en") for item in back.items] == [text, "Fine?"]
    assert [label.text for label in back.scales[0].labels] == ["${token}"]


def test_square_brackets_in_a_text_are_nothing_redcap_pipes() -> None:
    # REDCap replaces [field] and smart variables ([record-name], [survey-link]) in labels
    text = "Record [record-name], answer [q2] [x](javascript:alert(1))"
    instrument = Instrument(
        id="pulse",
        title="Pulse",
        level="reaction",
        scales=[ResponseScale(id="agree5", min=1, max=5, labels={1: "[user-name]"})],
        items=[Item(id="q1", text=text), Item(id="q2", text="Fine?")],
    )
    rows = mio_redcap.dictionary_rows(instrument, "en")
    header = list(mio_redcap.COLUMNS)
    shown = [
        row[header.index(column)]
        for row in rows
        for column in ("Field Label", "Choices, Calculations, OR Slider Labels")
    ]
    assert any("record-name" in cell for cell in shown)
    assert not [cell for cell in shown if "[" in cell or "]" in cell]
    back = redcap(instrument, "en")
    assert [text_in(item.text, "en") for item in back.items] == [text, "Fine?"]
    assert [label.text for label in back.scales[0].labels] == ["[user-name]"]

"""Text, choice and multi-choice items in an XLSForm: written as ``text``,
``select_one <list>`` and ``select_multiple <list>`` questions with the options on the
choices sheet (labels per language), compiled by pyxform, and read back to the same items."""

from __future__ import annotations

import io
from pathlib import Path

import mio_xlsform
import openpyxl
import pytest
from pyxform.xls2xform import convert

import mio_core as m
from mio_core.model import Instrument, Item, ItemKind, Option, ResponseScale, Translations

BOTH = Translations


def _instrument() -> Instrument:
    return Instrument(
        id="climate",
        title=BOTH({"sv": "Klimat", "en": "Climate"}),
        level="reaction",
        scales=[ResponseScale(id="agree-5", min=1, max=5)],
        items=[
            Item(id="q1", text=BOTH({"sv": "Tydligt?", "en": "Clear?"})),
            Item(id="why", text=BOTH({"sv": "Varför?", "en": "Why?"}), kind="text"),
            Item(
                id="role",
                text=BOTH({"sv": "Roll?", "en": "Role?"}),
                kind="choice",
                options=[
                    Option(code="nurse", text=BOTH({"sv": "Sjuksköterska", "en": "Nurse"})),
                    Option(code="2", text=BOTH({"sv": "Annan", "en": "Other"})),
                ],
            ),
            Item(
                id="q1-options",  # its list would be the scale's name if names were not checked
                text=BOTH({"sv": "Vilka?", "en": "Which?"}),
                kind="multi-choice",
                options={"bus": BOTH({"sv": "Buss", "en": "Bus"}), "bike": "Bike"},
            ),
        ],
    )


def _bytes(instrument: Instrument, language: str = "sv") -> bytes:
    stream = io.BytesIO()
    mio_xlsform.workbook_bytes(mio_xlsform.sheets(instrument, language), stream)
    return stream.getvalue()


def _rows(data: bytes, sheet: str) -> list[tuple[object, ...]]:
    return list(openpyxl.load_workbook(io.BytesIO(data))[sheet].iter_rows(values_only=True))


def test_text_choice_and_multi_choice_items_are_text_select_one_and_select_multiple() -> None:
    survey = _rows(_bytes(_instrument()), "survey")
    assert [row[:2] for row in survey[4:]] == [
        ("text", "why"),
        ("select_one role_options", "role"),
        ("select_multiple q1-options_options", "q1-options"),
    ]


def test_the_options_are_on_the_choices_sheet_with_labels_per_language() -> None:
    choices = _rows(_bytes(_instrument()), "choices")
    assert [row[:4] for row in choices if row[0] != "agree-5"][1:] == [
        ("role_options", "nurse", "Sjuksköterska", "Nurse"),
        ("role_options", "2", "Annan", "Other"),
        ("q1-options_options", "bus", "Buss", "Bus"),
        ("q1-options_options", "bike", "Bike", "Bike"),
    ]


def test_pyxform_compiles_text_and_choice_questions_without_warnings() -> None:
    warnings: list[str] = []
    xform = convert(xlsform=_bytes(_instrument()), warnings=warnings, file_type=".xlsx").xform
    assert warnings == []
    assert '<input ref="/data/why">' in xform
    assert '<select1 ref="/data/role">' in xform
    assert '<select ref="/data/q1-options">' in xform


@pytest.mark.parametrize("language", ["sv", "en"])
def test_text_and_choice_items_read_back_as_written(language: str) -> None:
    instrument = _instrument()
    back = mio_xlsform.instrument_from_xlsform(_bytes(instrument, language))
    assert back.items == instrument.items
    assert back == mio_xlsform.as_kept(instrument, language)


def _foreign(choices: list[list[str]]) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    sheets = {
        "survey": [
            ["type", "name", "label"],
            ["text", "comment", "Anything else?"],
            ["select_multiple transport", "how", "How do you travel?"],
        ],
        "choices": [["list_name", "name", "label"], *choices],
        "settings": [["form_title", "form_id"], ["Travel", "travel"]],
    }
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def test_another_tools_select_multiple_is_a_multi_choice_item_and_its_text_no_item() -> None:
    data = _foreign([["transport", "bus", "Bus"], ["transport", "bike", "Bike"]])
    instrument = mio_xlsform.instrument_from_xlsform(data)
    assert instrument.items == (
        Item(
            id="how",
            text="How do you travel?",
            kind=ItemKind.MULTI_CHOICE,
            options=[Option(code="bus", text="Bus"), Option(code="bike", text="Bike")],
        ),
    )


def test_a_choice_name_that_is_no_option_code_is_a_problem_naming_its_row() -> None:
    data = _foreign([["transport", "bus", "Bus"], ["transport", "By car", "Car"]])
    with pytest.raises(m.WorkspaceError) as caught:
        mio_xlsform.instrument_from_xlsform(data)
    (problem,) = caught.value.problems
    assert (problem.line, problem.path) == (3, ("choices", "name"))
    assert "'By car'" in problem.message


def test_pyxform_compiles_the_english_examples_form_with_every_kind_of_item() -> None:
    example = Path(__file__).resolve().parents[3] / "examples" / "leading-nursing-teams"
    (climate,) = [i for i in m.load_workspace(example).instruments if i.id == "ltn-team-climate"]
    warnings: list[str] = []
    xform = convert(xlsform=_bytes(climate, "en"), warnings=warnings, file_type=".xlsx").xform
    assert warnings == []
    assert '<select ref="/data/forums">' in xform and '<input ref="/data/next-change">' in xform

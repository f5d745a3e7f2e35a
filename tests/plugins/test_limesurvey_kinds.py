"""Text, choice and multi-choice items in a LimeSurvey structure: long free text (``T``),
list (radio) (``L``) and multiple choice (``M``) questions, read back to the same items."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest

from mio_core.model import (
    Instrument,
    Item,
    ItemKind,
    Option,
    ResponseScale,
    Translations,
    text_in,
)

mio_limesurvey = pytest.importorskip("mio_limesurvey")


def _instrument(role_codes: tuple[str, str] = ("nurse", "other")) -> Instrument:
    both = Translations
    return Instrument(
        id="climate",
        title=both({"en": "Climate", "sv": "Klimat"}),
        level="reaction",
        scales=[ResponseScale(id="agree-5", min=1, max=5)],
        items=[
            Item(id="q1", text=both({"en": "Clear?", "sv": "Tydligt?"})),
            Item(id="why", text=both({"en": "Why?", "sv": "Varför?"}), kind="text"),
            Item(
                id="role",
                text=both({"en": "Role?", "sv": "Roll?"}),
                kind="choice",
                options={role_codes[0]: both({"en": "Nurse", "sv": "Ssk"}), role_codes[1]: "-"},
            ),
            Item(
                id="how",
                text=both({"en": "How?", "sv": "Hur?"}),
                kind="multi-choice",
                options={"bus": "Bus", "bike": "Bike"},
            ),
            Item(id="q2", text=both({"en": "Fair?", "sv": "Rättvist?"})),
        ],
    )


def _questions(instrument: Instrument) -> list[tuple[str, str]]:
    document = mio_limesurvey.lss_document(instrument, "en")
    return [
        (row.findtext("type") or "", row.findtext("title") or "")
        for row in document.findall("./questions/rows/row")
    ]


def _round_trip(instrument: Instrument) -> Instrument:
    data = ElementTree.tostring(mio_limesurvey.lss_document(instrument, "en"))
    return mio_limesurvey.instrument_from_lss(data)


def test_text_choice_and_multi_choice_items_are_t_l_and_m_questions_between_arrays() -> None:
    assert _questions(_instrument()) == [
        ("F", "agree5"),
        ("T", "why"),
        ("L", "role"),
        ("M", "how"),
        ("F", "agree5x"),
    ]


def test_the_option_codes_are_the_answer_and_subquestion_codes() -> None:
    document = mio_limesurvey.lss_document(_instrument(), "en")
    answers = [row.findtext("code") for row in document.findall("./answers/rows/row")]
    subquestions = [row.findtext("title") for row in document.findall("./subquestions/rows/row")]
    assert answers[5:7] == ["nurse", "other"]  # after the first array's A1...A5
    assert subquestions == ["SQ001", "bus", "bike", "SQ002"]


def test_the_items_read_back_with_their_kinds_options_and_texts() -> None:
    back = _round_trip(_instrument())
    assert [(i.id, i.kind) for i in back.items] == [
        ("sq001", ItemKind.SCALE),
        ("why", ItemKind.TEXT),
        ("role", ItemKind.CHOICE),
        ("how", ItemKind.MULTI_CHOICE),
        ("sq002", ItemKind.SCALE),
    ]
    assert back.items[2].options == (
        Option(code="nurse", text=Translations({"en": "Nurse", "sv": "Ssk"})),
        Option(code="other", text=Translations({"en": "-", "sv": "-"})),  # per language
    )
    assert back == mio_limesurvey.as_kept(_instrument(), "en")


def test_codes_limesurvey_cannot_take_are_written_a1_a2_and_read_back_so() -> None:
    instrument = _instrument(("nurse-manager", "other"))
    assert [o.code for o in _round_trip(instrument).items[2].options] == ["a1", "a2"]
    assert _round_trip(instrument) == mio_limesurvey.as_kept(instrument, "en")


def test_a_short_free_text_question_of_another_survey_is_a_text_item() -> None:
    document = mio_limesurvey.lss_document(_instrument(), "en")
    for row in document.findall("./questions/rows/row"):
        if row.findtext("type") == "T":
            row.find("type").text = "S"  # type: ignore[union-attr]
    back = mio_limesurvey.instrument_from_lss(ElementTree.tostring(document))
    assert back.items[1].kind is ItemKind.TEXT


def test_curly_braces_in_a_text_are_not_an_expression_limesurvey_runs() -> None:
    # ExpressionScript runs {...} in every text LimeSurvey shows: {TOKEN:EMAIL} would show
    # the respondent's email, {7*7} 49
    text = "Mail {TOKEN:EMAIL} or {7*7} {{ x }}"
    instrument = Instrument(
        id="climate",
        title=Translations({"en": "{TOKEN:FIRSTNAME}"}),
        level="reaction",
        scales=[ResponseScale(id="agree-5", min=1, max=5, labels={1: "{1+1}"})],
        items=[
            Item(id="q1", text=text),
            Item(id="why", text=text, kind="text"),
            Item(id="role", text=text, kind="choice", options={"a": "{INSERTANS:x}"}),
        ],
    )
    document = mio_limesurvey.lss_document(instrument, "en")
    shown = [e.text or "" for e in document.iter() if e.text and "TOKEN" in e.text]
    shown += [e.text or "" for e in document.iter() if e.text and ("1+1" in e.text)]
    shown += [e.text or "" for e in document.iter() if e.text and "INSERTANS" in e.text]
    assert len(shown) >= 5
    assert not [t for t in shown if "{" in t or "}" in t]
    back = _round_trip(instrument)
    assert [text_in(item.text, "en") for item in back.items] == [text] * 3
    assert text_in(back.title, "en") == "{TOKEN:FIRSTNAME}"
    assert [o.text for o in back.items[2].options] == ["{INSERTANS:x}"]

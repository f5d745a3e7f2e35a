"""The one rule for control characters in what mio shows (mio_core.textsafety): which
characters are shown as ``\\uXXXX``, on one line and in a stream of output."""

from __future__ import annotations

import io
import json

import click
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mio_core.render import format_table
from mio_core.textsafety import (
    _CONTROL,
    VisibleControls,
    _may_hold_controls,
    has_control_characters,
    one_line,
    show_controls,
    spreadsheet_text,
)


@pytest.mark.parametrize(
    ("char", "shown"),
    [
        ("\u200b", "\\u200b"),  # zero-width space
        ("\u200e", "\\u200e"),  # left-to-right mark
        ("\u200f", "\\u200f"),  # right-to-left mark
        ("\u061c", "\\u061c"),  # Arabic letter mark
        ("\u2060", "\\u2060"),  # word joiner
        ("\ufeff", "\\ufeff"),  # zero-width no-break space (byte order mark)
    ],
)
def test_invisible_characters_and_bidi_marks_are_shown(char: str, shown: str) -> None:
    assert show_controls(f"p0{char}1") == f"p0{shown}1"
    assert has_control_characters(f"p0{char}1")


def test_the_joiners_that_scripts_and_emoji_need_are_kept() -> None:
    text = "می\u200cخواهم \U0001f469\u200d\U0001f4bb"
    assert show_controls(text) == text


def test_a_text_with_an_invisible_character_is_never_an_unchanged_spreadsheet_cell() -> None:
    assert spreadsheet_text("p0\u200b1") == "p0\\u200b1"


def test_one_line_shows_line_breaks_and_tabs_as_well() -> None:
    assert one_line("a\nb\tc\rd\x1b") == "a\\u000ab\\u0009c\\u000dd\\u001b"


def test_one_line_keeps_text_without_a_control_as_it_is() -> None:
    assert one_line("Östergötland 2017 – ”forskarledd”") == "Östergötland 2017 – ”forskarledd”"


@given(st.text())
def test_json_through_visible_controls_is_the_same_value_with_no_raw_control(text: str) -> None:
    out = io.StringIO()
    VisibleControls(out).write(json.dumps({"title": text}, ensure_ascii=False))
    assert not has_control_characters(out.getvalue())
    assert json.loads(out.getvalue()) == {"title": text}


@given(st.text())
def test_one_line_never_leaves_a_line_break_or_control(text: str) -> None:
    shown = one_line(text)
    assert len(shown.splitlines()) <= 1
    assert not has_control_characters(shown)


def test_a_line_break_in_a_table_cell_stays_in_its_row() -> None:
    table = format_table(["group", "n"], [["Linköping\nMotala", "12"], ["Motala", "7"]], {1})
    assert table.splitlines() == [
        "group                   n",
        "---------------------  --",
        "Linköping\\u000aMotala  12",
        "Motala                  7",
    ]


def test_bytes_echoed_through_visible_controls_reach_the_byte_stream() -> None:
    raw = io.BytesIO()
    target = io.TextIOWrapper(raw, encoding="utf-8")
    click.echo(b"%PDF-1.7\x1b", file=VisibleControls(target))  # type: ignore[arg-type]
    assert raw.getvalue() == b"%PDF-1.7\x1b\n"


@given(st.text(), st.text(alphabet=st.characters(codec="ascii")))
def test_the_quick_check_of_long_text_finds_what_the_plain_search_finds(
    text: str, ascii_text: str
) -> None:
    # the check that lets long output (79 MB of JSON) skip the search, against the search
    for sample in (text, ascii_text, ascii_text + text, text + ascii_text):
        assert _may_hold_controls(sample) == (_CONTROL.search(sample) is not None)


def test_long_text_is_shown_like_short_text() -> None:
    long = "Östergötland " * 10_000  # beyond the length from which the quick check runs
    for char in ("\x1b", "\u202e", "\x85", "\ud800", "\ufeff"):
        assert show_controls(long + char + long) == long + f"\\u{ord(char):04x}" + long
    assert show_controls(long) is long

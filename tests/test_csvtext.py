"""mio_core.importing.read_csv_rows: a survey tool's CSV bytes to rows with their lines."""

from __future__ import annotations

import codecs
import csv
import io

from hypothesis import given
from hypothesis import strategies as st

from mio_core.importing import read_csv_rows


def test_utf16_with_bom_is_read_as_text() -> None:
    data = codecs.BOM_UTF16_LE + "a\tb\r\nå\tö\r\n".encode("utf-16-le")
    read = read_csv_rows(data, "q.tsv")
    assert read.rows == (("a", "b"), ("å", "ö"))
    assert not read.problems


def test_delimiter_is_found_past_a_line_break_inside_quotes() -> None:
    data = b'"Question\none, two";"x"\n"a, b";"c"\n'
    read = read_csv_rows(data, "q.csv")
    assert read.rows == (("Question\none, two", "x"), ("a, b", "c"))


def test_lines_count_line_breaks_inside_quoted_cells() -> None:
    data = b'h1,h2\n"multi\nline",x\ny,z\n'
    assert read_csv_rows(data, "q.csv").lines == (1, 2, 4)


def test_windows_1252_is_read_with_a_warning() -> None:
    read = read_csv_rows("a;b\nInstämmer;ö\n".encode("cp1252"), "q.csv")
    assert read.rows[1] == ("Instämmer", "ö")
    assert [p.code for p in read.problems] == ["not-utf8"]


def test_binary_bytes_are_not_text() -> None:
    read = read_csv_rows(b"\x00\x01\x02", "q.csv")
    assert read.rows == ()
    assert [p.code for p in read.problems] == ["not-text"]


def test_semicolons_in_a_question_text_do_not_make_them_the_delimiter() -> None:
    data = "Timestamp,Hur ofta; i veckan; ungefär?\n2018-05-30,Varje dag\n".encode()
    assert read_csv_rows(data, "q.csv").rows[1] == ("2018-05-30", "Varje dag")


def test_a_one_line_file_is_split_where_it_splits_most() -> None:
    assert read_csv_rows(b"a;b;c,d\n", "q.csv").rows == (("a", "b", "c,d"),)


CELL = st.text(
    alphabet=st.characters(blacklist_characters="\r\x00", blacklist_categories=("Cs",)),
    min_size=1,
)
#: A header cell as the tools write them: any text but the delimiters themselves (and a
#: BOM, which at the start of a file is not text).
HEADER_CELL = st.text(
    alphabet=st.characters(blacklist_characters="\r\x00,;\t\ufeff", blacklist_categories=("Cs",)),
    min_size=1,
)


@st.composite
def tables(draw: st.DrawFn) -> list[list[str]]:
    width = draw(st.integers(2, 6))
    header = draw(st.lists(HEADER_CELL, min_size=width, max_size=width))
    rows = draw(st.lists(st.lists(CELL, min_size=width, max_size=width), max_size=5))
    return [header, *rows]


@given(st.sampled_from([",", ";", "\t"]), tables())
def test_rows_written_by_a_csv_writer_read_back_the_same(
    delimiter: str, rows: list[list[str]]
) -> None:
    stream = io.StringIO(newline="")
    csv.writer(stream, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    read = read_csv_rows(stream.getvalue().encode("utf-8"), "q.csv")
    assert read.rows == tuple(tuple(row) for row in rows)

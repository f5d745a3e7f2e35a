"""mio_core.importing.read_csv_rows: a survey tool's CSV bytes to rows with their lines."""

from __future__ import annotations

import codecs

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

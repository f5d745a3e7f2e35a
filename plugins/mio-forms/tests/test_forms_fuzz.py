"""No file, however broken, makes a reader raise: it gives problems."""

from __future__ import annotations

import mio_forms
from forms_files import workbook
from hypothesis import given, settings
from hypothesis import strategies as st

from mio_core import ImportedTable

READERS = [
    mio_forms.read_microsoft_forms,
    mio_forms.read_google_forms,
    mio_forms.read_qualtrics,
    mio_forms.read_surveymonkey,
    mio_forms.read_xlsx,
]
VALID = workbook(
    [["Respondent ID", "ResponseId", "Fråga"], [None, "Response ID", "Text"], [1, "R_1", "svar"]],
    merged=["A1:A2"],
)
HEADERS = [
    b"ID,Start time,Email\n",
    b"Timestamp;Email Address\n",
    b'ResponseId,Q1\nResponse ID,Q\n"{""ImportId"":""x""}",\n',
    b"Respondent ID,Q\n,Response\n",
]


def _table_is_whole(table: object) -> None:
    assert isinstance(table, ImportedTable)
    assert not table.keys or len(table.keys) == len(table.header)
    assert len(table.lines) == len(table.rows)


@settings(max_examples=settings().max_examples * 5)
@given(st.sampled_from(READERS), st.sampled_from(["x.csv", "x.xlsx", "x"]), st.binary(max_size=400))
def test_any_bytes_give_a_table_never_an_exception(read: object, name: str, data: bytes) -> None:
    assert callable(read)
    _table_is_whole(read(data, name))


@settings(max_examples=settings().max_examples * 5)
@given(st.sampled_from(READERS), st.sampled_from(HEADERS), st.text(max_size=300))
def test_any_text_after_a_tools_header_gives_a_table(
    read: object, header: bytes, text: str
) -> None:
    assert callable(read)
    _table_is_whole(read(header + text.encode("utf-8", "surrogatepass"), "x.csv"))


@settings(max_examples=settings().max_examples * 5)
@given(
    st.sampled_from(READERS),
    st.lists(st.tuples(st.integers(0, len(VALID) - 1), st.integers(0, 255)), max_size=8),
)
def test_a_damaged_workbook_gives_a_table(read: object, damage: list[tuple[int, int]]) -> None:
    assert callable(read)
    data = bytearray(VALID)
    for at, value in damage:
        data[at] = value
    _table_is_whole(read(bytes(data), "x.xlsx"))


@given(st.sampled_from(READERS), st.integers(1, len(VALID) - 1))
def test_a_truncated_workbook_gives_a_table(read: object, length: int) -> None:
    assert callable(read)
    _table_is_whole(read(VALID[:length], "x.xlsx"))

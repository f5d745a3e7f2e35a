"""Any bytes give a table with problems (or a MioError), never a traceback; what a tool
writes reads back cell for cell."""

from __future__ import annotations

from collections.abc import Callable

import mio_survey_tools as st
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as s
from tool_exports import quoted_csv, workbook

import mio_core as m

READERS: list[Callable[[bytes, str], m.ImportedTable]] = [
    st.read_limesurvey,
    st.read_redcap,
    st.read_kobo,
]
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _well_formed(table: m.ImportedTable) -> None:
    assert isinstance(table, m.ImportedTable)
    assert len(table.lines) == len(table.rows)
    assert all(len(row) == len(table.header) for row in table.rows)
    assert all(p.file == "f.csv" or p.file == "f.xlsx" for p in table.problems)


@FUZZ
@given(data=s.binary(max_size=400), reader=s.sampled_from(READERS))
def test_any_bytes_give_a_table_and_located_problems(
    data: bytes, reader: Callable[[bytes, str], m.ImportedTable]
) -> None:
    _well_formed(reader(data, "f.csv"))


@FUZZ
@given(tail=s.binary(max_size=300), reader=s.sampled_from(READERS))
def test_any_bytes_after_a_zip_signature_are_not_a_traceback(
    tail: bytes, reader: Callable[[bytes, str], m.ImportedTable]
) -> None:
    _well_formed(reader(b"PK\x03\x04" + tail, "f.xlsx"))


@FUZZ
@given(data=s.binary(max_size=300) | s.text(max_size=300).map(str.encode))
def test_any_structure_file_gives_codes_or_a_workspace_error(data: bytes) -> None:
    try:
        codes = st.answer_codes(b"<document>" + data + b"</document>", "s.lss")
    except m.WorkspaceError as error:
        assert error.problems and error.problems[0].file == "s.lss"
    else:
        assert isinstance(codes, dict)


CELL = s.text(
    alphabet=s.characters(
        exclude_categories=("Cs", "Cc"), exclude_characters="\ufeff", include_characters="\n"
    ),
    max_size=12,
)
NAME = s.from_regex(r"[A-Z][A-Za-z0-9]{0,5}(\[SQ00[1-9]\])?", fullmatch=True)


@FUZZ
@given(
    names=s.lists(NAME, min_size=1, max_size=5, unique=True),
    data=s.data(),
    sep=s.sampled_from([",", ";"]),
)
def test_a_limesurvey_csv_reads_back_cell_for_cell(
    names: list[str], data: s.DataObject, sep: str
) -> None:
    rows = data.draw(
        s.lists(s.lists(CELL, min_size=len(names), max_size=len(names)), max_size=4).filter(
            lambda rows: all(any(c.strip() for c in row) for row in rows)
        )
    )
    written = ("\ufeff" + quoted_csv([names, *rows], sep) + "\r\n").encode()
    table = st.read_limesurvey(written, "f.csv")
    given = len(names)
    assert table.keys[:given] == tuple(names)
    assert [list(row[:given]) for row in table.rows] == rows
    # beyond them only a multiple choice's column of chosen codes (A from A[SQ001] and
    # A[SQ002]: docs/importing.md), when its columns hold nothing but chosen marks
    stems = [name.split("[")[0] for name in names if "[" in name]
    assert all(stems.count(key) >= 2 and key not in names for key in table.keys[given:])
    assert table.problems == ()


@settings(max_examples=25, deadline=None)
@given(
    rows=s.lists(
        s.lists(
            s.integers(-999, 999) | s.from_regex(r"[a-z]{1,6}", fullmatch=True),
            min_size=3,
            max_size=3,
        ),
        min_size=1,
        max_size=4,
    )
)
def test_an_xlsx_reads_back_as_the_text_of_its_cells(rows: list[list[object]]) -> None:
    table = st.read_redcap(workbook([["record_id", "a", "b"], *rows]), "f.xlsx")
    assert table.rows == tuple(tuple(str(c) for c in row) for row in rows)
    assert table.lines == tuple(range(2, len(rows) + 2))


@FUZZ
@given(data=s.binary(max_size=300))
def test_any_bytes_as_a_structure_give_codes_or_a_workspace_error(data: bytes) -> None:
    try:
        assert isinstance(st.answer_codes(data, "s.lss"), dict)
    except m.WorkspaceError as error:
        assert error.problems[0].code == "bad-xml"


REDCAP_CELL = s.sampled_from(["", "", "0", "1", "2", "x"])


@FUZZ
@given(
    rows=s.lists(
        s.tuples(
            s.sampled_from(["p1", "p2"]),
            s.sampled_from(["base_arm_1", "fu_arm_1"]),
            REDCAP_CELL,
            REDCAP_CELL,
            REDCAP_CELL,
            REDCAP_CELL,
        ),
        max_size=8,
    )
)
def test_redcap_leaves_out_exactly_the_rows_with_no_data(
    rows: list[tuple[str, ...]],
) -> None:
    header = "record_id,redcap_event_name,ops1,hinder___1,enkat_timestamp,enkat_complete"
    text = header + "\n" + "".join(",".join(row) + "\n" for row in rows)
    table = st.read_redcap(text.encode(), "f.csv")
    # the rule, written out independently: a value, or a checked checkbox
    expected = [
        (row, number + 2)
        for number, row in enumerate(rows)
        if row[2] != "" or row[3] not in ("", "0")
    ]
    # the reader adds a column ``hinder`` of the checked codes after the file's six
    assert list(zip((row[:6] for row in table.rows), table.lines, strict=True)) == expected

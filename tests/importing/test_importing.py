"""Importing survey answers: every dialect Swedish survey tools write, every problem at once."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import mio_core as m
from mio_core.builtin.importers import read_csv
from mio_core.cli import main
from mio_core.importing import TableMapping
from mio_core.importing.table import column_letter, read_table
from mio_core.io.yamlio import DEFAULT_LIMITS
from mio_core.testing import make_registry

from ..helpers import snapshot

ITEMS = "ops1,ops2,ops3,proj1,proj2,beyond1,beyond2"
TARGET = "responses/mio-utilisation.follow-up.6m.csv"


@pytest.fixture
def registry() -> m.Registry:
    return make_registry(builtins=True)


def test_semicolons_bom_decimal_comma_and_crlf(
    workspace: Path, tmp_path: Path, registry: m.Registry
) -> None:
    export = tmp_path / "export.csv"
    export.write_bytes(
        "\ufeffrespondent;date;ops1;ops2;ops3;proj1;proj2;beyond1;beyond2\r\n"
        "p01;2018-05-30;4;3,0;5;4;;2;9\r\n"
        "p02;2018-05-31;3;3;3;2;2;1;1\r\n".encode()
    )
    report = m.import_responses(
        workspace, export, "mio-utilisation", "follow-up:6m", registry, replace=True
    )
    assert (report.respondents, report.file) == (2, TARGET)
    assert (workspace / TARGET).read_text(encoding="utf-8").splitlines() == [
        f"respondent,date,{ITEMS}",
        "p01,2018-05-30,4,3,5,4,,2,9",
        "p02,2018-05-31,3,3,3,2,2,1,1",
    ]
    assert m.validate_workspace(workspace, registry) == []


def test_a_broken_export_lists_every_problem_and_writes_nothing(
    workspace: Path, tmp_path: Path, registry: m.Registry
) -> None:
    export = tmp_path / "broken.csv"
    export.write_text(
        "respondent,ops1,ops2,comment\n"
        "p01,7,x,fine\n"  # off the scale; not a number
        "p98,1,2,ok\n"  # nobody called p98
        "p03,1,2\n"  # too few fields
        "p04,2,2,a\n"
        "p04,3,3,b\n",  # p04 twice (located at the first row, as mio validate does)
        encoding="utf-8",
    )
    before = snapshot(workspace)
    with pytest.raises(m.WorkspaceError) as caught:
        m.import_responses(
            workspace, export, "mio-utilisation", "follow-up:6m", registry, replace=True
        )
    found = {(p.code, p.line, p.column) for p in caught.value.problems}
    assert found == {
        ("unknown-item", 1, 4),
        ("off-scale", 2, 2),
        ("not-a-number", 2, 3),
        ("unknown-respondent", 3, 1),
        ("csv-ragged", 4, None),
        ("duplicate-response", 5, 1),
    }
    assert snapshot(workspace) == before


def test_extra_columns_can_be_ignored_and_the_id_column_named(
    workspace: Path, tmp_path: Path, registry: m.Registry
) -> None:
    export = tmp_path / "kobo.csv"
    export.write_text("_uuid,Deltagare,ops1,ops2\nabc,p01,4,5\ndef,p02,3,4\n", encoding="utf-8")
    report = m.import_responses(
        workspace,
        export,
        "mio-utilisation",
        "follow-up:6m",
        registry,
        replace=True,
        respondent_column="Deltagare",
        ignore_columns=["_uuid"],
    )
    assert report.items == ("ops1", "ops2")
    assert "beyond1" in report.missing_items


def test_windows_1252_is_read_with_a_warning() -> None:
    table = read_csv("respondent;kommentar\np01;Växjö\n".encode("cp1252"), "excel.csv")
    assert table.rows == (("p01", "Växjö"),)
    assert [(p.code, str(p.severity)) for p in table.problems] == [("not-utf8", "warning")]


def test_cli_import_and_its_errors(workspace: Path, tmp_path: Path) -> None:
    export = tmp_path / "export.csv"
    export.write_text("respondent;ops1;ops2\np01;4;5\np02;9;1\n", encoding="utf-8")
    runner = CliRunner()
    args = [
        "import",
        str(workspace),
        str(export),
        "--instrument",
        "mio-utilisation",
        "--occasion",
        "follow-up:6m",
    ]
    result = runner.invoke(main, args)
    assert result.exit_code == 1 and "p02 has other answers" in result.output
    result = runner.invoke(main, [*args, "--replace", "--yes"])
    assert result.exit_code == 0, result.output
    assert "Imported 2 respondents" in result.output
    result = runner.invoke(
        main, ["import", str(workspace), str(export), "--instrument", "nope", "--occasion", "pre"]
    )
    assert result.exit_code == 1 and "no instrument 'nope'" in result.output
    result = runner.invoke(main, [*args[:-1], "module:m9"])
    assert result.exit_code == 1 and "no module 'm9'" in result.output
    assert "Traceback" not in result.output


def test_mio_plugins_lists_the_csv_importer() -> None:
    data = json.loads(CliRunner().invoke(main, ["plugins", "--format", "json"]).output)
    importers = {p["name"]: p["contributes"]["importers"] for p in data["plugins"]}
    assert importers["mio_core.builtin.importers"] == ["csv"]


def test_a_mapping_names_each_columns_item_and_problems_name_its_header(
    workspace: Path, tmp_path: Path, registry: m.Registry
) -> None:
    export = tmp_path / "forms.csv"
    export.write_text("respondent,Hur ofta?\np01,7\n", encoding="utf-8")
    mapping = TableMapping(items={"Hur ofta?": "ops1"})
    with pytest.raises(m.WorkspaceError) as caught:
        m.import_responses(
            workspace, export, "mio-utilisation", "follow-up:6m", registry, mapping=mapping
        )
    [problem] = caught.value.problems
    assert (problem.code, problem.line, problem.column, problem.path) == (
        "off-scale",
        2,
        2,
        ("Hur ofta?",),
    )


def test_a_mapped_column_is_imported_as_its_item(
    workspace: Path, tmp_path: Path, registry: m.Registry
) -> None:
    export = tmp_path / "forms.csv"
    export.write_text("respondent,Hur ofta?\np01,4\n", encoding="utf-8")
    mapping = TableMapping(items={"Hur ofta?": "ops1"})
    report = m.import_responses(
        workspace,
        export,
        "mio-utilisation",
        "follow-up:6m",
        registry,
        mapping=mapping,
        replace=True,
    )
    assert report.items == ("ops1",)


def test_a_spreadsheets_problems_name_the_column_letter(registry: m.Registry) -> None:
    table = m.ImportedTable(header=("respondent", "ops1"), rows=[("p01", "x")])
    read = read_table(table, "survey.xlsx", registry.instrument("mio-utilisation"), "follow-up:6m")
    [problem] = read.problems
    assert (problem.code, problem.path) == ("not-a-number", ("ops1 (column B)",))


@pytest.mark.parametrize(
    ("column", "letters"), [(1, "A"), (26, "Z"), (27, "AA"), (52, "AZ"), (703, "AAA")]
)
def test_column_letters(column: int, letters: str) -> None:
    assert column_letter(column) == letters


def test_a_row_with_an_unreadable_cell_still_has_its_other_cells_checked(
    workspace: Path, tmp_path: Path, registry: m.Registry
) -> None:
    export = tmp_path / "export.csv"
    export.write_text("respondent,date,ops1,ops2\np01,igår,7,x\n", encoding="utf-8")
    with pytest.raises(m.WorkspaceError) as caught:
        m.import_responses(workspace, export, "mio-utilisation", "follow-up:6m", registry)
    found = {(p.code, p.column) for p in caught.value.problems}
    assert found == {("invalid-date", 2), ("off-scale", 3), ("not-a-number", 4)}


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"respondent,date,ops1\np01\x00,2018-05-30,4\n", "not-text"),  # a NUL: binary
        (b"respondent,date,ops1," + b"x" * 200_000 + b"\np01,2018-05-30,4\n", "csv-syntax"),
    ],
    ids=["binary", "a-cell-over-the-field-limit"],
)
def test_a_file_that_cannot_be_read_is_reported_once_by_its_path(
    workspace: Path, tmp_path: Path, registry: m.Registry, content: bytes, code: str
) -> None:
    # the reader's problem alone: no "no column 'respondent'" or "the file is empty" that
    # would only follow from it, and the file named as the other problems name it
    export = tmp_path / "export.csv"
    export.write_bytes(content)
    before = (workspace / TARGET).read_bytes()
    with pytest.raises(m.WorkspaceError) as raised:
        m.import_responses(workspace, export, "mio-utilisation", "follow-up:6m", registry)
    assert [(p.file, p.code, p.line) for p in raised.value.problems] == [(str(export), code, 1)]
    assert (workspace / TARGET).read_bytes() == before


@pytest.mark.parametrize("name", ["missing.csv", "a-folder"])
def test_an_export_that_is_not_a_readable_file_is_a_workspace_error_naming_it(
    workspace: Path, tmp_path: Path, registry: m.Registry, name: str
) -> None:
    # from Python there is no click to check the path first: a user's wrong path must
    # not come out as a bare FileNotFoundError / IsADirectoryError
    (tmp_path / "a-folder").mkdir()
    export = tmp_path / name
    with pytest.raises(m.WorkspaceError) as raised:
        m.import_responses(workspace, export, "mio-utilisation", "follow-up:6m", registry)
    assert [(p.file, p.code) for p in raised.value.problems] == [(str(export), "unreadable")]


def test_the_longest_cell_an_import_reads_is_mios_whatever_else_set_the_csv_limit(
    tmp_path: Path,
) -> None:
    # csv.field_size_limit is the process's, and libraries set it (frictionless raises it
    # when imported): an import reads cells up to the workspace's limit all the same
    cell = "x" * (DEFAULT_LIMITS.max_csv_field_bytes + 1)
    previous = csv.field_size_limit(10 * len(cell))
    try:
        table = read_csv(f"respondent,comment\np01,{cell}\n".encode(), "export.csv")
        assert csv.field_size_limit() == 10 * len(cell)  # put back as it was
    finally:
        csv.field_size_limit(previous)
    assert [(p.code, p.line) for p in table.problems] == [("csv-syntax", 2)]
    assert f"longer than {DEFAULT_LIMITS.max_csv_field_bytes:,} characters" in (
        table.problems[0].message
    )
    fits = read_csv(f"respondent,comment\np01,{cell[1:]}\n".encode(), "export.csv")
    assert fits.problems == () and fits.rows == (("p01", cell[1:]),)

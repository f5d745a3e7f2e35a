"""Each tool's export through mio_core.import_responses with a TableMapping: the path from
the tool's file to the workspace's responses file, with answers already as codes."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import mio_forms
import pytest
from forms_files import csv_bytes, workbook

import mio_core as m
from mio_core.importing import ImportReport, TableMapping
from mio_core.testing import copy_workspace, make_registry

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "mio"
TARGET = "responses/mio-utilisation.follow-up.6m.csv"
OPS1 = "Jag har tillämpat kunskaper från konceptet i hur jag leder min verksamhet."
OPS2 = "Jag har använt minst en av konceptets innovationsmetoder tillsammans med mina medarbetare."
ITEMS = {OPS1: "ops1", OPS2: "ops2"}


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    return copy_workspace(EXAMPLE, tmp_path / "mio")


@pytest.fixture
def registry() -> m.Registry:
    return make_registry(mio_forms, builtins=True)


def _import(
    workspace: Path, export: Path, registry: m.Registry, importer: str, mapping: TableMapping
) -> ImportReport:
    return m.import_responses(
        workspace,
        export,
        "mio-utilisation",
        "follow-up:6m",
        registry,
        importer=importer,
        mapping=mapping,
        replace=True,
    )


def _written(workspace: Path) -> list[str]:
    return (workspace / TARGET).read_text(encoding="utf-8").splitlines()


def _snapshot(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _forms_workbook(ops1_of_p02: object = 3) -> bytes:
    return workbook(
        [
            ["ID", "Start time", "Completion time", "Email", "Name", "Deltagar-id", OPS1, OPS2],
            [
                1,
                dt.datetime(2018, 5, 30, 10, 3),
                dt.datetime(2018, 5, 30, 10, 9, 1),
                "anonymous",
                None,
                "p01",
                4,
                5,
            ],
            [
                2,
                dt.datetime(2018, 5, 31, 8, 0),
                dt.datetime(2018, 5, 31, 8, 4, 59),
                "anonymous",
                None,
                "p02",
                ops1_of_p02,
                9,
            ],
        ]
    )


FORMS_MAPPING = TableMapping(
    respondent_column="Deltagar-id",
    date_column="Completion time",
    items=ITEMS,
    ignore_columns={"ID", "Start time", "Email", "Name"},
)


def test_microsoft_forms_workbook_is_imported(
    workspace: Path, tmp_path: Path, registry: m.Registry
) -> None:
    export = tmp_path / "MIO uppföljning.xlsx"
    export.write_bytes(_forms_workbook())
    report = _import(workspace, export, registry, "microsoft-forms", FORMS_MAPPING)
    assert (report.respondents, report.items) == (2, ("ops1", "ops2"))
    assert _written(workspace)[:3] == [
        "respondent,date,ops1,ops2",
        "p01,2018-05-30,4,5",
        "p02,2018-05-31,3,9",
    ]


def test_a_bad_cell_in_a_workbook_is_refused_at_its_row_and_column_letter(
    workspace: Path, tmp_path: Path, registry: m.Registry
) -> None:
    export = tmp_path / "MIO uppföljning.xlsx"
    export.write_bytes(_forms_workbook(ops1_of_p02=7))
    before = _snapshot(workspace)
    with pytest.raises(m.WorkspaceError) as caught:
        _import(workspace, export, registry, "microsoft-forms", FORMS_MAPPING)
    [problem] = caught.value.problems
    assert (problem.code, problem.line, problem.column) == ("off-scale", 3, 7)
    assert problem.path == (f"{OPS1} (column G)",)
    assert _snapshot(workspace) == before


def test_google_forms_csv_is_imported(
    workspace: Path, tmp_path: Path, registry: m.Registry
) -> None:
    export = tmp_path / "MIO (svar).csv"
    export.write_bytes(
        csv_bytes(
            [
                f'Tidstämpel;E-postadress;Deltagar-id;"{OPS1}";"{OPS2}"',
                "2018/05/30 10:03:12 fm CEST;anna@kommun.se;p01;4;5",
                "2018/05/31 8:00:00 fm CEST;bo@kommun.se;p02;3;2",
            ],
            encoding="cp1252",
            ending="\r\n",
        )
    )
    mapping = TableMapping(
        respondent_column="Deltagar-id", items=ITEMS, ignore_columns={"Tidstämpel", "E-postadress"}
    )
    report = _import(workspace, export, registry, "google-forms", mapping)
    assert report.respondents == 2
    assert [w.code for w in report.warnings] == ["not-utf8"]
    assert _written(workspace)[1:3] == ["p01,4,5", "p02,3,2"]


def test_qualtrics_csv_is_imported(workspace: Path, tmp_path: Path, registry: m.Registry) -> None:
    export = tmp_path / "MIO_May 30, 2018.csv"
    export.write_bytes(
        csv_bytes(
            [
                "RecordedDate,ResponseId,ExternalReference,Q1_1,Q1_2",
                f'Recorded Date,Response ID,External Data Reference,"{OPS1}","{OPS2}"',
                '"{""ImportId"":""recordedDate""}","{""ImportId"":""_recordId""}",'
                '"{""ImportId"":""externalDataReference""}","{""ImportId"":""QID1_1""}",'
                '"{""ImportId"":""QID1_2""}"',
                "2018-05-30 10:09:41,R_1abc,p01,4,5",
                "2018-05-31 08:05:00,R_2def,p02,2,1",
            ]
        )
    )
    mapping = TableMapping(
        respondent_column="External Data Reference",
        date_column="Recorded Date",
        items=ITEMS,
        ignore_columns={"Response ID"},
    )
    report = _import(workspace, export, registry, "qualtrics", mapping)
    assert report.respondents == 2
    assert _written(workspace)[1:3] == ["p01,2018-05-30,4,5", "p02,2018-05-31,2,1"]


def test_surveymonkey_csv_is_imported(
    workspace: Path, tmp_path: Path, registry: m.Registry
) -> None:
    export = tmp_path / "Data_All_180530.csv"
    export.write_bytes(
        b"\xef\xbb\xbf"
        + csv_bytes(
            [
                "Respondent ID,Collector ID,Start Date,Custom Data 1,Hur väl stämmer detta?,",
                f',,,,"{OPS1}","{OPS2}"',
                "11400285031,234567890,05/30/2018 10:03:12 AM,p01,4,5",
                "11400285032,234567890,05/31/2018 08:00:00 AM,p02,5,3",
            ],
            ending="\r\n",
        )
    )
    mapping = TableMapping(
        respondent_column="Custom Data 1",
        items={
            f"Hur väl stämmer detta? / {OPS1}": "ops1",
            f"Hur väl stämmer detta? / {OPS2}": "ops2",
        },
        ignore_columns={"Respondent ID", "Collector ID", "Start Date"},
    )
    report = _import(workspace, export, registry, "surveymonkey", mapping)
    assert report.respondents == 2
    assert _written(workspace)[1:3] == ["p01,4,5", "p02,5,3"]


def test_a_plain_xlsx_sheet_is_imported(
    workspace: Path, tmp_path: Path, registry: m.Registry
) -> None:
    export = tmp_path / "svar.xlsx"
    export.write_bytes(
        workbook([["respondent", "date", "ops1", "ops2"], ["p01", dt.date(2018, 5, 30), 4.0, 5]])
    )
    report = _import(workspace, export, registry, "xlsx", TableMapping())
    assert report.respondents == 1
    assert _written(workspace)[1] == "p01,2018-05-30,4,5"


def test_the_readers_are_registered_through_the_hook(registry: m.Registry) -> None:
    assert {"xlsx", "microsoft-forms", "google-forms", "qualtrics", "surveymonkey"} <= set(
        registry.importers
    )

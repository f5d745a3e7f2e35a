"""Text, choice and multi-choice answers imported from LimeSurvey and KoboToolbox exports
into the English example (its team climate instrument has one item of each kind)."""

from __future__ import annotations

from pathlib import Path

import mio_survey_tools as st
import pytest
from tool_exports import quoted_csv

import mio_core as m
from mio_core.importing import TableMapping
from mio_core.testing import copy_workspace, make_registry

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "leading-nursing-teams"
TARGET = "responses/ltn-team-climate.pre.csv"
SCALE = ["safe1", "safe2", "safe3", "imp1", "imp2", "imp3"]
EXPECTED = [
    "respondent,safe1,safe2,safe3,imp1,imp2,imp3,method,forums,next-change",
    "n01,3,3,4,2,9,4,pdsa,huddle;board,Shorter handovers",
    "n02,4,2,3,4,2,3,audit,,",
]


def _import(tmp_path: Path, export: bytes, importer: str, mapping: TableMapping) -> Path:
    folder = copy_workspace(EXAMPLE, tmp_path / "ltn")
    file = tmp_path / f"export-{importer}.csv"
    file.write_bytes(export)
    report = m.import_responses(
        folder,
        file,
        "ltn-team-climate",
        "pre",
        make_registry(st, builtins=True),
        importer=importer,
        mapping=mapping,
        replace=True,
    )
    assert report.written
    return folder


def _limesurvey(method: str = "pdsa") -> bytes:
    header = ["id", "token", *(f"CL[SQ00{n}]" for n in range(1, 7)), "METHOD"]
    header += ["FORUMS[huddle]", "FORUMS[meeting]", "FORUMS[board]", "NEXT"]
    rows = [
        header,
        ["1", "n01", "3", "3", "4", "2", "9", "4", method, "Y", "", "Y", "Shorter handovers"],
        ["2", "n02", "4", "2", "3", "4", "2", "3", "audit", "", "", "", ""],
    ]
    return ("\ufeff" + quoted_csv(rows) + "\r\n").encode("utf-8")


LIMESURVEY = TableMapping(
    respondent_column="token",
    items={
        **{f"CL[SQ00{n}]": item for n, item in enumerate(SCALE, start=1)},
        "METHOD": "method",
        "FORUMS": "forums",
        "NEXT": "next-change",
    },
    ignore_columns=["id", "FORUMS[huddle]", "FORUMS[meeting]", "FORUMS[board]"],
)


def test_limesurvey_text_list_and_multiple_choice_answers_import(tmp_path: Path) -> None:
    folder = _import(tmp_path, _limesurvey(), "limesurvey", LIMESURVEY)
    assert (folder / TARGET).read_text(encoding="utf-8").splitlines() == EXPECTED


def test_a_limesurvey_list_answer_that_is_no_option_is_refused(tmp_path: Path) -> None:
    with pytest.raises(m.WorkspaceError) as caught:
        _import(tmp_path, _limesurvey(method="A7"), "limesurvey", LIMESURVEY)
    assert any("A7" in p.message for p in caught.value.problems)


def test_kobo_text_select_one_and_select_multiple_answers_import(tmp_path: Path) -> None:
    header = ["climate/respondent", *(f"climate/{i}" for i in SCALE), "climate/method"]
    header += ["climate/forums", "climate/forums/huddle", "climate/forums/meeting"]
    header += ["climate/forums/board", "climate/next-change", "_uuid"]
    rows = [
        header,
        ["n01", "3", "3", "4", "2", "9", "4", "pdsa", "huddle board", "1", "0", "1",
         "Shorter handovers", "u1"],
        ["n02", "4", "2", "3", "4", "2", "3", "audit", "", "0", "0", "0", "", "u2"],
    ]  # fmt: skip
    mapping = TableMapping(
        respondent_column="climate/respondent",
        items={f"climate/{i}": i for i in [*SCALE, "method", "forums", "next-change"]},
        ignore_columns=[
            "climate/forums/huddle", "climate/forums/meeting", "climate/forums/board", "_uuid"
        ],
    )  # fmt: skip
    folder = _import(tmp_path, quoted_csv(rows, sep=";").encode(), "kobo", mapping)
    assert (folder / TARGET).read_text(encoding="utf-8").splitlines() == EXPECTED

"""Text an import quotes back is data: whatever a survey file's name holds, a mapping mio
proposes for the file reads back as the mapping it proposed, and a text answer's line break
cannot add a line to what the import prints."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from mio_core import MioError
from mio_core.cli import main
from mio_core.importing import load_mapping, propose_mapping, save_mapping
from mio_core.testing import make_registry

NURSING = Path(__file__).resolve().parents[2] / "examples" / "leading-nursing-teams"

HEADER = b"respondent,date,rel1,rel2,rel3,prog1,prog2,prog3\np01,2017-11-30,4,4,3,4,3,4\n"


@pytest.mark.parametrize(
    "name",
    [
        "forms\nlabels: {x: {}}\n.csv",  # a line break would add a key of its own
        "forms\rdate: {column: x}.csv",
        "forms\x85ignore_unmapped: true.csv",  # YAML breaks lines on NEL too
        "forms\u2028ignore: [a].csv",
        "forms\x1b[2J\x1b]0;title\x07.csv",  # YAML refuses a raw control character
        "forms\u202e\u200b\ufeff.csv",
    ],
)
def test_a_mapping_proposed_for_a_hostile_file_name_reads_back_as_proposed(
    workspace: Path, name: str
) -> None:
    registry = make_registry(builtins=True)
    table = registry.importer("csv").read(HEADER, "forms.csv")
    proposal = propose_mapping(table, registry.instrument("mio-coaching"), "post", "csv", name)
    save_mapping(workspace, "hostile", proposal)

    assert load_mapping(workspace, "hostile") == proposal.mapping


def test_a_line_break_in_a_refused_text_answer_adds_no_line_to_the_import(
    tmp_path: Path,
) -> None:
    workspace = tmp_path / "nursing"
    shutil.copytree(NURSING, workspace)
    export = tmp_path / "answers.csv"
    export.write_text(
        "respondent,date,safe1,safe2,safe3,imp1,imp2,imp3,method,forums,next-change\n"
        'n01,2025-06-20,4,4,2,3,9,3,pdsa,huddle;board,"Measure\n  refused: n02 (line 3): x"\n',
        encoding="utf-8",
    )
    command = ["--no-cache", "import", str(workspace), str(export)]
    command += ["--instrument", "ltn-team-climate", "--occasion", "post", "--dry-run"]
    result = CliRunner().invoke(main, command)

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert [line for line in lines if "refused:" in line] == [
        "  refused: n01 (line 2): next-change Measure falls every week → "
        "Measure\\u000a  refused: n02 (line 3): x"
    ]


def test_a_mapping_named_after_a_windows_device_is_refused(workspace: Path) -> None:
    registry = make_registry(builtins=True)
    table = registry.importer("csv").read(HEADER, "forms.csv")
    proposal = propose_mapping(table, registry.instrument("mio-coaching"), "post", "csv", "f.csv")
    with pytest.raises(MioError, match="device name on Windows"):
        save_mapping(workspace, "con", proposal)
    assert not (workspace / "imports" / "con.yaml").exists()

"""What the ``mio`` command prints never carries a raw control character from a workspace:
an escape sequence, carriage return, backspace or bidi override in an id, a title, a file
or column name or a plugin's reason is shown as ``\\uXXXX``, and a line break in a name
cannot add a line of its own (docs/security.md, "What a terminal shows")."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from mio_core.cli import main

#: Clear the screen, set the window title, an OSC 8 hyperlink, the alternate screen, a
#: carriage return that overwrites the line, bidi controls, invisible characters, a C1 CSI,
#: NEL, backspace and bell.
HOSTILE = (
    "\x1b[2J\x1b]0;pwned\x07\x1b]8;;https://evil.example\x1b\\klick\x1b]8;;\x1b\\"
    "\x1b[?1049h\rFAKE\u202eRLO\u2066\u200b\ufeff\x9b2J\x85\x08\x08\x07"
)

#: The same in a file name, which cannot hold a slash.
IN_NAME = HOSTILE.replace("/", "|")

#: Every character that would reach the terminal raw: C0 but tab and newline, DEL, C1, the
#: bidi controls and marks and the invisible ones mio shows.
RAW = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b\u200e\u200f\u2028\u2029\u202a-\u202e"
    "\u2060-\u2064\u2066-\u2069\ufeff]"
)


def invoke(*args: str) -> Result:
    # color=True: click leaves ANSI sequences in, as it does on a terminal
    return CliRunner().invoke(main, ["--no-cache", *args], color=True)


def written(text: str) -> str:
    """``text`` the way mio shows it."""
    return text.encode("unicode_escape").decode("ascii")


def strings(value: object) -> list[str]:
    """Every string in a JSON value."""
    if isinstance(value, dict):
        return [text for item in value.values() for text in strings(item)]
    if isinstance(value, list):
        return [text for item in value for text in strings(item)]
    return [value] if isinstance(value, str) else []


def test_validate_shows_the_escape_sequences_of_a_file_name(workspace: Path) -> None:
    (workspace / "responses" / f"x{IN_NAME}.csv").write_text("respondent\n", encoding="utf-8")
    result = invoke("validate", str(workspace))
    assert result.exit_code == 1
    assert RAW.search(result.output) is None
    assert "responses/x\\u001b[2J\\u001b]0;pwned\\u0007" in result.output


def test_a_line_break_in_a_file_name_adds_no_line_to_validate(workspace: Path) -> None:
    fake = "mio: valid, no problems found"
    (workspace / "responses" / f"x\n{fake}\n.csv").write_text("respondent\n", encoding="utf-8")
    result = invoke("validate", str(workspace))
    assert fake not in result.output.splitlines()
    assert result.output.splitlines()[0].startswith("responses/x\\u000a")


def test_a_line_break_in_a_column_header_stays_in_its_problem_line(workspace: Path) -> None:
    answers = workspace / "responses" / "mio-coaching.post.csv"
    text = answers.read_text(encoding="utf-8")
    answers.write_text(text.replace("rel1", '"rel1\nfake: line"', 1), encoding="utf-8")
    result = invoke("validate", str(workspace))
    assert result.exit_code == 1
    assert not any(line.startswith("fake: line") for line in result.output.splitlines())


def test_an_error_that_quotes_a_file_name_shows_its_controls(workspace: Path) -> None:
    (workspace / "cohorts" / f"bad{IN_NAME}.yaml").write_text("id: [\n", encoding="utf-8")
    result = invoke("show", str(workspace))
    assert result.exit_code == 1
    assert "yaml-syntax" in result.stderr
    assert RAW.search(result.stderr) is None


def test_verbose_names_each_file_read_with_its_controls_shown(workspace: Path) -> None:
    (workspace / "responses" / f"x{IN_NAME}.csv").write_text("respondent\n", encoding="utf-8")
    result = invoke("--verbose", "validate", str(workspace))
    assert "mio: read responses/x\\u001b[2J" in result.stderr
    assert RAW.search(result.stderr) is None


def test_access_prints_a_hostile_name_as_the_same_json_value_with_no_raw_control(
    workspace: Path,
) -> None:
    people = workspace / "people.yaml"
    people.write_text(
        people.read_text(encoding="utf-8").replace(
            "name: Anna Lundin", f'name: "{written(HOSTILE)}"', 1
        ),
        encoding="utf-8",
    )
    result = invoke("access", str(workspace), "p01")
    assert result.exit_code == 0, result.output
    assert RAW.search(result.stdout) is None
    assert HOSTILE in strings(json.loads(result.stdout))


def test_a_plugins_failure_reason_is_printed_with_its_controls_shown(
    workspace: Path, tmp_path: Path
) -> None:
    plugin = tmp_path / "hostile_plugin.py"
    plugin.write_text(
        "from mio_core import hookimpl\n\n"
        "@hookimpl\n"
        "def mio_register_lifecycles():\n"
        f"    raise ValueError({HOSTILE!r})\n",
        encoding="utf-8",
    )
    result = invoke("--plugin", str(plugin), "plugins")
    assert "hostile_plugin" in result.output
    assert RAW.search(result.output) is None
    assert "\\u001b]0;pwned" in result.output


def test_a_file_name_that_is_not_utf8_is_shown_by_its_bytes(workspace: Path) -> None:
    folder = os.fsencode(workspace / "responses")
    with open(os.path.join(folder, b"x\xff\x9b.csv"), "w", encoding="utf-8") as stream:
        stream.write("respondent\n")
    result = invoke("validate", str(workspace))
    assert result.exit_code == 1
    assert "responses/x\\udcff\\udc9b.csv: responses-file-name" in result.output


@pytest.mark.parametrize("command", ["show", "evaluate"])
def test_a_line_break_in_the_workspace_title_adds_no_line(command: str, workspace: Path) -> None:
    manifest = workspace / "mio.yaml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace(
            "sv: Utvecklingskonceptet MIO", 'sv: "MIO\\n\\n== Fake section =="', 1
        ),
        encoding="utf-8",
    )
    result = invoke(command, str(workspace), "--language", "sv")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "MIO\\u000a\\u000a== Fake section =="
    assert "== Fake section ==" not in result.output.splitlines()

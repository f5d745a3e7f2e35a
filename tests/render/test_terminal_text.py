"""What `mio show` and `mio evaluate` print never carries a raw control character from the
workspace: an ANSI escape or a bidi override in a title is shown as \\uXXXX."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from mio_core.cli import main
from mio_core.textsafety import has_control_characters

HOSTILE = "Kohort \x1b[2J\x1b[31mröd\u202etxet"


@pytest.mark.parametrize("command", ["show", "evaluate"])
def test_a_title_with_an_escape_sequence_is_printed_visibly(command: str, workspace: Path) -> None:
    cohort = next((workspace / "cohorts").glob("*.yaml"))
    text = cohort.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("title:"))
    end = next(i for i in range(at + 1, len(lines)) if not lines[i].startswith(" "))
    lines[at:end] = [f'title: "{HOSTILE.encode("unicode_escape").decode("ascii")}"\n']
    cohort.write_text("".join(lines), encoding="utf-8")
    organisations = workspace / "organisations.yaml"
    escaped = HOSTILE.encode("unicode_escape").decode("ascii")
    organisations.write_text(
        organisations.read_text(encoding="utf-8").replace(
            "name: Linköpings kommun", f'name: "{escaped}"', 1
        ),
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["--no-cache", command, str(workspace), "--language", "sv"])
    assert result.exit_code == 0, result.output
    assert not has_control_characters(result.output)
    assert "\\u001b[2J\\u001b[31mröd\\u202etxet" in result.output

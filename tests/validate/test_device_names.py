"""An id that mio names a file after is not a name Windows keeps for a device (``con``,
``aux``, ``com1``...), where that file could neither be made nor opened."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mio_core import validate_workspace
from mio_core.io.layout import is_device_name

from .test_validation import replace

NURSING = Path(__file__).resolve().parents[2] / "examples" / "leading-nursing-teams"


@pytest.mark.parametrize("name", ["con", "CON", "nul", "aux", "prn", "com1", "lpt9", "con.ics"])
def test_windows_device_names_are_recognised(name: str) -> None:
    assert is_device_name(name)


@pytest.mark.parametrize("name", ["cone", "console", "com", "com10", "icon", "aux-2017"])
def test_names_that_only_resemble_a_device_are_not_device_names(name: str) -> None:
    assert not is_device_name(name)


def test_a_cohort_named_after_a_windows_device_is_a_located_warning(workspace: Path) -> None:
    replace(workspace / "cohorts" / "ostergotland-2017.yaml", "id: ostergotland-2017", "id: con")
    [problem] = [p for p in validate_workspace(workspace) if p.code == "device-name"]
    assert (problem.file, problem.line, problem.severity) == (
        "cohorts/ostergotland-2017.yaml",
        1,
        "warning",
    )
    assert "con.ics" in problem.message


def test_a_local_instrument_named_after_a_windows_device_is_a_located_warning(
    tmp_path: Path,
) -> None:
    workspace = tmp_path / "nursing"
    shutil.copytree(NURSING, workspace)
    replace(workspace / "instruments" / "ltn-team-climate.yaml", "id: ltn-team-climate", "id: aux")
    warnings = [p for p in validate_workspace(workspace) if p.code == "device-name"]
    assert [(p.file, p.line) for p in warnings] == [("instruments/ltn-team-climate.yaml", 1)]

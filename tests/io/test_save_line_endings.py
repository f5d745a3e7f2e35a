"""A save keeps how a file ends: a file without a line break after its last line (as some
editors save it) keeps none, so an unchanged last line stays out of ``git diff``."""

from __future__ import annotations

import warnings
from pathlib import Path

import attrs

import mio_core as m
from mio_core.io.saving import TextNotKeptWarning


def _without_final_line_break(path: Path) -> bytes:
    data = path.read_bytes().rstrip(b"\r\n")
    path.write_bytes(data)
    return data


def test_a_yaml_file_without_a_final_line_break_keeps_its_last_line(workspace: Path) -> None:
    path = workspace / "cohorts/ostergotland-2017.yaml"
    before = _without_final_line_break(path)
    loaded = m.load_workspace(workspace)
    cohort = loaded.cohorts[0]
    first = cohort.sessions[0]
    dropped = attrs.evolve(first, attended=first.attended[1:])
    cohort = attrs.evolve(cohort, sessions=(dropped, *cohort.sessions[1:]))

    m.save_workspace(attrs.evolve(loaded, cohorts=(cohort, *loaded.cohorts[1:])), workspace)

    after = path.read_bytes()
    assert after.endswith(before.rsplit(b"\n", 1)[1])
    assert not after.endswith(b"\n")
    assert len(after.splitlines()) == len(before.splitlines()) - 1


def test_a_responses_file_without_a_final_line_break_keeps_its_last_row(workspace: Path) -> None:
    path = workspace / "responses/mio-coaching.post.csv"
    before = _without_final_line_break(path).decode()
    gone = before.splitlines()[1].split(",")[0]

    m.erase_participant(workspace, gone)

    kept = [line for line in before.splitlines(keepends=True) if not line.startswith(f"{gone},")]
    assert path.read_text(encoding="utf-8") == "".join(kept)


def test_a_literal_block_ending_the_file_is_edited_in_place(workspace: Path) -> None:
    path = workspace / "organisations.yaml"
    text = path.read_text(encoding="utf-8").rstrip("\n")
    path.write_text(text + "\n  extensions:\n    notes: |\n      kept as written", encoding="utf-8")
    loaded = m.load_workspace(workspace)
    last = loaded.organisations[-1]
    renamed = attrs.evolve(last, name="Ny kommun")

    with warnings.catch_warnings():
        warnings.simplefilter("error", TextNotKeptWarning)
        m.save_workspace(
            attrs.evolve(loaded, organisations=(*loaded.organisations[:-1], renamed)), workspace
        )

    saved = m.load_workspace(workspace).organisations[-1]
    assert saved.name == "Ny kommun"
    assert saved.extensions == last.extensions

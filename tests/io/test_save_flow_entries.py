"""An entry written on one line in flow style — ``- {id: c1, name: ...}``, as
docs/workspace.md writes coaches, coaching goals and sessions — stays one line when a save
changes it: ``git diff`` shows that line changed, not one line turned into four."""

from __future__ import annotations

import warnings
from pathlib import Path

import attrs

import mio_core as m
from mio_core.io.saving import TextNotKeptWarning

COACH = (
    "- id: c1\n  name: Birgitta Sundelin\n  organisation: liu\n"
    "  email: birgitta.sundelin@liu.example\n"
)


def _save(workspace: Path, **changes: object) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", TextNotKeptWarning)
        m.save_workspace(attrs.evolve(m.load_workspace(workspace), **changes), workspace)


def _changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    old, new = before.splitlines(), after.splitlines()
    return [line for line in old if line not in new], [line for line in new if line not in old]


def test_a_flow_entry_changed_by_a_save_stays_one_line_in_its_key_order(workspace: Path) -> None:
    path = workspace / "people.yaml"
    flow = (
        "- {id: c1, email: birgitta.sundelin@liu.example, name: Birgitta Sundelin, "
        "organisation: liu}  # lead\n"
    )
    before = path.read_text(encoding="utf-8").replace(COACH, flow)
    path.write_text(before, encoding="utf-8")
    coaches = m.load_workspace(workspace).coaches
    changed = attrs.evolve(coaches[0], email="new@liu.example")

    _save(workspace, coaches=(changed, *coaches[1:]))

    removed, added = _changed_lines(before, path.read_text(encoding="utf-8"))
    assert removed == [flow.rstrip("\n")]
    assert added == [flow.rstrip("\n").replace("birgitta.sundelin@liu.example", "new@liu.example")]


def test_a_flow_coaching_session_changed_by_a_save_stays_one_line(workspace: Path) -> None:
    path = workspace / "coaching/ostergotland-2017.yaml"
    engagement = m.load_workspace(workspace).engagements[0]
    first = engagement.sessions[0]
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    start = lines.index(f"  - date: {first.date.isoformat()}\n")
    end = start + 1
    while lines[end].startswith("    "):
        end += 1
    session = f"  - {{date: {first.date.isoformat()}, minutes: {first.minutes}}}\n"
    before = "".join([*lines[:start], session, *lines[end:]])
    path.write_text(before, encoding="utf-8")
    loaded = m.load_workspace(workspace)
    engagement = loaded.engagements[0]
    longer = attrs.evolve(engagement.sessions[0], minutes=first.minutes + 30)
    engagement = attrs.evolve(engagement, sessions=(longer, *engagement.sessions[1:]))

    _save(workspace, engagements=(engagement, *loaded.engagements[1:]))

    removed, added = _changed_lines(before, path.read_text(encoding="utf-8"))
    assert removed == [session.rstrip("\n")]
    assert added == [
        session.rstrip("\n").replace(f" {first.minutes}}}", f" {first.minutes + 30}}}")
    ]
    assert m.load_workspace(workspace).engagements[0].sessions[0].minutes == first.minutes + 30

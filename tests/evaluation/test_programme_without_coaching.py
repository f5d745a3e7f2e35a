"""A concept of training alone (no coaching design, no engagements) reports no coaching."""

from __future__ import annotations

from pathlib import Path

import attrs

import mio_core as m
from tests.helpers import EXAMPLE

TRAINING_ONLY = Path(__file__).resolve().parents[2] / "examples" / "leading-nursing-teams"


def section_ids(workspace: m.Workspace) -> list[str]:
    registry = m.load_registry()
    view = m.build_view(m.evaluate(workspace, registry), workspace, registry, "en")
    return [s.id for s in view.sections]


def test_the_view_of_a_programme_without_coaching_has_no_coaching_section() -> None:
    # before: a "Coaching" section of zeros, "12 without coaching" and a suppressed GAS row
    workspace = m.load_workspace(TRAINING_ONLY)
    assert workspace.concept.coaching is None and not workspace.engagements
    assert "coaching" not in section_ids(workspace)


def test_a_concept_with_a_coaching_design_shows_coaching_before_any_is_logged() -> None:
    workspace = m.load_workspace(EXAMPLE)
    assert workspace.concept.coaching is not None
    assert "coaching" in section_ids(attrs.evolve(workspace, engagements=()))


def test_coaching_engagements_show_coaching_without_a_coaching_design() -> None:
    workspace = m.load_workspace(EXAMPLE)
    workspace = attrs.evolve(workspace, concept=attrs.evolve(workspace.concept, coaching=None))
    assert "coaching" in section_ids(workspace)


def participant_hours_columns(workspace: m.Workspace) -> list[str]:
    registry = m.load_registry()
    view = m.build_view(m.evaluate(workspace, registry), workspace, registry, "en")
    table = next(t for s in view.sections for t in s.tables if t.id == "participant-hours")
    return [c.key for c in table.columns]


def test_participant_hours_of_a_programme_without_coaching_have_no_coaching_column() -> None:
    # before: a "Coaching hours" column of 0.00 and a note "plus coaching hours"
    columns = participant_hours_columns(m.load_workspace(TRAINING_ONLY))
    assert columns == ["organisation", "participants", "module_hours", "total_hours"]


def test_participant_hours_of_a_coached_programme_keep_the_coaching_column() -> None:
    assert "coaching_hours" in participant_hours_columns(m.load_workspace(EXAMPLE))

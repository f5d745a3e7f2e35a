"""`mio show`'s overview of a programme."""

from __future__ import annotations

from pathlib import Path

import attrs

import mio_core as m
from mio_core.programme.overview import format_overview, overview
from tests.helpers import EXAMPLE

TRAINING_ONLY = Path(__file__).resolve().parents[2] / "examples" / "leading-nursing-teams"


def test_the_overview_of_a_programme_without_coaching_lists_no_coaching_hours() -> None:
    # before: "Coaching hours per participant", every manager at 0.0 h
    text = format_overview(overview(m.load_workspace(TRAINING_ONLY)))
    assert "Coaching" not in text and "coaching" not in text


def test_the_overview_of_a_concept_with_a_coaching_design_lists_coaching_hours() -> None:
    # before any engagement is logged, too: the design says coaching is part of it
    workspace = attrs.evolve(m.load_workspace(EXAMPLE), engagements=())
    assert "Coaching hours per participant" in format_overview(overview(workspace))

"""`mio show`: the overview in the language asked for — mio's words, numbers as the language
writes them, stage titles, and organisations in that language's alphabetical order."""

from __future__ import annotations

import re
from pathlib import Path

import attrs
import pytest

import mio_core as m
from mio_core.model import Workspace
from mio_core.plugins.registry import Registry
from mio_core.programme.overview import Overview, format_overview, overview
from mio_core.testing import make_registry

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "mio"


@pytest.fixture(scope="module")
def example_workspace() -> Workspace:
    return m.load_workspace(EXAMPLE)


@pytest.fixture(scope="module")
def registry() -> Registry:
    return make_registry(builtins=True)


def test_show_in_swedish_has_no_english_headings(
    example_workspace: Workspace, registry: Registry
) -> None:
    text = format_overview(overview(example_workspace, registry, "sv"))
    for swedish in (
        "Omgångar",
        "Deltagare per organisation",
        "Närvaro per utbildningsdag",
        "Coachningstimmar per deltagare",
        "Innovationsprojekt per fas",
        "genomförs av",
        "utan coachning",
    ):
        assert swedish in text
    for english in (
        "Cohorts",
        "Participants per organisation",
        "Attendance per module",
        "Coaching hours",
        "Innovation projects per stage",
        "delivered by",
        "participants",
        "attended",
        "without coaching",
    ):
        assert english not in text


def test_show_in_english_keeps_its_headings(
    example_workspace: Workspace, registry: Registry
) -> None:
    text = format_overview(overview(example_workspace, registry, "en"))
    assert "Cohorts\ncohort  " in text
    assert "Attendance per module\nmodule  title" in text


def test_show_in_swedish_writes_a_decimal_comma_and_a_spaced_percent_sign(
    example_workspace: Workspace, registry: Registry
) -> None:
    text = format_overview(overview(example_workspace, registry, "sv"))
    assert "medel 6,0 h, median 6,5 h, min 2,8 h, max 8,5 h" in text
    assert " 92 %" in text
    assert "92%" not in text and "6.0 h" not in text


def test_show_rounds_hours_half_up_as_every_other_output() -> None:
    # 6.25 h is exactly representable: Python's format gives 6.2 (half to even)
    view = Overview(
        title="t",
        concept="c",
        cohorts=(),
        participants_per_organisation=(),
        attendance=(),
        coaching_hours=(("p1", 6.25), ("p2", 0.0)),
        projects_per_stage=(),
        language="sv",
    )
    text = format_overview(view)
    assert re.search(r"^p1 +6,3$", text, re.MULTILINE)
    assert "medel 3,1 h" in text  # 3.125


def test_show_names_each_stage_by_its_title_in_the_language(
    example_workspace: Workspace, registry: Registry
) -> None:
    text = format_overview(overview(example_workspace, registry, "sv"))
    assert re.search(r"^identify +Identifiera problem +3$", text, re.MULTILINE)
    assert re.search(r"^diffuse +Sprida lärdomar +1$", text, re.MULTILINE)


def test_show_lists_organisations_in_swedish_alphabetical_order(
    example_workspace: Workspace, registry: Registry
) -> None:
    names = {
        "linkoping": "Ängelholms kommun",
        "norrkoping": "Åtvidabergs kommun",
        "motala": "Ödeshögs kommun",
        "mjolby": "Ydre kommun",
        "finspang": "Eslövs kommun",
    }
    organisations = tuple(
        attrs.evolve(o, name=names.get(o.id, o.name)) for o in example_workspace.organisations
    )
    workspace = attrs.evolve(example_workspace, organisations=organisations)
    listed = [name for name, _ in overview(workspace, registry, "sv").participants_per_organisation]
    # å, ä, ö are letters after z; é sorts as e (Svenska Akademiens ordlista)
    assert listed == [
        "Eslövs kommun",
        "Ydre kommun",
        "Åtvidabergs kommun",
        "Ängelholms kommun",
        "Ödeshögs kommun",
    ]


TRAINING_ONLY = Path(__file__).resolve().parents[2] / "examples" / "leading-nursing-teams"


def test_the_overview_of_a_programme_without_coaching_lists_no_coaching_hours() -> None:
    # before: "Coaching hours per participant", every manager at 0.0 h
    text = format_overview(overview(m.load_workspace(TRAINING_ONLY)))
    assert "Coaching" not in text and "coaching" not in text


def test_the_overview_of_a_concept_with_a_coaching_design_lists_coaching_hours() -> None:
    # before any engagement is logged, too: the design says coaching is part of it
    workspace = attrs.evolve(m.load_workspace(EXAMPLE), engagements=())
    assert "Coaching hours per participant" in format_overview(overview(workspace, language="en"))

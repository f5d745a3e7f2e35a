"""Tests of the example plugin, using the fixtures mio_core gives plugin authors."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import attrs
import mio_plugin_template as plugin
import pytest

import mio_core as m
from mio_core.model import Cohort, ModuleSession, Organisation, Participant


@pytest.fixture
def small_programme(mio_template: Path) -> Path:
    """The MIO template with one cohort of three managers from Kinda, one module given."""
    workspace = m.load_workspace(mio_template)
    kinda = Organisation(
        id="kinda", name="Kinda kommun", kind="municipality", municipality_code="0513"
    )
    people = tuple(
        Participant(id=f"p{i}", name=f"Person {i}", organisation="kinda", level="first-line")
        for i in range(1, 4)
    )
    session = ModuleSession(module="m1", date=dt.date(2026, 2, 1), attended=("p1", "p3"))
    cohort = Cohort(
        id="kinda-2026",
        concept="mio",
        delivered_by="kinda",
        start=dt.date(2026, 1, 10),
        end=dt.date(2026, 6, 10),
        participants=tuple(p.id for p in people),
        sessions=(session,),
    )
    workspace = attrs.evolve(
        workspace,
        organisations=(*workspace.organisations, kinda),
        participants=people,
        cohorts=(cohort,),
    )
    m.save_workspace(workspace, mio_template)
    return mio_template


def test_the_plugin_registers_cleanly(mio_registry):
    registry = mio_registry(plugin)
    assert registry.instrument("workplace-pulse").level == "reaction"
    assert registry.exporter("attendance-csv").suffix == ".csv"
    assert "template-small-cohorts" in registry.rules


def test_the_rule_warns_about_a_cohort_below_the_minimum_group_size(mio_registry, small_programme):
    problems = m.validate_workspace(small_programme, mio_registry(plugin, builtins=True))
    assert [(p.code, str(p.severity)) for p in problems] == [("template-small-cohort", "warning")]
    assert problems[0].file == "cohorts/kinda-2026.yaml"


def test_the_export_leaves_out_names_unless_identified(mio_registry, small_programme):
    source = m.ExportSource(
        workspace=m.load_workspace(small_programme), registry=mio_registry(plugin)
    )
    stream = io.StringIO()
    plugin.write_attendance(source, stream, None)
    assert stream.getvalue().splitlines() == [
        "cohort,module,date,participant,present",
        "kinda-2026,m1,2026-02-01,p1,1",
        "kinda-2026,m1,2026-02-01,p2,0",
        "kinda-2026,m1,2026-02-01,p3,1",
    ]
    stream = io.StringIO()
    plugin.write_attendance(
        attrs.evolve(source, identified=True), stream, plugin.AttendanceOptions(only_absent=True)
    )
    assert stream.getvalue().splitlines()[1:] == ["kinda-2026,m1,2026-02-01,p2,Person 2,0"]

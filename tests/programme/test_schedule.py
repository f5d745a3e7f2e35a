"""Planned sessions: how they load and save, what validation says, what counts in the rates,
and what `mio schedule` lists."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mio_core as m
from mio_core.cli import main
from mio_core.evaluation.participation import participation
from mio_core.model import Cohort, ModuleSession, SessionStatus, Workspace
from mio_core.programme import upcoming_sessions
from mio_core.programme.overview import overview
from mio_core.testing import make_registry

FUTURE_COHORT = """\
id: skaraborg-2031
concept: mio
title: {sv: Skaraborg 2031, en: Skaraborg 2031 (en)}
delivered_by: liu
start: 2031-01-01
end: 2031-12-31
coaches: [c1]
sessions:
- module: m2
  date: 2031-03-12
  status: planned
  place: Skövde
  facilitators: [f2]
- module: m1
  date: 2031-02-05
  status: planned
  start: 09:00
  end: 16:30
  place: Skövde, Stadshuset
  facilitators: [f1, f2]
- module: m3
  date: 2031-04-09
  status: cancelled
"""


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def planned(workspace: Path) -> Path:
    """The example workspace with a future cohort of two planned and one cancelled session."""
    (workspace / "cohorts" / "skaraborg-2031.yaml").write_text(FUTURE_COHORT, encoding="utf-8")
    return workspace


def problems_with(folder: Path, code: str) -> list[m.Problem]:
    return [p for p in m.validate_workspace(folder) if p.code == code]


# --- the file format ---------------------------------------------------------------------


def test_a_session_without_status_is_held(example: Path) -> None:
    workspace = m.load_workspace(example)
    assert all(s.status is SessionStatus.HELD for c in workspace.cohorts for s in c.sessions)


def test_unquoted_times_load_as_times_of_day(planned: Path) -> None:
    cohort = next(c for c in m.load_workspace(planned).cohorts if c.id == "skaraborg-2031")
    session = cohort.sessions[1]
    assert (session.start, session.end) == (dt.time(9, 0), dt.time(16, 30))


def test_a_one_digit_hour_reads_as_that_time(planned: Path) -> None:
    replace(planned / "cohorts" / "skaraborg-2031.yaml", "start: 09:00", "start: 9:00")
    assert problems_with(planned, "invalid-time") == []
    cohort = next(c for c in m.load_workspace(planned).cohorts if c.id == "skaraborg-2031")
    assert cohort.sessions[1].start == dt.time(9, 0)


def test_an_existing_workspace_saves_unchanged(workspace: Path) -> None:
    before = {p: p.read_bytes() for p in workspace.rglob("*") if p.is_file()}
    m.save_workspace(m.load_workspace(workspace), workspace)
    after = {p: p.read_bytes() for p in workspace.rglob("*") if p.is_file() and p in before}
    assert after == before


def test_a_new_planned_session_is_saved_with_its_status_and_times(workspace: Path) -> None:
    loaded = m.load_workspace(workspace)
    cohort = loaded.cohorts[1]
    session = ModuleSession(
        module="m1",
        date=dt.date(2018, 10, 1),
        status=SessionStatus.PLANNED,
        start=dt.time(13, 30),
        end=dt.time(16, 0),
    )
    changed = attrs.evolve(cohort, sessions=(*cohort.sessions, session))
    m.save_workspace(attrs.evolve(loaded, cohorts=(loaded.cohorts[0], changed)), workspace)
    text = (workspace / "cohorts" / f"{cohort.id}.yaml").read_text(encoding="utf-8")
    assert "status: planned" in text
    assert "start: '13:30'" in text
    assert m.load_workspace(workspace).cohorts[1].sessions[-1] == session


def test_a_time_that_is_not_a_time_is_located(planned: Path) -> None:
    replace(planned / "cohorts" / "skaraborg-2031.yaml", "end: 16:30", "end: 25:00")
    [problem] = problems_with(planned, "invalid-time")
    assert problem.file == "cohorts/skaraborg-2031.yaml"
    assert problem.path == ("sessions", 1, "end")
    assert problem.line == 18


def test_an_end_before_the_start_is_located(planned: Path) -> None:
    replace(planned / "cohorts" / "skaraborg-2031.yaml", "end: 16:30", "end: 08:00")
    [problem] = problems_with(planned, "invalid-value")
    assert problem.path == ("sessions", 1, "end")
    assert "before start" in problem.message


# --- validation ----------------------------------------------------------------------------


def test_a_planned_session_with_attendance_is_an_error(planned: Path) -> None:
    replace(
        planned / "cohorts" / "skaraborg-2031.yaml",
        "  facilitators: [f2]\n",
        "  facilitators: [f2]\n  attended: []\n",
    )
    assert problems_with(planned, "attendance-not-held") == []
    replace(
        planned / "cohorts" / "skaraborg-2031.yaml",
        "coaches: [c1]",
        "participants: [p01]\ncoaches: [c1]",
    )
    replace(planned / "cohorts" / "skaraborg-2031.yaml", "attended: []", "attended: [p01]")
    [problem] = problems_with(planned, "attendance-not-held")
    assert problem.severity is m.Severity.ERROR
    assert problem.file == "cohorts/skaraborg-2031.yaml"
    assert problem.path == ("sessions", 0, "attended")
    assert problem.line is not None


def test_a_held_session_in_the_future_is_a_warning(planned: Path) -> None:
    replace(
        planned / "cohorts" / "skaraborg-2031.yaml",
        "  status: planned\n  place: Skövde\n",
        "  place: Skövde\n",
    )
    [problem] = problems_with(planned, "held-in-future")
    assert problem.severity is m.Severity.WARNING
    assert problem.path == ("sessions", 0, "date")


def test_a_planned_session_whose_day_has_passed_is_a_warning(workspace: Path) -> None:
    replace(
        workspace / "cohorts" / "ostergotland-2018.yaml",
        "- module: m1\n",
        "- module: m1\n  status: planned\n",
    )
    [problem] = problems_with(workspace, "planned-in-past")
    assert problem.severity is m.Severity.WARNING
    assert problem.path == ("sessions", 0, "status")


def test_an_unknown_timezone_is_an_error(planned: Path) -> None:
    replace(
        planned / "cohorts" / "skaraborg-2031.yaml", "coaches:", "timezone: Europe/Skovde\ncoaches:"
    )
    [problem] = problems_with(planned, "unknown-timezone")
    assert problem.path == ("timezone",)
    assert problem.file == "cohorts/skaraborg-2031.yaml"


def test_a_module_held_as_two_half_days_is_valid(planned: Path) -> None:
    text = (planned / "cohorts" / "skaraborg-2031.yaml").read_text(encoding="utf-8")
    again = "- module: m1\n  date: 2031-02-06\n  status: planned\n  start: 09:00\n  end: 12:00\n"
    (planned / "cohorts" / "skaraborg-2031.yaml").write_text(text + again, encoding="utf-8")
    problems = m.validate_workspace(planned)
    assert [p for p in problems if p.file == "cohorts/skaraborg-2031.yaml"] == []


# --- attendance rates count held sessions only ----------------------------------------------


def _with_sessions(workspace: Workspace, extra: list[tuple[int, str, SessionStatus]]) -> Workspace:
    cohorts = list(workspace.cohorts)
    for index, module, status in extra:
        cohort = cohorts[index]
        session = ModuleSession(module=module, date=cohort.end, status=status, facilitators=("f1",))
        cohorts[index] = attrs.evolve(cohort, sessions=(*cohort.sessions, session))
    return attrs.evolve(workspace, cohorts=tuple(cohorts))


@pytest.fixture(scope="module")
def example_workspace() -> Workspace:
    return m.load_workspace(Path(__file__).resolve().parents[2] / "examples" / "mio")


@pytest.fixture(scope="module")
def registry() -> m.Registry:
    return make_registry(builtins=True)


not_held = st.sampled_from([SessionStatus.PLANNED, SessionStatus.CANCELLED])
extra_sessions = st.lists(
    st.tuples(st.integers(0, 1), st.sampled_from(["m1", "m2", "m3", "m4", "m5"]), not_held),
    min_size=1,
    max_size=6,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(extra=extra_sessions)
def test_planned_and_cancelled_sessions_change_no_participation_figure(
    example_workspace: Workspace,
    registry: m.Registry,
    extra: list[tuple[int, str, SessionStatus]],
) -> None:
    changed = _with_sessions(example_workspace, extra)
    assert participation(changed, registry) == participation(example_workspace, registry)
    assert overview(changed, registry) == overview(example_workspace, registry)


def test_planned_sessions_change_no_attendance_rate_or_response_rate(
    example_workspace: Workspace, registry: m.Registry
) -> None:
    extra = [(0, "m1", SessionStatus.PLANNED), (1, "m3", SessionStatus.CANCELLED)]
    extra += [(1, module, SessionStatus.PLANNED) for module in ("m2", "m4", "m5")]
    before = m.evaluate(example_workspace, registry)
    after = m.evaluate(_with_sessions(example_workspace, extra), registry)
    assert after.attendance == before.attendance
    assert after.response_rates == before.response_rates
    assert after.groups == before.groups


def test_a_module_held_as_two_sessions_counts_only_those_at_both(
    example_workspace: Workspace, registry: m.Registry
) -> None:
    # the counterpart of the tests above: a held second session of m1 (a second half-day)
    # that nobody attended leaves no one who attended the whole module in that cohort
    held = _with_sessions(example_workspace, [(1, "m1", SessionStatus.HELD)])
    cohort = example_workspace.cohorts[1]
    first_day = set(next(s for s in cohort.sessions if s.module == "m1").attended)
    before = participation(example_workspace, registry).attendance_by_module()["m1"]
    after = participation(held, registry).attendance_by_module()["m1"]
    assert after == (before[0] - len(first_day & set(cohort.participants)), before[1])


def test_a_second_half_day_attended_by_the_same_people_changes_nothing(
    example_workspace: Workspace, registry: m.Registry
) -> None:
    cohorts = list(example_workspace.cohorts)
    first = next(s for s in cohorts[0].sessions if s.module == "m1")
    second = attrs.evolve(first, date=first.date + dt.timedelta(days=1))
    cohorts[0] = attrs.evolve(cohorts[0], sessions=(*cohorts[0].sessions, second))
    halves = attrs.evolve(example_workspace, cohorts=tuple(cohorts))
    assert (
        m.evaluate(halves, registry).attendance
        == m.evaluate(example_workspace, registry).attendance
    )


@given(
    registers=st.lists(st.frozensets(st.sampled_from(["p1", "p2", "p3", "p4", "x"])), max_size=4)
)
def test_module_attenders_are_the_participants_present_at_every_held_session(
    registers: list[frozenset[str]],
) -> None:
    sessions = tuple(
        ModuleSession(module="m1", date=dt.date(2030, 1, 1 + i), attended=tuple(sorted(r)))
        for i, r in enumerate(registers)
    )
    cohort = Cohort(
        id="c",
        concept="k",
        delivered_by="o",
        start=dt.date(2030, 1, 1),
        end=dt.date(2030, 12, 31),
        participants=("p1", "p2", "p3", "p4"),
        sessions=sessions,
    )
    expected = {"p1", "p2", "p3", "p4"}
    for register in registers:
        expected &= register
    assert cohort.module_attenders() == ({"m1": frozenset(expected)} if registers else {})


# --- what is coming ------------------------------------------------------------------------


def test_upcoming_sessions_lists_planned_sessions_by_date(planned: Path) -> None:
    sessions = upcoming_sessions(m.load_workspace(planned), dt.date(2030, 1, 1), "en")
    assert [(s.date, s.module, s.occurrence) for s in sessions] == [
        (dt.date(2031, 2, 5), "m1", 1),
        (dt.date(2031, 3, 12), "m2", 1),
    ]
    first = sessions[0]
    assert first.cohort_title == "Skaraborg 2031 (en)"
    assert first.place == "Skövde, Stadshuset"
    assert first.facilitators == ("Ulrika Hallberg", "Göran Lindeberg")
    assert (first.start, first.end, first.timezone) == (
        dt.time(9, 0),
        dt.time(16, 30),
        "Europe/Stockholm",
    )


def test_upcoming_sessions_leave_out_sessions_before_the_date(planned: Path) -> None:
    sessions = upcoming_sessions(m.load_workspace(planned), dt.date(2031, 2, 6))
    assert [s.module for s in sessions] == ["m2"]


def test_mio_schedule_prints_a_table(planned: Path) -> None:
    result = CliRunner().invoke(
        main, ["schedule", str(planned), "--from", "2030-01-01", "--language", "en"]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["date", "time", "cohort", "module", "place", "facilitators"]
    assert lines[2].startswith("2031-02-05  09:00-16:30  Skaraborg 2031 (en)")
    assert "all day" in lines[3]
    assert len(lines) == 4


def test_mio_schedule_in_swedish_prints_swedish_headings(planned: Path) -> None:
    result = CliRunner().invoke(
        main, ["schedule", str(planned), "--from", "2030-01-01", "--language", "sv"]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    headings = ["datum", "tid", "omgång", "utbildningsdag", "plats", "processledare"]
    assert lines[0].split() == headings
    assert lines[2].startswith("2031-02-05  09:00-16:30  Skaraborg 2031  ")
    assert "heldag" in lines[3] and "all day" not in result.output


def test_mio_schedule_speaks_the_workspace_language_by_default(planned: Path) -> None:
    result = CliRunner().invoke(main, ["schedule", str(planned), "--from", "2032-01-01"])
    assert result.exit_code == 0, result.output
    assert result.output == "Inga planerade tillfällen.\n"


def test_mio_schedule_prints_json(planned: Path) -> None:
    result = CliRunner().invoke(
        main, ["schedule", str(planned), "--from", "2031-03-01", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == [
        {
            "date": "2031-03-12",
            "start": None,
            "end": None,
            "timezone": "Europe/Stockholm",
            "cohort": "skaraborg-2031",
            "cohort_title": "Skaraborg 2031",
            "module": "m2",
            "module_title": "Medarbetardriven innovation",
            "occurrence": 1,
            "place": "Skövde",
            "facilitators": ["Göran Lindeberg"],
        }
    ]


def test_mio_schedule_shows_control_characters(planned: Path) -> None:
    replace(
        planned / "cohorts" / "skaraborg-2031.yaml", "place: Skövde\n", 'place: "Sk\\u202eövde"\n'
    )
    result = CliRunner().invoke(main, ["schedule", str(planned), "--from", "2030-01-01"])
    assert result.exit_code == 0, result.output
    assert "\u202e" not in result.output
    assert "\\u202e" in result.output


def test_mio_schedule_of_a_broken_workspace_exits_1_without_a_traceback(planned: Path) -> None:
    replace(planned / "cohorts" / "skaraborg-2031.yaml", "status: cancelled", "status: postponed")
    result = CliRunner().invoke(main, ["schedule", str(planned)])
    assert result.exit_code == 1
    assert "skaraborg-2031.yaml" in result.output
    assert "Traceback" not in result.output

"""Goals with indicators: the registry of named figures, value against target, validation."""

from __future__ import annotations

import csv
from fractions import Fraction
from pathlib import Path

import attrs
import yaml

import mio_core as m
from mio_core.evaluation import EvaluationResult, GoalIndicator, build_view
from mio_core.model import Lifecycle, Translations, Workspace, text_in
from mio_core.plugins import Indicator, IndicatorContext, IndicatorValue
from mio_core.render import render_text
from mio_core.testing import make_registry
from tests.conftest import EXAMPLE


def coached_share(context: IndicatorContext) -> IndicatorValue:
    people = {p for c in context.workspace.cohorts for p in c.participants}
    coached = {e.participant for e in context.workspace.engagements if e.sessions}
    share = len(coached & people) / len(people) if people else None
    return IndicatorValue(value=share, members=people)


class CoachedShare:
    @m.hookimpl
    def mio_register_indicators(self) -> list[Indicator]:
        return [
            Indicator(
                name="coached-share",
                unit="share",
                title=Translations(
                    {"en": "Share of managers coached", "sv": "Andel chefer med coachning"}
                ),
                compute=coached_share,
            )
        ]


def with_goal_indicator(workspace: Workspace, indicator: str, target: float | None) -> Workspace:
    goals = list(workspace.concept.goals)
    goals[0] = attrs.evolve(goals[0], indicator=indicator, target=target)
    return attrs.evolve(workspace, concept=attrs.evolve(workspace.concept, goals=tuple(goals)))


def goal_row(result: EvaluationResult, goal: str) -> GoalIndicator:
    return next(g for g in result.goal_indicators if g.goal == goal)


def test_mio_register_indicators() -> None:
    registry = make_registry(CoachedShare(), builtins=True)
    workspace = with_goal_indicator(m.load_workspace(EXAMPLE), "coached-share", 0.8)
    row = goal_row(m.evaluate(workspace, registry), "intermediary-competence")
    coached = set()  # from the engagements' files, read apart from mio_core
    for path in sorted((EXAMPLE / "coaching").glob("*.yaml")):
        for engagement in yaml.safe_load(path.read_text(encoding="utf-8"))["engagements"]:
            if engagement.get("sessions"):
                coached.add(engagement["participant"])
    assert (row.indicator, row.unit, row.target) == ("coached-share", "share", 0.8)
    assert row.value == len(coached) / 24
    assert row.n == 24


def test_the_example_goals_carry_indicators_and_targets() -> None:
    result = m.evaluate(m.load_workspace(EXAMPLE))
    assert [(g.goal, g.indicator, g.target) for g in result.goal_indicators] == [
        ("intermediary-competence", "intermediary-led-share", 0.5),
        ("develop-run-evaluate", "response-rate", 0.7),
        ("participants-apply", "utilisation-mean", 3.5),
    ]


def test_intermediary_led_share_counts_cohorts_delivered_by_an_intermediary() -> None:
    # two deliveries: 2017 by the university, 2018 by the regional intermediary
    row = goal_row(m.evaluate(m.load_workspace(EXAMPLE)), "intermediary-competence")
    assert row.value == 0.5
    assert row.met is True


def test_utilisation_mean_matches_the_answers_file() -> None:
    with (EXAMPLE / "responses" / "mio-utilisation.follow-up.6m.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    means = []
    for row in rows:
        values = [Fraction(row[i]) for i in ("ops1", "ops2", "ops3") if row[i].strip()]
        if len(values) == 3:  # every respondent of the example answered all three
            means.append(sum(values) / 3)
    expected = sum(means) / len(means)
    row_ = goal_row(m.evaluate(m.load_workspace(EXAMPLE)), "participants-apply")
    assert row_.n == len(means)
    assert row_.value is not None and abs(Fraction(row_.value) - expected) < Fraction(1, 10**12)


def test_attendance_rate_is_attended_over_expected_sessions_held() -> None:
    workspace = with_goal_indicator(m.load_workspace(EXAMPLE), "attendance-rate", 0.9)
    result = m.evaluate(workspace)
    totals = [a for a in result.attendance if a.cohort == "all"]
    attended = sum(a.attended or 0 for a in totals)
    expected = sum(a.participants or 0 for a in totals)
    assert goal_row(result, "intermediary-competence").value == attended / expected
    assert goal_row(result, "intermediary-competence").met is False  # 107/120 < 0.9


def test_attendance_rate_counts_a_module_held_as_two_half_days_once_per_participant() -> None:
    # m1 of the first cohort given as two half-days, three of its attenders at the first
    # only: they did not attend m1 (as the attendance figures count it), and the module is
    # expected once per participant, not once per session
    workspace = with_goal_indicator(m.load_workspace(EXAMPLE), "attendance-rate", 0.9)
    cohort = workspace.cohorts[0]
    first = next(s for s in cohort.sessions if s.module == "m1")
    second = attrs.evolve(first, date=first.date.replace(day=first.date.day + 1))
    second = attrs.evolve(second, attended=first.attended[3:])
    sessions = list(cohort.sessions)
    sessions.insert(sessions.index(first) + 1, second)
    cohorts = (attrs.evolve(cohort, sessions=tuple(sessions)), *workspace.cohorts[1:])
    workspace = attrs.evolve(workspace, cohorts=cohorts)
    attended = expected = 0
    for each in workspace.cohorts:
        members = set(each.participants)
        held = [s for s in each.sessions if s.status.value == "held"]
        for module in {s.module for s in held}:
            registers = [set(s.attended) for s in held if s.module == module]
            attended += len(members.intersection(*registers))
            expected += len(members)
    value = goal_row(m.evaluate(workspace), "intermediary-competence").value
    assert value == float(Fraction(attended, expected)) == 104 / 120


def test_an_indicator_resting_on_fewer_than_the_minimum_is_suppressed() -> None:
    workspace = m.load_workspace(EXAMPLE)
    privacy = attrs.evolve(workspace.manifest.privacy, min_group_size=25)
    workspace = attrs.evolve(workspace, manifest=attrs.evolve(workspace.manifest, privacy=privacy))
    row = goal_row(m.evaluate(workspace), "intermediary-competence")
    assert (row.value, row.n, row.suppressed, row.met) == (None, None, "primary", None)


def test_the_goals_section_shows_value_against_target_in_every_language() -> None:
    workspace = m.load_workspace(EXAMPLE)
    registry = m.load_registry()
    result = m.evaluate(workspace, registry)
    for language, indicator, kind, met in (
        ("en", "Share of deliveries led by intermediaries", "result goal", "yes"),
        ("sv", "Andel leveranser ledda av intermediärer", "resultatmål", "ja"),
    ):
        view = build_view(result, workspace, registry, language)
        # the goals come right after the headline, before the detail
        assert [s.id for s in view.sections[:2]] == ["headline", "goals"]
        section = view.sections[1]
        row = section.tables[0].rows[0]
        assert [c.value for c in row.cells] == [
            text_in(workspace.concept.goals[0].text, language),
            kind,
            indicator,
            0.5,
            0.5,
            24,
            met,
        ]
        assert indicator in render_text(view)


def test_a_suppressed_indicator_shows_no_value_in_the_view() -> None:
    workspace = m.load_workspace(EXAMPLE)
    privacy = attrs.evolve(workspace.manifest.privacy, min_group_size=25)
    workspace = attrs.evolve(workspace, manifest=attrs.evolve(workspace.manifest, privacy=privacy))
    registry = m.load_registry()
    view = build_view(m.evaluate(workspace, registry), workspace, registry, "en")
    cells = view.section("goals").tables[0].rows[0].cells
    assert cells[3].value == 0.5  # the target is the workspace's own, not a figure
    assert [(c.value, c.suppressed) for c in cells[4:]] == [(None, "primary")] * 3


def test_an_unknown_indicator_is_named_with_file_and_line(workspace: Path) -> None:
    path = workspace / "concept.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "indicator: response-rate", "indicator: respons-rate"
    )
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index("  indicator: respons-rate") + 1
    problems = [p for p in m.validate_workspace(workspace) if p.code == "unknown-indicator"]
    assert [(p.file, p.line, p.path) for p in problems] == [
        ("concept.yaml", line, ("goals", 1, "indicator"))
    ]
    assert "did you mean 'response-rate'" in problems[0].message


def test_a_target_without_an_indicator_is_an_error(workspace: Path) -> None:
    path = workspace / "concept.yaml"
    text = path.read_text(encoding="utf-8").replace("  indicator: response-rate\n", "")
    path.write_text(text, encoding="utf-8")
    codes = [p.code for p in m.validate_workspace(workspace)]
    assert codes == ["target-without-indicator"]


def test_a_share_target_outside_0_to_1_is_an_error(workspace: Path) -> None:
    path = workspace / "concept.yaml"
    text = path.read_text(encoding="utf-8").replace("target: 0.7", "target: 70")
    path.write_text(text, encoding="utf-8")
    codes = [p.code for p in m.validate_workspace(workspace)]
    assert codes == ["target-out-of-range"]


def test_a_share_target_written_as_a_percentage_says_how_to_write_it(workspace: Path) -> None:
    path = workspace / "concept.yaml"
    text = path.read_text(encoding="utf-8").replace("target: 0.7", "target: 70")
    path.write_text(text, encoding="utf-8")
    [problem] = m.validate_workspace(workspace)
    assert problem.message.endswith("the target 70 is outside it (write 70 % as 0.7)")


def test_implementation_share_counts_managers_with_a_project_at_or_past_implement() -> None:
    owners = set()  # from the project files, read apart from mio_core; OPSI's order
    later = {"implement", "evaluate", "diffuse"}
    for path in sorted((EXAMPLE / "projects").glob("*.yaml")):
        for project in yaml.safe_load(path.read_text(encoding="utf-8"))["projects"]:
            if project["stage"] in later:
                owners.add(project["owner"])
    workspace = with_goal_indicator(m.load_workspace(EXAMPLE), "implementation-share", 0.25)
    row = goal_row(m.evaluate(workspace), "intermediary-competence")
    assert owners and row.value == len(owners) / 24


def with_small_cohorts(workspace: Workspace, *sizes: int) -> Workspace:
    """The example with its second cohort cut to its first ``sizes[0]`` participants and,
    for each further size, a cohort of that many more of them (no sessions of their own);
    the rest join the first cohort, as having missed its sessions."""
    first, second = workspace.cohorts
    people = list(second.participants)
    small = []
    for i, size in enumerate(sizes):
        taken, people = tuple(people[:size]), people[size:]
        if i == 0:
            sessions = tuple(
                attrs.evolve(s, attended=tuple(p for p in s.attended if p in taken))
                for s in second.sessions
            )
            small.append(attrs.evolve(second, participants=taken, sessions=sessions))
        else:
            small.append(attrs.evolve(second, id=f"small-{i}", participants=taken, sessions=()))
    first = attrs.evolve(first, participants=first.participants + tuple(people))
    return attrs.evolve(workspace, cohorts=(first, *small))


def test_the_response_rate_indicator_is_hidden_where_it_gives_back_a_small_cohort() -> None:
    # answers given / expected over every cohort's response-rate cell: with a cohort of 3
    # suppressed, the value times the expected minus the visible cells is its count
    result = m.evaluate(with_small_cohorts(m.load_workspace(EXAMPLE), 3))
    assert {r.suppressed for r in result.response_rates if r.cohort == "ostergotland-2018"} == {
        "primary"
    }
    row = goal_row(result, "develop-run-evaluate")
    assert (row.value, row.n, row.suppressed, row.met) == (None, None, "secondary", None)


def test_the_response_rate_indicator_stays_when_the_hidden_cohorts_hold_k_people() -> None:
    # two suppressed cohorts of 3: the difference is the answers of 6 people, not fewer than k
    result = m.evaluate(with_small_cohorts(m.load_workspace(EXAMPLE), 3, 3))
    assert {r.cohort for r in result.response_rates if r.suppressed} == {
        "ostergotland-2018",
        "small-1",
    }
    row = goal_row(result, "develop-run-evaluate")
    assert row.suppressed is None and row.value is not None


def test_the_attendance_rate_indicator_is_hidden_where_it_gives_back_a_small_cohort() -> None:
    # module m5 held only for a cohort of 3: its rows are suppressed, and sessions attended
    # over expected minus the other modules' visible totals would be the cohort's count
    workspace = with_small_cohorts(m.load_workspace(EXAMPLE), 3)
    first, second = workspace.cohorts
    first = attrs.evolve(first, sessions=tuple(s for s in first.sessions if s.module != "m5"))
    workspace = attrs.evolve(workspace, cohorts=(first, second))
    result = m.evaluate(with_goal_indicator(workspace, "attendance-rate", 0.5))
    assert [a.suppressed for a in result.attendance if a.module == "m5"] == ["primary"] * 2
    row = goal_row(result, "intermediary-competence")
    assert (row.value, row.n, row.suppressed) == (None, None, "secondary")


def test_utilisation_mean_is_the_same_float_as_its_group_mean() -> None:
    # the indicator and the group result of the same 20 scores are one figure: before,
    # the goal said 3.5666666666666664 and the group table 3.5666666666666673
    result = m.evaluate(m.load_workspace(EXAMPLE))
    (group,) = [
        g
        for g in result.groups
        if (g.instrument, g.occasion, g.measure, g.group_by)
        == ("mio-utilisation", "follow-up:6m", "operations", "all")
    ]
    row = goal_row(result, "participants-apply")
    assert group.summary is not None and row.n == group.summary.n
    assert row.value == group.summary.mean


class AcmeCycle:
    """A plugin's lifecycle: OPSI's stages under another name, put into practice from
    ``evaluate`` on (a stage OPSI itself does not count from)."""

    @m.hookimpl
    def mio_register_lifecycles(self) -> list[Lifecycle]:
        opsi = make_registry(builtins=True).lifecycles["opsi"]
        return [
            Lifecycle(
                name="acme-cycle",
                title="Acme cycle",
                stages=opsi.stages,
                implementation_stage="evaluate",
            )
        ]


def test_implementation_share_counts_from_a_plugin_lifecycle_s_own_implementation_stage() -> None:
    # before, only the built-in lifecycles had an implementation stage: a plugin's gave no
    # value ("has no implementation stage") whatever its projects' stages
    owners = set()  # from the project files, read apart from mio_core
    for path in sorted((EXAMPLE / "projects").glob("*.yaml")):
        for project in yaml.safe_load(path.read_text(encoding="utf-8"))["projects"]:
            if project["stage"] in {"evaluate", "diffuse"}:
                owners.add(project["owner"])
    workspace = with_goal_indicator(m.load_workspace(EXAMPLE), "implementation-share", 0.25)
    workspace = attrs.evolve(
        workspace, concept=attrs.evolve(workspace.concept, lifecycle="acme-cycle")
    )
    row = goal_row(
        m.evaluate(workspace, make_registry(AcmeCycle(), builtins=True)), "intermediary-competence"
    )
    assert owners and row.value == len(owners) / 24


def test_intermediary_led_share_counts_a_deliverer_the_concept_names_as_intermediary() -> None:
    # a concept with its own organisation kinds (no kind "intermediary") names its
    # intermediary as a partner: before, its deliveries counted as led by none (0 %)
    workspace = m.load_workspace(EXAMPLE)
    organisations = tuple(
        attrs.evolve(o, kind="region") if o.kind == "intermediary" else o
        for o in workspace.organisations
    )
    workspace = attrs.evolve(workspace, organisations=organisations)
    row = goal_row(m.evaluate(workspace), "intermediary-competence")
    assert row.value == 0.5

"""Disclosure control: the audit over published cells, and the four leaks of issue 12."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import attrs
import pytest
from click.testing import CliRunner
from hypothesis import example, given, settings
from hypothesis import strategies as st

import mio_core as m
from mio_core.cli import main
from mio_core.evaluation import EvaluationResult
from mio_core.evaluation.disclosure import PRIMARY, SECONDARY, Cell, Facet, audit
from mio_core.model import Workspace
from mio_core.testing import make_registry

from ..strategies import workspaces_answering_their_instruments


def cell(key: str, members: range | set[int], breakdown: str | None = None) -> Cell:
    return Cell(
        key=key,
        facets=(Facet(family="v", members=frozenset(members), breakdown=breakdown),),
        total=breakdown is None,
    )


def test_a_cell_below_the_minimum_is_suppressed_as_primary() -> None:
    assert audit([cell("small", range(4)), cell("big", range(10, 30))], 5) == {"small": PRIMARY}


def test_nothing_is_suppressed_when_the_minimum_is_one() -> None:
    assert audit([cell("a", range(1)), cell("b", range(2))], 1) == {}


def test_the_smaller_of_two_nested_cells_that_differ_by_few_is_suppressed() -> None:
    # leak (a) in miniature: 24 answered before, 22 pairs
    pre, pairs = cell("pre", range(24)), cell("pairs", range(22))
    assert audit([pre, pairs], 5) == {"pairs": SECONDARY}


def test_a_total_minus_the_visible_groups_reveals_nothing() -> None:
    groups = [cell("a", range(10), "cohort"), cell("b", range(10, 20), "cohort")]
    hidden = audit([cell("all", range(23)), *groups, cell("c", range(20, 23), "cohort")], 5)
    assert hidden["c"] == PRIMARY
    assert len(hidden) == 2


def test_a_cohort_minus_the_organisation_inside_it_reveals_nothing() -> None:
    # leak (b): a cohort of 20 and a municipality of 16 wholly inside it
    cohort = cell("cohort", range(20), "cohort")
    municipality = cell("municipality", range(16), "organisation")
    other = cell("other", range(16, 20), "organisation")
    hidden = audit([cohort, municipality, other], 5)
    assert hidden["other"] == PRIMARY
    assert "cohort" in hidden or "municipality" in hidden


def test_two_disjoint_cells_inside_a_third_reveal_nothing() -> None:
    outer = cell("all", range(30))
    first, second = cell("first", range(12), "cohort"), cell("second", range(12, 27), "org")
    assert audit([outer, first, second], 5) == {"first": SECONDARY}


def test_cells_of_different_families_are_not_compared() -> None:
    pre = Cell(key="pre", facets=(Facet(family="pre", members=frozenset(range(24))),))
    post = Cell(key="post", facets=(Facet(family="post", members=frozenset(range(22))),))
    assert audit([pre, post], 5) == {}


@settings(max_examples=60, deadline=None)
@given(
    sizes=st.lists(st.integers(0, 15), min_size=1, max_size=8),
    inner=st.lists(st.integers(0, 15), max_size=4),
    k=st.integers(2, 6),
)
def test_after_the_audit_no_visible_difference_covers_one_to_k_minus_one(
    sizes: list[int], inner: list[int], k: int
) -> None:
    # a breakdown partitioning a total, and smaller sets nested in the first groups
    cells, start = [], 0
    for i, size in enumerate(sizes):
        cells.append(cell(f"g{i}", range(start, start + size), "cohort"))
        start += size
    cells.append(cell("all", range(start)))
    for i, size in enumerate(inner):
        cells.append(cell(f"i{i}", range(size), "organisation"))
    hidden = audit(cells, k)
    visible = [c for c in cells if c.key not in hidden]
    sets = [c.facets[0].members for c in visible]
    for a in sets:
        assert not 0 < len(a) < k
        for b in sets:
            if a < b:
                assert len(b) - len(a) >= k
    for b in sets:
        parts = [c.facets[0].members for c in visible if c.facets[0].breakdown == "cohort"]
        within = [p for p in parts if p < b]
        assert not 0 < len(b) - sum(len(p) for p in within) < k


@pytest.fixture(scope="module")
def example_result(request: Any) -> EvaluationResult:
    from ..helpers import EXAMPLE

    return m.evaluate(m.load_workspace(EXAMPLE))


def test_the_change_table_and_the_occasion_totals_cannot_be_subtracted(
    example_result: EvaluationResult,
) -> None:
    # leak (a): pre n = 24 and 22 pairs gave the two non-respondents' combined pre score
    k = example_result.min_group_size
    totals = {
        (g.instrument, g.measure, g.occasion): g.summary.n
        for g in example_result.groups
        if g.group_by == "all" and g.summary is not None
    }
    for change in example_result.changes:
        for occasion in (change.before, change.after):
            total = totals.get((change.instrument, change.subscale, occasion))
            if change.n_pairs is not None and total is not None:
                assert not 0 < total - change.n_pairs < k
    assert any(c.suppressed for c in example_result.changes)


def test_order_statistics_are_withheld_below_twice_the_minimum(
    example_result: EvaluationResult,
) -> None:
    # leak (c): the min, max and median of a group of 5 are people's own scores
    k = example_result.min_group_size
    small = [g for g in example_result.groups if g.summary and k <= g.summary.n < 2 * k]
    large = [g for g in example_result.groups if g.summary and g.summary.n >= 2 * k]
    assert small and large
    for g in small:
        assert g.summary is not None
        assert (g.summary.median, g.summary.min, g.summary.max) == (None, None, None)
        assert g.summary.distribution == ()
        assert g.summary.mean is not None
    assert all(g.summary and g.summary.median is not None for g in large)


def test_mio_evaluate_prints_no_count_for_a_suppressed_change(example: Path) -> None:
    # leak (d): n_pairs was printed for a change that was suppressed
    text = CliRunner().invoke(main, ["evaluate", str(example), "--language", "en"])
    assert text.exit_code == 0, text.output
    rows = [
        line for line in text.output.splitlines() if " before " in line and "suppressed" in line
    ]
    assert rows
    for line in rows:
        before_word = line.split("suppressed")[0]
        assert not any(token.isdigit() for token in before_word.split()), line
    printed = CliRunner().invoke(main, ["evaluate", str(example), "--format", "json"])
    changes = json.loads(printed.output)["changes"]
    assert all(c["n_pairs"] is None for c in changes if c["suppressed"])


def test_a_suppressed_group_shows_no_count_in_any_output(example: Path) -> None:
    printed = CliRunner().invoke(main, ["evaluate", str(example), "--format", "json"])
    data = json.loads(printed.output)
    for row in data["groups"] + data["items"] + data["programme"]:
        if row["suppressed"]:
            assert row["summary"] is None
    for row in data["reliability"]:
        if row["suppressed"]:
            assert row["n"] is None


def test_attendance_is_published_per_cohort_and_module(
    example_result: EvaluationResult,
) -> None:
    rows = example_result.attendance
    cohorts = {a.cohort for a in rows}
    assert "all" in cohorts and len(cohorts) > 2
    by_module: dict[str, int] = {}
    for a in rows:
        if a.cohort != "all" and a.attended is not None:
            by_module[a.module] = by_module.get(a.module, 0) + a.attended
    totals = {a.module: a.attended for a in rows if a.cohort == "all"}
    assert by_module == totals


def test_goal_attainment_is_published_per_cohort_at_baseline_and_follow_up(
    example_result: EvaluationResult,
) -> None:
    gas = [g for g in example_result.programme if g.instrument == "gas"]
    assert {(g.occasion, g.group_by) for g in gas} == {
        ("baseline", "all"),
        ("baseline", "cohort"),
        ("follow-up", "all"),
        ("follow-up", "cohort"),
    }
    shown = [g for g in gas if g.summary is not None and g.group_by == "cohort"]
    assert shown and all(g.summary and g.summary.sd is not None for g in shown)


@settings(max_examples=settings().max_examples * 5)
@given(st.lists(st.frozensets(st.integers(0, 8), min_size=1), max_size=12))
def test_containment_finds_exactly_the_strictly_nested_sets(sets: list[frozenset[int]]) -> None:
    from mio_core.evaluation.disclosure import _containment, _Entry

    entries = [_Entry(index, members, None) for index, members in enumerate(sets)]
    reference = {
        b: [a for a in range(len(sets)) if sets[a] < sets[b]]
        for b in range(len(sets))
        if any(sets[a] < sets[b] for a in range(len(sets)))
    }
    assert dict(_containment(entries)) == reference


@given(
    st.lists(st.frozensets(st.integers(0, 12), min_size=1), min_size=1, max_size=8),
    st.integers(2, 5),
)
def test_families_with_the_same_sets_are_audited_as_if_each_were_alone(
    sets: list[frozenset[int]], k: int
) -> None:
    # The audit computes containment once for families of identical sets: what it hides
    # in two such families is what it hides in each alone.
    def cells(family: str) -> list[Cell]:
        return [
            Cell(key=(family, i), facets=(Facet(family=family, members=s),))
            for i, s in enumerate(sets)
        ]

    together = audit([*cells("a"), *cells("b")], k)
    alone = {**audit(cells("a"), k), **audit(cells("b"), k)}
    assert together == alone


def plain_audit(cells: list[Cell], k: int) -> dict[Any, str]:
    """The audit without its shortcuts: each family's containment of its own, and every
    family and every set looked at in every round."""
    from mio_core.evaluation.disclosure import _containment, _Entry, _violation

    hidden: dict[int, str] = {}
    for index, c in enumerate(cells):
        if any(0 < len(f.members) < k for f in c.facets):
            hidden[index] = PRIMARY
    families: dict[Any, list[_Entry]] = {}
    for index, c in enumerate(cells):
        for f in c.facets:
            if f.members:
                families.setdefault(f.family, []).append(_Entry(index, f.members, f.breakdown))

    def loss(index: int) -> tuple[int, int, str]:
        return (cells[index].size, int(cells[index].total), repr(cells[index].key))

    changed = True
    while changed:
        changed = False
        for entries in families.values():
            for b, contained in _containment(entries).items():
                outer = entries[b]
                if outer.cell in hidden:
                    continue
                visible = [entries[a] for a in contained if entries[a].cell not in hidden]
                involved = _violation(outer, visible, k)
                if involved:
                    hidden[min({outer.cell, *involved}, key=loss)] = SECONDARY
                    changed = True
    return {cells[index].key: why for index, why in hidden.items()}


@settings(max_examples=300)
@given(
    st.lists(
        st.tuples(
            st.frozensets(st.integers(0, 14), min_size=1),
            st.sampled_from([None, "cohort", "organisation"]),
        ),
        min_size=1,
        max_size=9,
    ),
    st.lists(st.tuples(st.integers(0, 3), st.integers(0, 8), st.integers(1, 6)), max_size=12),
    st.integers(2, 5),
)
@example(  # hiding C (primary in "small") in family 1 leaves 10 − 5 − 4 = 1 outside A, B
    sets=[
        (frozenset(range(10)), None),
        (frozenset(range(5)), "cohort"),
        (frozenset(range(3, 7)), "cohort"),
        (frozenset(range(5, 10)), "cohort"),
    ],
    small=[(1, 3, 1)],
    k=3,
)
def test_the_audit_hides_what_the_plain_audit_hides(
    sets: list[tuple[frozenset[int], str | None]],
    small: list[tuple[int, int, int]],
    k: int,
) -> None:
    # Three families of the same sets and breakdowns (whose checks the audit shares while
    # none of their cells is hidden), one of the same sets with other breakdowns, and
    # cells with a second facet in a family of small sets, hidden there
    cells = []
    for family in range(4):
        for i, (members, breakdown) in enumerate(sets):
            if family == 3:
                breakdown = None if breakdown else "cohort"
            facets = [Facet(family=family, members=members, breakdown=breakdown)]
            facets += [
                Facet(family="small", members=frozenset(range(100, 100 + size)))
                for where, index, size in small
                if (where, index) == (family, i)
            ]
            cells.append(Cell(key=(family, i), facets=tuple(facets), total=breakdown is None))
    assert audit(cells, k) == plain_audit(cells, k)


def components(cells: list[Cell]) -> list[list[Cell]]:
    """``cells`` split into the groups that share a family, directly or through other
    cells, each in the order given (a plain union-find over families)."""
    parent: dict[Any, Any] = {}

    def root(family: Any) -> Any:
        while parent.setdefault(family, family) != family:
            family = parent[family]
        return family

    for c in cells:
        for f in c.facets[1:]:
            parent[root(f.family)] = root(c.facets[0].family)
    groups: dict[Any, list[Cell]] = {}
    for c in cells:
        groups.setdefault(root(c.facets[0].family), []).append(c)
    return list(groups.values())


@settings(max_examples=300)
@given(
    st.lists(
        st.tuples(
            st.lists(
                st.tuples(st.integers(0, 3), st.frozensets(st.integers(0, 7))),
                min_size=1,
                max_size=2,
            ),
            st.sampled_from([None, "cohort"]),
        ),
        min_size=1,
        max_size=14,
    ),
    st.integers(2, 5),
    st.randoms(use_true_random=False),
)
def test_cells_that_share_no_family_are_audited_apart_as_together(
    drawn: list[tuple[list[tuple[int, frozenset[int]]], str | None]], k: int, rng: Any
) -> None:
    # (few families and members, so that nested sets are common)
    # mio_core.evaluate audits the group cells an instrument and an occasion at a time:
    # that is sound only because the audit of cells sharing no family (not even through
    # a cell with facets in two families) hides, in each part, what auditing all at once
    # does. Keys repeat their index in an order that is not repr's (9 < 10), as the
    # group cells' keys do.
    cells = [
        Cell(
            key=("group", index),
            facets=tuple(Facet(family=f, members=s, breakdown=by) for f, s in facets),
            total=by is None,
        )
        for index, (facets, by) in enumerate(drawn)
    ]
    parts = components(cells)
    rng.shuffle(parts)
    apart: dict[Any, str] = {}
    cut = rng.randint(0, len(parts))  # some parts audited together, each in given order
    for batch in (parts[:cut], *([part] for part in parts[cut:])):
        together = [c for c in cells if any(c in part for part in batch)]
        apart.update(audit(together, k))
    assert apart == audit(cells, k)


def test_evaluate_audits_each_family_in_one_audit_only(
    example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the other half of auditing by parts: no family has facets in two audits' cells, and
    # every cell is audited once
    import mio_core.evaluation as evaluation

    calls: list[list[Cell]] = []

    def spy(cells: list[Cell], k: int) -> dict[Any, str]:
        calls.append(list(cells))
        return audit(cells, k)

    monkeypatch.setattr(evaluation, "audit", spy)
    workspace = m.load_workspace(example)
    result = evaluation.evaluate(workspace, m.load_registry())
    assert len(calls) > 2
    owner: dict[Any, int] = {}
    for at, cells in enumerate(calls):
        for c in cells:
            for f in c.facets:
                assert owner.setdefault(f.family, at) == at, f.family
    keys = [c.key for cells in calls for c in cells]
    assert len(keys) == len(set(keys))
    groups = {key[1] for key in keys if key[0] == "group"}
    assert groups == set(range(len(result.groups)))
    assert {key[1] for key in keys if key[0] == "change"} == set(range(len(result.changes)))


@st.composite
def programmes(draw: st.DrawFn) -> Workspace:
    """A small synthetic programme (cohorts, organisations, answers before and after and per
    module) with a minimum group size that suppresses some groups and not others, and some
    answer sheets dropped, so that sets differ by few."""
    from mio_core.generate.synthetic import generate_workspace

    workspace = generate_workspace(
        municipalities_count=draw(st.integers(1, 3)),
        managers_per_municipality=draw(st.integers(2, 7)),
        cohort_size=draw(st.integers(3, 9)),
        seed=draw(st.integers(0, 10_000)),
    )
    sheets = len(workspace.responses)
    kept = draw(st.lists(st.booleans(), min_size=sheets, max_size=sheets))
    manifest = workspace.manifest
    privacy = attrs.evolve(manifest.privacy, min_group_size=draw(st.integers(2, 6)))
    return attrs.evolve(
        workspace,
        manifest=attrs.evolve(manifest, privacy=privacy),
        responses=tuple(r for r, keep in zip(workspace.responses, kept, strict=True) if keep),
    )


@settings(max_examples=40, deadline=None)
@given(st.one_of(programmes(), workspaces_answering_their_instruments()))
def test_group_and_change_results_are_those_of_one_audit_of_all_their_cells(
    workspace: Workspace,
) -> None:
    # evaluate audits the group cells by parts (see _groups_published): the same results as
    # one audit of every group and paired-change cell at once, made in one list
    from mio_core.evaluation import _changes, evaluate
    from mio_core.evaluation.groups import group_cells
    from mio_core.evaluation.participation import answered_by_occasion
    from mio_core.evaluation.scoring import score_responses

    registry = make_registry(builtins=True)
    instruments = registry.instruments_for(workspace)
    result = evaluate(workspace, registry)
    scores = list(score_responses(workspace.responses, instruments))
    cells = group_cells(workspace, instruments, scores)
    changes = _changes(instruments, scores, answered_by_occasion(workspace.responses))
    k = workspace.manifest.privacy.min_group_size
    together = [c.cell(("group", i)) for i, c in enumerate(cells)] + [row[1] for row in changes]
    hidden = audit(together, k)
    assert result.groups == tuple(
        c.published(hidden.get(("group", i)), k) for i, c in enumerate(cells)
    )
    assert [c.suppressed for c in result.changes] == [
        hidden.get(("change", i)) for i in range(len(changes))
    ]

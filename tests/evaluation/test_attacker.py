"""An attacker who sees only what is published tries every differencing attack.

The attacker gets the output of ``mio evaluate --format json`` and the csv export's
aggregate tables (never the evaluation objects), plus outside knowledge we assume an
attacker can have: who belongs to which cohort and organisation (the membership lists of
the workspace). From the published n of each cell and the structural nesting of the groups
they try, for every variable (instrument, measure, occasion):

- pairs: a cell A whose group lies inside the group of a cell B (an organisation inside a
  cohort, any group inside the total, the paired-change set inside an occasion's total);
- triples: two disjoint cells inside a third;
- unions: a cell minus every visible group of one breakdown inside it (a total minus the
  visible cohorts);

and report each difference that covers 1 … k−1 respondents: n_B·mean_B − n_A·mean_A is
then the sum of a small group's values. With disclosure control on they must find nothing;
with it off (k = 1) they must find something.
"""

from __future__ import annotations

import csv
import json
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from itertools import combinations
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mio_core as m
from mio_core.evaluation.headline import headline
from mio_core.export import prepare_source, run_export
from mio_core.io.jsonio import dumps
from mio_core.model import Workspace
from mio_core.plugins.manager import load_registry

#: Programmes per attack: 10 under the ci Hypothesis profile, 2 under dev.
EXAMPLES = max(2, settings.default.max_examples // 10)

Group = tuple[str, str]  # (group_by, group)


@attrs.frozen
class Published:
    variable: tuple[Any, ...]
    group: Group
    n: int
    mean: float | None


def with_k(workspace: Workspace, k: int) -> Workspace:
    manifest = workspace.manifest
    privacy = attrs.evolve(manifest.privacy, min_group_size=k)
    return attrs.evolve(workspace, manifest=attrs.evolve(manifest, privacy=privacy))


def publish(workspace: Workspace, registry: Any) -> tuple[dict[str, Any], dict[str, list]]:
    """Return what leaves the library: the evaluate JSON and the csv export's tables."""
    source = prepare_source(workspace, registry, identified=True)
    printed = json.loads(dumps(headline(source.evaluation)))  # type: ignore[arg-type]
    with tempfile.TemporaryDirectory() as folder:
        out = run_export(registry.exporters["csv"], source, Path(folder) / "export")
        tables = {
            path.stem: list(csv.DictReader(path.open(encoding="utf-8")))
            for path in out.glob("*.csv")
        }
    return printed, tables


def published_cells(printed: dict[str, Any], tables: dict[str, list]) -> Iterator[Published]:
    """Every figure the attacker can read, as (variable, group, n, mean)."""
    for row in printed["groups"] + printed["items"] + printed["programme"]:
        if row["summary"] is None:
            continue
        variable = (row["instrument"], row["measure_kind"], row["measure"], row["occasion"])
        summary = row["summary"]
        yield Published(variable, (row["group_by"], row["group"]), summary["n"], summary["mean"])
    for row in tables["group_results"]:
        if row["n"] == "":
            continue
        variable = (row["instrument"], row["measure_kind"], row["measure"], row["occasion"])
        yield Published(variable, (row["group_by"], row["group"]), int(row["n"]), None)
    for change in printed["changes"]:
        if change["n_pairs"] is None:
            continue
        for occasion, mean in (
            ("pre", change["mean_before"]),
            (change["after"], change["mean_after"]),
        ):
            variable = (change["instrument"], "subscale", change["subscale"], occasion)
            yield Published(variable, ("pairs", change["after"]), change["n_pairs"], mean)
    for row in tables["changes"]:
        if row["n_pairs"] != "":
            for occasion in ("pre", row["after"]):
                variable = (row["instrument"], "subscale", row["subscale"], occasion)
                yield Published(variable, ("pairs", row["after"]), int(row["n_pairs"]), None)
    for row in printed["attendance"]:
        if row["participants"] is not None:
            group = ("all", "all") if row["cohort"] == "all" else ("cohort", row["cohort"])
            yield Published(("attendance", row["module"]), group, row["participants"], None)
    for row in printed["response_rates"]:
        if row["expected"] is not None:
            variable = ("response", row["instrument"], row["occasion"])
            yield Published(variable, ("cohort", row["cohort"]), row["expected"], None)


def membership(workspace: Workspace) -> dict[Group, frozenset[str]]:
    """The attacker's outside knowledge: who is in which cohort and organisation."""
    cohort_of: dict[str, str] = {}
    for cohort in workspace.cohorts:
        for person in (*cohort.participants, *cohort.coaches):
            cohort_of.setdefault(person, cohort.id)
    organisation_of = {p.id: p.organisation for p in workspace.participants}
    organisation_of.update({c.id: c.organisation for c in workspace.coaches})
    organisation_of.update({f.id: f.organisation for f in workspace.facilitators})
    organisation_of.update({o.id: o.id for o in workspace.organisations})
    groups: dict[Group, set[str]] = defaultdict(set)
    for person in organisation_of.keys() | cohort_of.keys():
        groups[("cohort", cohort_of.get(person, "(none)"))].add(person)
        groups[("organisation", organisation_of.get(person, "(none)"))].add(person)
    return {group: frozenset(people) for group, people in groups.items()}


def inside(a: Group, b: Group, members: dict[Group, frozenset[str]]) -> bool:
    """Whether everyone of group ``a`` is, by what the attacker knows, also in group ``b``."""
    if a == b or a == ("all", "all"):
        return False
    if b == ("all", "all"):
        return True
    if a[0] == "pairs" or b[0] == "pairs" or a[0] == b[0]:
        return False
    people = members.get(a)
    return bool(people) and people <= members.get(b, frozenset())  # type: ignore[operator]


def disjoint(a: Group, b: Group, members: dict[Group, frozenset[str]]) -> bool:
    if a == b or "pairs" in (a[0], b[0]) or "all" in (a[0], b[0]):
        return False
    if a[0] == b[0]:
        return True
    return members.get(a, frozenset()).isdisjoint(members.get(b, frozenset()))


def attack(
    cells: list[Published], members: dict[Group, frozenset[str]], k: int
) -> list[tuple[str, Any]]:
    """Return every difference of published cells that covers 1 … k−1 respondents."""
    found: list[tuple[str, Any]] = []
    by_variable: dict[tuple[Any, ...], dict[Group, int]] = defaultdict(dict)
    for cell in cells:
        known = by_variable[cell.variable].get(cell.group)
        assert known in (None, cell.n), f"two published n for {cell}"
        by_variable[cell.variable][cell.group] = cell.n
    for variable, sizes in by_variable.items():
        groups = [g for g, n in sizes.items() if n > 0]
        for outer in groups:
            within = [g for g in groups if inside(g, outer, members)]
            for a in within:  # pairs
                if 0 < sizes[outer] - sizes[a] < k:
                    found.append(("pair", (variable, a, outer)))
            for a, b in combinations(within, 2):  # triples
                if disjoint(a, b, members) and 0 < sizes[outer] - sizes[a] - sizes[b] < k:
                    found.append(("triple", (variable, a, b, outer)))
            for breakdown in {g[0] for g in within}:  # a breakdown's visible groups
                parts = [g for g in within if g[0] == breakdown]
                if 0 < sizes[outer] - sum(sizes[g] for g in parts) < k:
                    found.append(("union", (variable, breakdown, outer)))
    return found


def order_statistics_leaks(printed: dict[str, Any], k: int) -> list[Any]:
    """Cells smaller than 2k that show a median, min, max or distribution."""
    leaks = []
    for row in printed["groups"] + printed["items"] + printed["programme"]:
        s = row["summary"]
        shown = s and (any(s[f] is not None for f in ("median", "min", "max")) or s["distribution"])
        if shown and s["n"] < 2 * k:
            leaks.append(row)
    return leaks


@pytest.fixture(scope="module")
def registry() -> Any:
    return load_registry()


programmes = st.fixed_dictionaries(
    {
        "municipalities_count": st.integers(2, 9),
        "managers_per_municipality": st.integers(1, 7),
        "cohort_size": st.integers(4, 14),
        "seed": st.integers(0, 10_000),
    }
)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(options=programmes, k=st.integers(3, 7))
def test_the_attacker_finds_nothing_in_programmes_with_many_small_groups(
    registry: Any, options: dict[str, int], k: int
) -> None:
    workspace = with_k(m.generate_workspace(**options), k)
    printed, tables = publish(workspace, registry)
    cells = list(published_cells(printed, tables))
    assert attack(cells, membership(workspace), k) == []
    assert order_statistics_leaks(printed, k) == []


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(options=programmes, k=st.integers(3, 7))
def test_attendance_and_response_rates_reveal_no_hidden_cohort(
    registry: Any, options: dict[str, int], k: int
) -> None:
    workspace = with_k(m.generate_workspace(**options), k)
    printed, _ = publish(workspace, registry)
    for row in printed["attendance"] + printed["response_rates"]:
        if row["suppressed"]:
            counts = [row.get(f) for f in ("attended", "participants", "expected", "answered")]
            assert all(c is None for c in counts)


def test_the_attacker_finds_small_groups_when_suppression_is_off(registry: Any) -> None:
    # the negative control: the same programme, published with k = 1 (nothing suppressed)
    workspace = m.generate_workspace(
        municipalities_count=6, managers_per_municipality=3, cohort_size=7, seed=11
    )
    printed, tables = publish(with_k(workspace, 1), registry)
    found = attack(list(published_cells(printed, tables)), membership(workspace), 5)
    assert {kind for kind, _ in found} >= {"pair", "triple"}
    assert order_statistics_leaks(printed, 5)


def test_the_attacker_finds_nothing_in_the_example(registry: Any, example: Path) -> None:
    workspace = m.load_workspace(example)
    printed, tables = publish(workspace, registry)
    k = workspace.manifest.privacy.min_group_size
    assert attack(list(published_cells(printed, tables)), membership(workspace), k) == []

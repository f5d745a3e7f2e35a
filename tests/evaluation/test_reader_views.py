"""One reader's view (an organisation's or a cohort's report) reveals no more than the
programme's publication: every figure it shows is one the full evaluation publishes, with
the same n, so an attacker holding both finds no small group by differencing."""

from __future__ import annotations

from typing import Any

import pytest

import mio_core as m
from mio_core.evaluation import EvaluationView, all_instruments
from mio_core.evaluation.view import _Labels
from mio_core.model import Workspace
from mio_core.plugins.manager import load_registry

from .test_attacker import (
    Published,
    attack,
    membership,
    publish,
    published_cells,
    with_k,
)

K = 5


@pytest.fixture(scope="module")
def registry() -> Any:
    return load_registry()


@pytest.fixture(scope="module")
def county() -> Workspace:
    """The 13 municipalities of Östergötland, 4 managers each: many groups below k."""
    workspace = m.generate_workspace(
        municipalities_count=13, county="05", managers_per_municipality=4, cohort_size=9, seed=3
    )
    return with_k(workspace, K)


def reader_cells(
    view: EvaluationView, workspace: Workspace, registry: Any, reader: tuple[str, str]
) -> tuple[list[Published], int]:
    """The results the reader's view shows, as the attacker reads them (variable, group, n),
    and how many of its result rows are suppressed. Labels are mapped back to ids."""
    lab = _Labels(workspace, view.language, registry)
    instruments = all_instruments(workspace, registry)
    cells, hidden = [], 0
    for instrument in instruments.values():
        try:
            section = view.section(f"instrument-{instrument.id}")
        except KeyError:
            continue
        subscales = {lab.text(s.title) or s.id: s.id for s in instrument.subscales}
        occasions = {lab.occasion(o): o for o in _occasions(workspace, instrument.id)}
        groups = {lab.group("all", "all"): ("all", "all"), lab.group(*reader): reader}
        table = next(t for t in section.tables if t.id == f"results-{instrument.id}")
        for row in table.rows:
            occasion, subscale, group, n = (cell.value for cell in row.cells[:4])
            assert group in groups, f"{group!r} is neither the total nor the reader"
            if row.suppressed:
                hidden += 1
                continue
            variable = (instrument.id, "subscale", subscales[str(subscale)], occasions[occasion])
            assert isinstance(n, int)
            cells.append(Published(variable, groups[str(group)], n, None))
    return cells, hidden


def leaks(published: list[Published], cells: list[Published], members: Any) -> list[Any]:
    """What an attacker holding the programme's publication and a reader's view finds: a
    shown group of 1 … k−1 respondents, or a difference of shown groups covering as few."""
    small = [("small", c) for c in cells if 0 < c.n < K]
    return small + attack(published + cells, members, K)


def _occasions(workspace: Workspace, instrument: str) -> set[str]:
    return {r.occasion for r in workspace.responses if r.instrument == instrument}


def municipalities(workspace: Workspace) -> list[str]:
    return [o.id for o in workspace.organisations if o.kind == "municipality"]


def test_every_municipality_view_shows_only_published_figures_and_leaks_nothing(
    county: Workspace, registry: Any
) -> None:
    printed, tables = publish(county, registry)
    published = list(published_cells(printed, tables))
    known = {(c.variable, c.group, c.n) for c in published}
    result = m.evaluate(county, registry)
    members = membership(county)
    places = municipalities(county)
    assert len(places) == 13
    suppressed = 0
    for organisation in places:
        view = m.build_view(result, county, registry, "en", organisation=organisation)
        cells, hidden = reader_cells(view, county, registry, ("organisation", organisation))
        suppressed += hidden
        assert {(c.variable, c.group, c.n) for c in cells} <= known, organisation
        assert leaks(published, cells, members) == [], organisation
    assert suppressed  # the check saw small groups hidden, not only large ones


def test_a_cohort_view_shows_only_published_figures(county: Workspace, registry: Any) -> None:
    printed, tables = publish(county, registry)
    known = {(c.variable, c.group, c.n) for c in published_cells(printed, tables)}
    result = m.evaluate(county, registry)
    for cohort in county.cohorts:
        view = m.build_view(result, county, registry, "en", cohort=cohort.id)
        cells, _ = reader_cells(view, county, registry, ("cohort", cohort.id))
        assert cells and {(c.variable, c.group, c.n) for c in cells} <= known


def test_a_reader_view_keeps_to_the_reader_s_own_cohorts(county: Workspace, registry: Any) -> None:
    result = m.evaluate(county, registry)
    organisation = municipalities(county)[0]
    view = m.build_view(result, county, registry, "en", organisation=organisation)
    members = {p.id for p in county.participants if p.organisation == organisation}
    theirs = {c.title for c in county.cohorts if members & set(c.participants)}
    shown = {row.cells[0].value for row in view.section("participation").tables[0].rows}
    assert shown and {m.model.text_in(t, "en") for t in theirs} == shown
    assert view.notes[0].startswith("This report is for ")


def test_an_unknown_reader_is_refused_naming_the_known_ones(
    county: Workspace, registry: Any
) -> None:
    result = m.evaluate(county, registry)
    with pytest.raises(ValueError, match=r"no organisation .atlantis.*kommun-0580"):
        m.build_view(result, county, registry, "en", organisation="atlantis")
    with pytest.raises(ValueError, match="no cohort 'c0'"):
        m.build_view(result, county, registry, "en", cohort="c0")
    with pytest.raises(ValueError, match="not both"):
        m.build_view(result, county, registry, "en", organisation="kommun-0580", cohort="x")


@pytest.mark.parametrize(
    "reader",
    [
        {"organisation": "atlantis"},
        {"cohort": "c0"},
        {"organisation": "kommun-0580", "cohort": "x"},
    ],
    ids=["organisation", "cohort", "both"],
)
def test_an_unknown_reader_is_a_mio_error_a_caller_can_show(
    county: Workspace, registry: Any, reader: dict[str, str]
) -> None:
    # a caller who catches MioError (as `mio` does) shows the message, no traceback
    result = m.evaluate(county, registry)
    with pytest.raises(m.MioError):
        m.build_view(result, county, registry, "en", **reader)


def test_a_reader_view_made_without_the_audit_would_leak(county: Workspace, registry: Any) -> None:
    # the negative control: readers' views made with k = 1, held beside the programme's
    # audited publication, let the attacker work out small groups
    printed, tables = publish(county, registry)
    published = list(published_cells(printed, tables))
    open_workspace = with_k(county, 1)
    result = m.evaluate(open_workspace, registry)
    found = []
    for organisation in municipalities(county):
        view = m.build_view(result, open_workspace, registry, "en", organisation=organisation)
        cells, _ = reader_cells(view, open_workspace, registry, ("organisation", organisation))
        found += leaks(published, cells, membership(county))
    assert found

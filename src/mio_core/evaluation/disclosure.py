"""Disclosure control over every published figure: cells, primary and secondary suppression.

Every figure that leaves :func:`mio_core.evaluate` is a *cell*: a set of figures (n, mean,
sd, counts …) computed over a set of respondents. A cell has one or more *facets*, each a
respondent set within a *family*: the figures of one variable, e.g. (instrument, subscale,
occasion). Two facets of the same family whose respondent sets are nested, A ⊂ B, publish
n_B·mean_B − n_A·mean_A = the sum over B ∖ A: if B ∖ A holds 1 … k−1 respondents, a small
group's total is revealed. The same holds for a cell minus the disjoint union of smaller
cells inside it (a total minus the visible groups of a breakdown; a cohort minus the
organisations wholly inside it; an occasion total minus two groups).

:func:`audit` suppresses cells until no such difference exists among the visible ones:

1. primary: every cell with a facet of 1 … k−1 respondents;
2. secondary, repeated until nothing changes: for every visible facet B and the visible
   facets inside it, (a) one facet A ⊂ B, (b) two disjoint facets A₁, A₂ ⊂ B, (c) all the
   facets of one breakdown (a partition) inside B — when what is left of B has 1 … k−1
   respondents, the cell with the smallest loss among those involved is suppressed.

Loss is the cell's number of respondents (ties: detail cells before totals, then the
key's ``repr``), so a small cell goes before a large one. A suppressed cell publishes nothing — no
n, no figures — and so reveals nothing. Differences of cells that overlap without being
nested, and linear combinations of four or more cells, are not audited: see
docs/privacy.md for what that leaves to an attacker.

Cells are compared only within a family, so cells that share no family (not even through a
cell with facets in two) are audited apart with the same result as together, as long as
each part keeps the cells' order and keys: :func:`mio_core.evaluate` audits the group cells
by such parts to hold less at once (a test holds the parts to the whole).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Sequence
from typing import NamedTuple

import attrs

PRIMARY = "primary"
SECONDARY = "secondary"

#: Order statistics (median, min, max) and answer-option counts are shown only for groups
#: of at least this many times the minimum group size.
ORDER_STATISTICS_FACTOR = 2


def order_statistics_minimum(min_group_size: int) -> int:
    """Return the smallest group for which median, min, max and distributions are shown."""
    return ORDER_STATISTICS_FACTOR * min_group_size


@attrs.frozen(kw_only=True)
class Facet:
    """One respondent set of a cell, within a family of comparable figures.

    ``breakdown`` names the partition the facet belongs to (``cohort``, ``organisation``
    …), so that the union of a breakdown's groups inside a larger facet is audited; None
    for facets that are not part of a partition (totals, paired-change sets).
    """

    family: Hashable
    members: frozenset[Hashable]
    breakdown: Hashable | None = None


@attrs.frozen(kw_only=True)
class Cell:
    """A published cell: its key (how the caller finds it again) and its facets."""

    key: Hashable
    facets: tuple[Facet, ...]
    total: bool = False  # a total is suppressed after the detail cells of the same loss

    @property
    def size(self) -> int:
        """The largest number of respondents over the cell's facets."""
        return max((len(f.members) for f in self.facets), default=0)


class _Entry(NamedTuple):
    # a facet in its family: a tuple, made once per facet (~105,000 at national size)
    cell: int
    members: frozenset[Hashable]
    breakdown: Hashable | None


def audit(cells: Sequence[Cell], min_group_size: int) -> dict[Hashable, str]:
    """Return the keys of the cells to suppress, each with why (primary or secondary).

    With ``min_group_size`` ≤ 1 nothing is suppressed.
    """
    k = min_group_size
    hidden: dict[int, str] = {}
    if k <= 1:
        return {}
    families: dict[Hashable, list[_Entry]] = defaultdict(list)
    for index, cell in enumerate(cells):
        for facet in cell.facets:
            members = facet.members
            if members:
                if len(members) < k:  # primary (cells in order, as one pass of their own)
                    hidden[index] = PRIMARY
                families[facet.family].append(_Entry(index, members, facet.breakdown))
    # Families of one variable (the subscales of an instrument on one occasion) often have
    # the very same respondent sets: their containment is computed once.
    known: dict[tuple[frozenset[Hashable], ...], dict[int, list[int]]] = {}
    inside = {}
    # ... and, with the same breakdowns too, the same differences: while none of a
    # family's cells is hidden, whether a set reveals a difference is what it was in the
    # first such family (``_violation`` looks only at the sets, their sizes and
    # breakdowns), so a set found to reveal nothing is not looked at again
    shape_of: dict[Hashable, tuple[Hashable, ...]] = {}
    for family, entries in families.items():
        signature = tuple(entry.members for entry in entries)
        if signature not in known:
            known[signature] = _containment(entries)
        inside[family] = known[signature]
        shape_of[family] = (signature, *(entry.breakdown for entry in entries))
    reveals_nothing: dict[tuple[Hashable, ...], set[int]] = defaultdict(set)

    def loss(index: int) -> tuple[int, int, str]:
        cell = cells[index]
        return (cell.size, int(cell.total), repr(cell.key))

    changed = True
    while changed:
        changed = False
        for family, entries in families.items():
            safe = reveals_nothing[shape_of[family]]
            clean = not any(entry.cell in hidden for entry in entries)
            for b, contained in inside[family].items():
                if clean and b in safe:
                    continue
                outer = entries[b]
                if outer.cell in hidden:
                    continue
                visible = [entries[a] for a in contained if entries[a].cell not in hidden]
                involved = _violation(outer, visible, k)
                if involved:
                    victim = min({outer.cell, *involved}, key=loss)
                    hidden[victim] = SECONDARY
                    changed = True
                    clean = False
                elif clean:
                    safe.add(b)
    return {cells[index].key: why for index, why in hidden.items()}


def _containment(entries: Sequence[_Entry]) -> dict[int, list[int]]:
    """Return, for each entry, the entries whose respondent sets are strictly inside it."""
    # every set holding A holds each of A's members: look only among those holding one,
    # its first (its representative); only representatives are indexed, found by a set
    # intersection (in C) rather than by a loop over every member of every set
    firsts = [next(iter(entry.members)) for entry in entries]
    representatives = frozenset(firsts)
    by_member: dict[Hashable, list[int]] = defaultdict(list)
    for index, entry in enumerate(entries):
        for member in entry.members & representatives:
            by_member[member].append(index)
    inside: dict[int, list[int]] = defaultdict(list)
    for a, entry in enumerate(entries):
        members = entry.members
        size = len(members)
        for b in by_member[firsts[a]]:
            other = entries[b].members
            if len(other) > size and members < other:
                inside[b].append(a)
    return inside


def _violation(outer: _Entry, visible: Sequence[_Entry], k: int) -> list[int]:
    """Return the cells (besides ``outer``'s) of a revealing difference, or [] if none."""
    size = len(outer.members)
    for entry in visible:  # (a) one set inside another
        if 0 < size - len(entry.members) < k:
            return [entry.cell]
    by_breakdown: dict[Hashable, list[_Entry]] = defaultdict(list)
    for entry in visible:
        if entry.breakdown is not None:
            by_breakdown[entry.breakdown].append(entry)
    for group in by_breakdown.values():  # (c) a breakdown's groups inside a larger set
        left = size - sum(len(e.members) for e in group)
        if 0 < left < k and len(group) > 1:
            return [e.cell for e in group]
    # (b) two disjoint sets inside a larger one: sizes that sum to size-k+1 … size-1
    ordered = sorted(visible, key=lambda e: len(e.members))
    sizes = [len(e.members) for e in ordered]
    for i, first in enumerate(ordered):
        for j in range(len(ordered) - 1, i, -1):
            total = sizes[i] + sizes[j]
            if total >= size:
                continue
            if total <= size - k:
                break
            second = ordered[j]
            if first.members.isdisjoint(second.members):
                return [first.cell, second.cell]
    return []

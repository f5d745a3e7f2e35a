"""Choice items: how many respondents chose each option, per occasion, overall and by group.

A choice or multi-choice item never enters a score; what is published of it is counts. Each
group's count of respondents who answered the item, and each option's count in it, is a
cell of the one disclosure audit (:mod:`.disclosure`), audited with every other figure of
the evaluation:

- an option's counts across the groups are one family (the count for everyone minus a
  cohort's count is audited like any total minus a group);
- a group's total and its option counts are another family: the option counts of a
  ``choice`` item partition the total (one option each), so the total minus the visible
  options is audited as a breakdown; those of a ``multi-choice`` item are audited as sets
  inside the total.

Counts per option are published only for groups of at least the order-statistics minimum
(2k), as the distributions of scale items are; a group whose total is suppressed shows no
option counts. A suppressed count publishes nothing (no count, no share).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping

import attrs

from ..model import Instrument, ItemKind, Workspace, choice_codes, occasion_module
from .disclosure import Cell, Facet, order_statistics_minimum
from .groups import ALL, BREAKDOWNS, NO_GROUP, respondent_groups
from .results import ChoiceResult, OptionCount


@attrs.frozen(kw_only=True)
class ChoiceCells:
    """One group's answers to one choice item before disclosure control: who answered and,
    per option, who chose it."""

    result: ChoiceResult
    answered: frozenset[str]
    chosen: tuple[tuple[str, frozenset[str]], ...]

    def cells(self, key: Hashable) -> list[Cell]:
        """The cells the auditor checks: the total (key ``(key, None)``) and each option
        (key ``(key, code)``) whose count would be published."""
        r = self.result
        variable = (r.instrument, "choice", r.item, r.occasion)
        breakdown = None if r.group_by == ALL else r.group_by
        group = (*variable, "group", r.group_by, r.group)
        cells = [
            Cell(
                key=(key, None),
                facets=(
                    Facet(family=(*variable, "total"), members=self.answered, breakdown=breakdown),
                    Facet(family=group, members=self.answered),
                ),
                total=r.group_by == ALL,
            )
        ]
        partition = "option" if not r.multiple else None
        for code, members in self.chosen:
            cells.append(
                Cell(
                    key=(key, code),
                    facets=(
                        Facet(
                            family=(*variable, "option", code), members=members, breakdown=breakdown
                        ),
                        Facet(family=group, members=members, breakdown=partition),
                    ),
                    total=r.group_by == ALL,
                )
            )
        return cells

    def published(self, hidden: Mapping[Hashable, str], key: Hashable) -> ChoiceResult:
        """Return the result as published given the audit's ``hidden`` cells."""
        why = hidden.get((key, None))
        if why is not None:
            return attrs.evolve(self.result, n=None, suppressed=why)
        n = len(self.answered)
        counts = []
        for code, members in self.chosen:
            hidden_why = hidden.get((key, code))
            if hidden_why is not None:
                counts.append(OptionCount(option=code, suppressed=hidden_why))
            else:
                counts.append(OptionCount(option=code, count=len(members), share=len(members) / n))
        return attrs.evolve(self.result, n=n, counts=tuple(counts))


def choice_cells(workspace: Workspace, instruments: Mapping[str, Instrument]) -> list[ChoiceCells]:
    """Return every choice item's group cells per occasion, overall and by group, before
    disclosure control. An answer naming an unknown option, or several options of a
    ``choice`` item, is left out (``mio validate`` reports it)."""
    minimum = order_statistics_minimum(workspace.manifest.privacy.min_group_size)
    groups = respondent_groups(workspace)
    # each instrument's choice items with their option codes, found once: most instruments
    # have none, and then a response costs one dictionary look-up
    questions: dict[str, tuple[tuple[str, frozenset[str], bool], ...]] = {
        instrument_id: tuple(
            (
                item.id,
                frozenset(option.code for option in item.options),
                item.kind is ItemKind.CHOICE,
            )
            for item in instrument.items
            if item.kind in (ItemKind.CHOICE, ItemKind.MULTI_CHOICE)
        )
        for instrument_id, instrument in instruments.items()
    }
    answers: dict[tuple[str, str, str], dict[str, frozenset[str]]] = defaultdict(dict)
    for response in workspace.responses:
        asked = questions.get(response.instrument)
        if not asked:
            continue
        instrument_id = instruments[response.instrument].id
        for item_id, known, single in asked:
            codes = choice_codes(response.answers.get(item_id))
            if not codes or not known.issuperset(codes) or (single and len(codes) > 1):
                continue
            key = (instrument_id, response.occasion, item_id)
            answers[key][response.respondent] = frozenset(codes)
    found: list[ChoiceCells] = []
    for (instrument_id, occasion, item_id), by_respondent in sorted(answers.items()):
        question = instruments[instrument_id].item(item_id)
        assert question is not None
        partitions: list[tuple[str, str, dict[str, frozenset[str]]]] = [(ALL, ALL, by_respondent)]
        for breakdown in BREAKDOWNS:
            by_group: dict[str, dict[str, frozenset[str]]] = defaultdict(dict)
            for respondent, picked in by_respondent.items():
                by_group[groups[breakdown].get(respondent, NO_GROUP)][respondent] = picked
            partitions += [(breakdown, g, values) for g, values in sorted(by_group.items())]
        for by, group, values in partitions:
            answered = frozenset(values)
            chosen: tuple[tuple[str, frozenset[str]], ...] = ()
            if len(answered) >= minimum:
                chosen = tuple(
                    (
                        option.code,
                        frozenset(r for r, codes in values.items() if option.code in codes),
                    )
                    for option in question.options
                )
            found.append(
                ChoiceCells(
                    result=ChoiceResult(
                        instrument=instrument_id,
                        occasion=occasion,
                        module=occasion_module(occasion),
                        item=item_id,
                        multiple=question.kind is ItemKind.MULTI_CHOICE,
                        group_by=by,
                        group=group,
                        n=None,
                    ),
                    answered=answered,
                    chosen=chosen,
                )
            )
    return found


def audit_cells(found: Iterable[ChoiceCells]) -> list[Cell]:
    """Return the cells of every choice result, keyed ``(("choice", i), option or None)``."""
    return [cell for i, c in enumerate(found) for cell in c.cells(("choice", i))]

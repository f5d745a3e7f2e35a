"""The headline results for tools (``mio evaluate --format json``): aggregates only.

A stable schema of its own, the published result records as they are (every field, None
included); what people read is the evaluation view (:mod:`.view`).
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

import attrs

from .coaching import coaching_summary
from .results import EvaluationResult

#: The types attrs.asdict gives back as they are.
_ATOMIC = frozenset({type(None), bool, int, float, str, complex, bytes})

#: Each attrs class's field names and a getter of their values, found once.
_FIELDS: dict[type, tuple[tuple[str, ...], Callable[[Any], tuple[Any, ...]]]] = {}


def _plain(value: Any) -> dict[str, Any]:
    """Return ``attrs.asdict(value)``: every field, None included, so that tools see the same
    keys in every row; the fields looked up once per class and read by one getter (a
    national programme has over 100,000 rows)."""
    kind = type(value)
    found = _FIELDS.get(kind)
    if found is None:
        names = tuple(field.name for field in attrs.fields(kind))
        getter = operator.attrgetter(*names) if len(names) > 1 else _one(names)
        found = _FIELDS[kind] = (names, getter)
    names, getter = found
    values = getter(value)
    plain = dict(zip(names, values, strict=True))
    if not _ATOMIC.issuperset(map(type, values)):
        for name, field in plain.items():
            if type(field) not in _ATOMIC:
                plain[name] = _plain_value(field, True)
    return plain


def _one(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    # attrgetter of one name gives the value, not a tuple
    return lambda value: tuple(getattr(value, name) for name in names)


def _plain_value(value: Any, is_field: bool) -> Any:
    # as attrs.asdict takes a value apart: attrs values become dicts, collections keep their
    # type (a named tuple, as a field, is made from its items if it takes no list)
    kind = type(value)
    if kind in _ATOMIC:
        return value
    if kind is tuple:  # immutable: one of plain values is given as it is (asdict: a copy)
        if _ATOMIC.issuperset(map(type, value)):
            return value
        return tuple([_plain_value(item, False) for item in value])
    if attrs.has(kind):
        return _plain(value)
    if issubclass(kind, tuple | list | set | frozenset):
        items = [_plain_value(item, False) for item in value]
        try:
            return kind(items)
        except TypeError:
            if not (is_field and issubclass(kind, tuple)):
                raise
            return kind(*items)
    if issubclass(kind, dict):
        return {_plain_value(k, False): _plain_value(v, False) for k, v in value.items()}
    return value


def headline(result: EvaluationResult) -> dict[str, Any]:
    """Return the headline results as plain values (what ``mio evaluate --format json`` prints).

    Per-respondent scores and per-participant coaching are left out; every group below the
    minimum group size is marked suppressed and has no figures.
    """
    participation = result.participation
    return {
        "min_group_size": result.min_group_size,
        "groups": [_plain(g) for g in result.groups if g.measure_kind == "subscale"],
        "items": [_plain(g) for g in result.groups if g.measure_kind == "item"],
        "reliability": [_plain(r) for r in result.reliability],
        "changes": [_plain(c) for c in result.changes],
        "response_rates": [{**_plain(r), "rate": r.rate} for r in result.response_rates],
        "attendance": [{**_plain(a), "rate": a.rate} for a in result.attendance],
        "choices": [_plain(c) for c in result.choices],
        "coaching": _plain(coaching_summary(result)),
        "programme": [_plain(g) for g in result.programme],
        "projects_by_stage": {c.category: c.count for c in participation.projects_by_stage},
        "projects_by_facet": {c.category: c.count for c in participation.projects_by_facet},
        "outcomes_by_level": {c.category: c.count for c in participation.outcomes_by_level},
        "goal_indicators": [{**_plain(g), "met": g.met} for g in result.goal_indicators],
        "participant_hours": [
            {**_plain(h), "total_hours": h.total_hours} for h in result.participant_hours
        ],
        "analyses": [
            {
                "name": a.name,
                "title": a.title,
                "plugin": a.plugin,
                "note": a.note,
                "figures": [
                    {"label": f.label, "value": f.value, "suppressed": f.suppressed}
                    for f in a.figures
                ],
            }
            for a in result.analyses.values()
        ],
    }

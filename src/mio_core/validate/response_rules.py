"""Rules over answers: known instrument, occasion, respondent and items; values on the scale,
options of the item or text."""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

from ..io import layout
from ..io.workspace import response_key
from ..model import (
    Answer,
    Instrument,
    Item,
    ItemKind,
    Respondent,
    Response,
    Workspace,
    answer_text,
    choice_codes,
    occasion_module,
)
from ..model.instrument import CHOICE_KINDS, CHOICE_SEPARATOR
from ..plugins.interfaces import RuleContext
from ..problems import Problem, Severity


@functools.lru_cache(maxsize=256)
def _accepted(instrument: Instrument) -> dict[str, frozenset[float]]:
    """Per item, every value that is certainly fine: its scale's whole numbers and codes."""
    accepted = {}
    for item in instrument.items:
        scale = instrument.scale_of(item)
        values: set[float] = set()
        if scale is not None:
            values.update(range(scale.min, scale.max + 1))
            values.update(label.value for label in scale.missing)
        accepted[item.id] = frozenset(values)
    return accepted


def _fine_pairs(accepted: dict[str, frozenset[float]]) -> frozenset[tuple[str, object]]:
    """Every (item, value) that is certainly fine, no answer (None) included: an answer
    sheet whose items are all among them needs no look at each answer."""
    return frozenset(
        (item_id, value) for item_id, values in accepted.items() for value in (None, *values)
    )


def responses(workspace: Workspace, context: RuleContext) -> Iterator[Problem]:
    """Every answer belongs to a known instrument, occasion, respondent and item, on its scale."""
    respondents = {
        Respondent.PARTICIPANT: {p.id for p in workspace.participants},
        Respondent.COACH: {c.id for c in workspace.coaches},
        Respondent.FACILITATOR: {f.id for f in workspace.facilitators},
        Respondent.ORGANISATION: {o.id for o in workspace.organisations},
    }
    modules = {m.id for m in workspace.concept.modules}
    keys = [response_key(r) for r in workspace.responses]
    counts = Counter(keys)
    reported_duplicates: set[str] = set()
    # Each (instrument, occasion) is judged once: the problem of its file, reported with
    # the first answer sheet that has it, and whether its answers are checked at all.
    files: dict[tuple[str, str], bool] = {}
    # Per instrument: its accepted values, the pairs a sheet needs no look at, its respondents.
    plans: dict[str, tuple[dict[str, frozenset[float]], frozenset[Any], Respondent]] = {}
    for response, key in zip(workspace.responses, keys, strict=True):
        file_key = (response.instrument, response.occasion)
        checked = files.get(file_key)
        if checked is None:
            problems = list(_file_problems(workspace, context, modules, response, key))
            checked = files[file_key] = response.instrument in context.instruments
            yield from problems
        if not checked:
            continue
        instrument = context.instruments[response.instrument]
        plan = plans.get(instrument.id)
        if plan is None:
            accepted = _accepted(instrument)
            plan = plans[instrument.id] = (
                accepted,
                _fine_pairs(accepted),
                Respondent(instrument.target),
            )
        accepted, fine, target = plan
        if counts[key] > 1 and key not in reported_duplicates:
            reported_duplicates.add(key)
            yield context.problem(
                "response",
                key,
                ("respondent",),
                "duplicate-response",
                f"{response.respondent!r} answered {counts[key]} times on this occasion: keep "
                "one response and delete the others (in the survey tool, then export again, "
                "or their rows in the file)",
            )
        if response.respondent not in respondents[target]:
            yield context.problem(
                "response",
                key,
                ("respondent",),
                "unknown-respondent",
                f"{response.respondent!r} is not a {target.value} in the workspace",
                ref=(target.value, response.respondent),
            )
        if response.answers.items() <= fine:
            continue  # the common case: every answer on its scale, or none given
        yield from _answer_problems(
            instrument, accepted, response, partial(context.problem, "response", key)
        )


def _file_problems(
    workspace: Workspace,
    context: RuleContext,
    modules: set[str],
    response: Response,
    key: str,
) -> Iterator[Problem]:
    """The problem of a whole responses file, named by its first answer sheet: an unknown
    instrument, or an occasion the concept does not allow."""
    instrument = context.instruments.get(response.instrument)
    if instrument is None:
        yield context.problem(
            "response",
            key,
            (),
            "unknown-instrument",
            f"no instrument {response.instrument!r} in instruments/ or from a plugin",
            ref=("instrument", response.instrument),
        )
        return
    module = occasion_module(response.occasion)
    if module is not None and module not in modules:
        yield context.problem(
            "response",
            key,
            (),
            "unknown-module",
            f"the occasion {response.occasion!r} names no module of the concept",
        )
    elif not workspace.concept.allows(instrument, response.occasion):
        yield context.problem(
            "response",
            key,
            (),
            "occasion-not-allowed",
            f"the instrument {instrument.id!r} is not made for the occasion "
            f"{response.occasion!r}, and the concept's evaluation plan does not "
            "declare it",
        )


def _answer_problems(
    instrument: Instrument,
    accepted: dict[str, frozenset[float]],
    response: Response,
    problem: Callable[..., Problem],
) -> Iterator[Problem]:
    """The problems of one answer sheet's answers: unknown items, values off the scale,
    text where a number belongs, choices that are no option."""
    for item_id, value in response.answers.items():
        if item_id not in accepted:
            yield problem(
                (item_id,),
                "unknown-item",
                f"the instrument {instrument.id!r} has no item {item_id!r}",
            )
            continue
        if value is None or value in accepted[item_id]:
            continue
        item = instrument.item(item_id)
        if item is not None and item.kind is not ItemKind.SCALE:
            yield from _choice_problems(item, value, problem)
            continue
        if isinstance(value, str):
            yield problem((item_id,), "not-a-number", f"{item_id}: {value!r} is not a number")
            continue
        scale = instrument.scale_of(item) if item is not None else None
        if scale is None or scale.is_missing_code(value):
            continue
        if value != int(value) or not scale.min <= value <= scale.max:
            codes = ", ".join(str(label.value) for label in scale.missing)
            extra = f" or a missing code ({codes})" if codes else ""
            yield problem(
                (item_id,),
                "off-scale",
                f"{item_id}: {value:g} is not on the scale: a whole number from "
                f"{scale.min} to {scale.max}{extra}",
            )


def _choice_problems(
    item: Item, value: Answer, problem: Callable[..., Problem]
) -> Iterator[Problem]:
    """The problems of an answer to a text or choice item: a text item takes any text; a
    choice item one of its option codes, a multi-choice item any of them, each once."""
    if item.kind not in CHOICE_KINDS:
        return
    codes = choice_codes(value)
    known = ", ".join(option.code for option in item.options)
    unknown = [code for code in codes if item.option(code) is None]
    multi = item.kind is ItemKind.MULTI_CHOICE
    separated = f", separated by {CHOICE_SEPARATOR!r}" if multi else ""
    if unknown:
        yield problem(
            (item.id,),
            "not-an-option",
            f"{item.id}: {', '.join(map(repr, unknown))} is not an option; the options are "
            f"{known}{separated}",
        )
    elif item.kind is ItemKind.CHOICE and len(codes) > 1:
        yield problem(
            (item.id,),
            "one-option",
            f"{item.id}: {answer_text(value)!r} chooses {len(codes)} options; the item takes one",
        )
    elif len(set(codes)) < len(codes):
        yield problem(
            (item.id,),
            "repeated-option",
            f"{item.id}: {answer_text(value)!r} names an option twice",
        )


def instruments(workspace: Workspace, context: RuleContext) -> Iterator[Problem]:
    """The workspace's own instruments are consistent: items, scales and subscales agree."""
    for instrument in workspace.instruments:
        problem = partial(context.problem, "instrument", instrument.id)
        if layout.is_device_name(instrument.id):
            yield problem(
                ("id",),
                "device-name",
                f"{instrument.id!r} is a device name on Windows, where the files named after "
                f"the instrument (instruments/{instrument.id}.yaml, its responses files "
                f"responses/{instrument.id}.<occasion>.csv) cannot be made or opened: give the "
                "instrument another id",
                severity=Severity.WARNING,
            )

        item_ids = [item.id for item in instrument.items]
        for item_id, count in Counter(item_ids).items():
            if count > 1:
                yield problem(
                    ("items", item_ids.index(item_id), "id"),
                    "duplicate-id",
                    f"the item id {item_id!r} is used {count} times",
                )
        scale_ids = {scale.id for scale in instrument.scales}
        for index, item in enumerate(instrument.items):
            if item.scale is not None and item.scale not in scale_ids:
                yield problem(
                    ("items", index, "scale"),
                    "unknown-reference",
                    f"the instrument has no scale {item.scale!r}",
                )
            if item.id in ("respondent", "date"):
                yield problem(
                    ("items", index, "id"),
                    "reserved-id",
                    f"{item.id!r} is a column of every responses file; rename the item",
                )
        subscale_ids = [subscale.id for subscale in instrument.subscales]
        for subscale_id, count in Counter(subscale_ids).items():
            if count > 1:
                yield problem(
                    ("subscales", subscale_ids.index(subscale_id), "id"),
                    "duplicate-id",
                    f"the subscale id {subscale_id!r} is used {count} times",
                )
        kinds = {item.id: item.kind for item in instrument.items}
        for index, subscale in enumerate(instrument.subscales):
            for item_index, item_id in enumerate(subscale.items):
                if item_id not in item_ids:
                    yield problem(
                        ("subscales", index, "items", item_index),
                        "unknown-reference",
                        f"the instrument has no item {item_id!r}",
                    )
                elif kinds[item_id] is not ItemKind.SCALE:
                    yield problem(
                        ("subscales", index, "items", item_index),
                        "not-a-scale-item",
                        f"{item_id!r} is a {kinds[item_id].value} item; only scale items "
                        "are scored",
                    )

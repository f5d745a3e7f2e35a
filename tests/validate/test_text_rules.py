"""The control-character rule's fast path finds exactly what the walk with paths finds."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from typing import Any, cast

import attrs
from hypothesis import assume, event, given, settings
from hypothesis import strategies as st

from mio_core.io.read import response_key
from mio_core.model import Response, Workspace
from mio_core.model.common import SLUG_PATTERN
from mio_core.plugins.interfaces import RuleContext
from mio_core.problems import Severity
from mio_core.textsafety import has_control_characters
from mio_core.validate.text_rules import (
    Path,
    _all_strings,
    _describe,
    _none_has_control,
    _text_answers,
    _texts,
    control_characters,
)

from ..strategies import workspaces, workspaces_answering_their_instruments


def _entities(workspace: Workspace) -> list[object]:
    return [
        workspace.manifest,
        workspace.concept,
        *workspace.organisations,
        *workspace.participants,
        *workspace.coaches,
        *workspace.facilitators,
        *workspace.cohorts,
        *workspace.engagements,
        *workspace.projects,
        *workspace.instruments,
    ]


@settings(max_examples=50, deadline=None)
@given(workspaces())
def test_all_strings_are_the_walks_texts_but_ids_and_vocabulary_values(
    workspace: Workspace,
) -> None:
    entities = _entities(workspace)
    walked = Counter(text for entity in entities for _, text in _texts(entity, ()))
    found = Counter(_all_strings(entities))
    assert not found - walked
    # what is left out is ids and values of closed vocabularies (all of them id-like too)
    assert all(SLUG_PATTERN.fullmatch(text) for text in walked - found), walked - found


@given(
    st.lists(
        st.dictionaries(
            st.text(max_size=3),
            st.none() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
            max_size=4,
        ),
        max_size=5,
    )
)
def test_all_strings_of_answer_sheets_are_their_text_answers(
    sheets: list[dict[str, object]],
) -> None:
    texts = [value for sheet in sheets for value in sheet.values() if isinstance(value, str)]
    assert sorted(_all_strings(list(sheets))) == sorted(texts)


@given(st.lists(st.text(max_size=8), max_size=6))
def test_joined_search_agrees_with_searching_each_text(texts: list[str]) -> None:
    assert _none_has_control(texts) == (not any(has_control_characters(t) for t in texts))


@given(workspaces(), st.sampled_from(["\u202e", "\x07", "\x1b", "\u2066"]))
@settings(max_examples=30, deadline=None)
def test_a_control_character_in_any_participant_name_is_found(
    workspace: Workspace, control: str
) -> None:
    assume(workspace.participants)
    first = workspace.participants[0]
    named = attrs.evolve(first, name=first.name + control)
    entities = [named, *_entities(workspace)]
    assert not _none_has_control(_all_strings(entities))


def test_no_control_character_is_printable() -> None:
    """The search takes text that ``str.isprintable`` passes as holding none."""
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    controls = [c for c in every if has_control_characters(c)]
    assert controls and not any(c.isprintable() for c in controls)


# --- the rule against a plain reference, with control characters put anywhere ---------------


class _Recorder:
    """Stands for the rule's context: a problem is what the rule said of it."""

    def problem(
        self,
        kind: str,
        entity_id: str,
        path: tuple[str | int, ...],
        code: str,
        message: str,
        *,
        severity: Severity,
    ) -> tuple[object, ...]:
        return (kind, entity_id, path, code, message, severity)


def _entity_groups(workspace: Workspace) -> list[tuple[str, tuple[Any, ...]]]:
    return [
        ("manifest", (workspace.manifest,)),
        ("concept", (workspace.concept,)),
        ("organisation", workspace.organisations),
        ("participant", workspace.participants),
        ("coach", workspace.coaches),
        ("facilitator", workspace.facilitators),
        ("cohort", workspace.cohorts),
        ("engagement", workspace.engagements),
        ("project", workspace.projects),
        ("instrument", workspace.instruments),
    ]


def _reference(workspace: Workspace) -> list[tuple[object, ...]]:
    """What the rule reports, found plainly: every text of every field of every entity,
    walked with its path, then every answer that is text."""
    found: list[tuple[object, ...]] = []
    for kind, values in _entity_groups(workspace):
        for value in values:
            entity_id = "" if kind == "manifest" else value.id
            for path, text in _texts(value, ()):
                if has_control_characters(text):
                    message = (
                        "the text holds invisible control or bidirectional-override characters "
                        f"({_describe(text)}); exports show them as \\uXXXX — remove them"
                    )
                    found.append((kind, entity_id, path, "control-character", message))
    for response in workspace.responses:
        for item, answer in response.answers.items():
            if isinstance(answer, str) and has_control_characters(answer):
                message = (
                    "the answer holds invisible control or bidirectional-override characters "
                    f"({_describe(answer)}); exports show them as \\uXXXX — remove them"
                )
                key = response_key(response)
                found.append(("response", key, (item,), "control-character", message))
    return [(*problem, Severity.WARNING) for problem in found]


def _leaves(value: object, path: tuple[Any, ...], field: str) -> Iterator[tuple[str, Path]]:
    """Yield (the attrs field it stands in, path) for every value inside ``value`` that is
    no container, and for every empty tuple or mapping: where text can be put."""
    if isinstance(value, str):
        yield field, path
    elif isinstance(value, Mapping):
        if not value:
            yield field, path
        for key, item in value.items():
            yield from _leaves(item, (*path, key), field)
    elif isinstance(value, tuple):
        if not value:
            yield field, path
        for index, item in enumerate(value):
            yield from _leaves(item, (*path, index), field)
    elif attrs.has(type(value)):
        for attribute in attrs.fields(type(value)):
            if attribute.name != "origin":
                name = f"{type(value).__name__}.{attribute.name}"
                yield from _leaves(getattr(value, attribute.name), (*path, attribute.name), name)
    else:
        yield field, path


def _get(value: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        value = getattr(value, step) if attrs.has(type(value)) else value[step]
    return value


def _replaced(value: Any, path: tuple[Any, ...], new: object) -> Any:
    """``value`` with what stands at ``path`` replaced by ``new``, every attrs value on the
    way made again with ``attrs.evolve``: its converters and validators run, as they do for
    any value a reader, a plugin or a Python caller makes."""
    if not path:
        return new
    step, rest = path[0], path[1:]
    if attrs.has(type(value)):
        return attrs.evolve(value, **{step: _replaced(getattr(value, step), rest, new)})
    if isinstance(value, tuple):
        return (*value[:step], _replaced(value[step], rest, new), *value[step + 1 :])
    return {**value, step: _replaced(value[step], rest, new)}


_CONTROLS = st.sampled_from(["\x00", "\x07", "\x1b", "\x85", "\u2028", "\u202e", "\u2066"])


def _with_control(workspace: Workspace, path: Path, data: st.DataObject) -> Workspace:
    """``workspace`` with a control character put into what stands at ``path`` (into its
    text, or as text in place of another value or an empty list); raises as the model
    does when the field cannot hold it."""
    control = data.draw(_CONTROLS)
    old = _get(workspace, path)
    if isinstance(old, str):
        at = data.draw(st.integers(0, len(old)))
        new: object = old[:at] + control + old[at:]
    elif old == ():
        new = (f"x{control}",)
    elif isinstance(old, Mapping) and not old:
        new = {"x": f"x{control}"}
    else:
        new = f"x{control}"
    made: Workspace = _replaced(workspace, path, new)
    return made


@settings(max_examples=60, deadline=None)
@given(workspaces_answering_their_instruments(), st.data())
def test_the_rule_reports_what_walking_every_field_finds(
    workspace: Workspace, data: st.DataObject
) -> None:
    """A control character is put into each field of the workspace in turn, ids and
    vocabulary values among them, and then into all those at once: where the model lets a
    field hold one, the rule must find it, wherever the rule's search skips."""
    places: dict[str, list[Path]] = {}
    for field, path in _leaves(workspace, (), "Workspace"):
        places.setdefault(field, []).append(path)
    everywhere = workspace
    for field in sorted(places):
        path = data.draw(st.sampled_from(places[field]))
        try:
            changed = _with_control(workspace, path, data)
            everywhere = _with_control(everywhere, path, data)
        except (ValueError, TypeError, AttributeError):
            continue  # the model keeps such text out of this field
        event(f"put: {field}")
        found, expected = _rule_and_reference(changed)
        assert found == expected, field
    found, expected = _rule_and_reference(everywhere)
    assert found == expected


def _rule_and_reference(workspace: Workspace) -> tuple[object, object]:
    context = cast(RuleContext, _Recorder())
    found = _outcome(lambda: list(control_characters(workspace, context)))
    return found, _outcome(lambda: _reference(workspace))


def _outcome(run: Callable[[], list[tuple[object, ...]]]) -> object:
    """What ``run`` returned, or the class of what it raised: text put where an entity
    belongs (a workspace's coaches ``("x\\x07",)``) fails the rule, as it fails the walk."""
    try:
        return run()
    except Exception as exc:  # the failure is compared
        return type(exc)


@given(
    st.lists(
        st.dictionaries(
            st.text(max_size=3),
            st.none() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
            max_size=4,
        ),
        max_size=5,
    ),
    st.booleans(),
)
def test_text_answers_are_the_answers_that_are_text_in_order(
    sheets: list[dict[str, object]], plain_dict: bool
) -> None:
    responses = [
        Response(respondent="r", instrument="i", occasion="pre", answers=sheet) for sheet in sheets
    ]
    if plain_dict and responses:  # a mapping the model does not make: the other way
        object.__setattr__(responses[-1], "answers", dict(sheets[-1]))
    expected = [answer for sheet in sheets for answer in sheet.values() if isinstance(answer, str)]
    assert _text_answers(responses) == expected


def test_a_class_whose_validator_cannot_be_hashed_is_searched() -> None:
    @attrs.define
    class Unhashable:  # attrs makes a class with eq no __hash__
        def __call__(self, instance: object, attribute: object, value: object) -> None:
            pass

    @attrs.frozen
    class Plugins:
        note: str = attrs.field(validator=Unhashable())

    assert _all_strings([Plugins(note="a\x07")]) == ["a\x07"]

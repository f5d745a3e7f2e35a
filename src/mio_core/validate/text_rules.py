"""Rules over the workspace's text: no control or bidirectional-override characters."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from itertools import chain
from operator import attrgetter, methodcaller

import attrs

from ..io.workspace import response_key
from ..model import Workspace
from ..plugins.interfaces import RuleContext
from ..problems import Problem, Severity
from ..textsafety import has_control_characters

Path = tuple[str | int, ...]


def _texts(value: object, path: Path) -> Iterator[tuple[Path, str]]:
    """Yield (field path, text) for every text inside a model value."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _texts(item, (*path, str(key)))
    elif isinstance(value, tuple):
        for index, item in enumerate(value):
            yield from _texts(item, (*path, index))
    elif attrs.has(type(value)):
        for field in attrs.fields(type(value)):  # type: ignore[arg-type]
            if field.name != "origin":
                yield from _texts(getattr(value, field.name), (*path, field.name))


_FIELDS: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    names = _FIELDS.get(cls)
    if names is None:
        fields = attrs.fields(cls)
        names = _FIELDS[cls] = tuple(f.name for f in fields if f.name != "origin")
    return names


def _any_control(value: object) -> bool:
    """Whether any text inside ``value`` holds a control character — :func:`_texts` without
    building a path for every field, which is most of the cost on a large workspace."""
    if isinstance(value, str):
        return has_control_characters(value)
    if isinstance(value, Mapping):
        return any(_any_control(item) for item in value.values())
    if isinstance(value, tuple):
        return any(_any_control(item) for item in value)
    if attrs.has(type(value)):
        return any(_any_control(getattr(value, name)) for name in _field_names(type(value)))
    return False


_STR, _MAPPING, _TUPLE, _ATTRS, _OTHER = 0, 1, 2, 3, 4
_KINDS: dict[type, int] = {}


def _kind(cls: type) -> int:
    kind = _KINDS.get(cls)
    if kind is None:
        # the same order of tests as _texts and _any_control
        if issubclass(cls, str):
            kind = _STR
        elif issubclass(cls, Mapping):
            kind = _MAPPING
        elif issubclass(cls, tuple):
            kind = _TUPLE
        elif attrs.has(cls):
            _field_names(cls)
            kind = _ATTRS
        else:
            kind = _OTHER
        _KINDS[cls] = kind
    return kind


def _all_strings(values: list[object]) -> list[str]:
    """Return every text inside ``values`` (what :func:`_texts` yields, without paths, in
    another order), walking them a column at a time: the values of one class are taken
    apart together (one field of all of them at once), so the work per value is done in C.
    """
    strings: list[str] = []
    columns = [values]
    while columns:
        column = columns.pop()
        types = set(map(type, column))
        for cls in types:
            kind = _KINDS.get(cls)
            if kind is None:
                kind = _kind(cls)
            if kind == _OTHER:
                continue
            same = column if len(types) == 1 else [v for v in column if type(v) is cls]
            if kind == _STR:
                strings += same  # type: ignore[arg-type]
            elif kind == _TUPLE:
                columns.append(list(chain.from_iterable(same)))  # type: ignore[arg-type]
            elif kind == _MAPPING:
                columns.append(list(chain.from_iterable(map(methodcaller("values"), same))))
            else:
                columns += [list(map(attrgetter(name), same)) for name in _FIELDS[cls]]
    return strings


def _none_has_control(strings: list[str]) -> bool:
    """Whether no text in ``strings`` holds a control character: one search of them joined
    by newlines (which are no control characters here, and the search is for one
    character, so joining finds exactly what searching each would)."""
    return not has_control_characters("\n".join(strings))


def _describe(text: str) -> str:
    found = sorted({f"U+{ord(c):04X}" for c in text if has_control_characters(c)})
    return ", ".join(found[:5]) + (" ..." if len(found) > 5 else "")


def control_characters(workspace: Workspace, context: RuleContext) -> Iterator[Problem]:
    """Text holds no control characters (other than tab and newline) and no bidirectional
    overrides, embeddings or isolates: they hide or reorder what a reader sees.

    Text answers (of text items, or text where a number belongs) are searched too.
    """
    entities: list[tuple[str, str, object]] = [
        ("manifest", "", workspace.manifest),
        ("concept", workspace.concept.id, workspace.concept),
    ]
    for kind, values in (
        ("organisation", workspace.organisations),
        ("participant", workspace.participants),
        ("coach", workspace.coaches),
        ("facilitator", workspace.facilitators),
        ("cohort", workspace.cohorts),
        ("engagement", workspace.engagements),
        ("project", workspace.projects),
        ("instrument", workspace.instruments),
    ):
        entities += [(kind, value.id, value) for value in values]
    if _none_has_control(_all_strings([value for _, _, value in entities])):
        entities = []  # the common case: nothing to report, no entity walked again
    for kind, entity_id, value in entities:
        if not _any_control(value):
            continue
        for path, text in _texts(value, ()):
            if has_control_characters(text):
                yield context.problem(
                    kind,
                    entity_id,
                    path,
                    "control-character",
                    f"the text holds invisible control or bidirectional-override characters "
                    f"({_describe(text)}); exports show them as \\uXXXX — remove them",
                    severity=Severity.WARNING,
                )
    answers = _all_strings([response.answers for response in workspace.responses])
    if _none_has_control(answers):
        return
    for response in workspace.responses:
        for item, answer in response.answers.items():
            if isinstance(answer, str) and has_control_characters(answer):
                yield context.problem(
                    "response",
                    response_key(response),
                    (item,),
                    "control-character",
                    f"the answer holds invisible control or bidirectional-override characters "
                    f"({_describe(answer)}); exports show them as \\uXXXX — remove them",
                    severity=Severity.WARNING,
                )

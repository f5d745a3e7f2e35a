"""Rules over the workspace's text: no control or bidirectional-override characters."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from enum import Enum
from itertools import chain
from operator import attrgetter, methodcaller
from types import MappingProxyType
from typing import Any

import attrs

from ..io.workspace import response_key
from ..model import Response, Translations, Workspace
from ..model.common import optional_slug, slug, slugs
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


#: The validators after which a field holds ids alone (or None): text matched in full by
#: ``SLUG_PATTERN``, which admits no control character.
_ID_VALIDATORS = (slug, slugs, optional_slug)


def _may_hold_control(field: attrs.Attribute[Any]) -> bool:
    """Whether the model lets ``field`` of a value hold a control character.

    Not a field the model constrains to text without one: an id (validated by ``slug``,
    ``slugs`` or ``optional_slug``: every constructor and ``attrs.evolve`` runs the validator,
    the reader builds every entity through its constructor, and ``replace_unchecked`` is only
    for values known valid) or a value of a closed vocabulary (converted to an ``Enum`` whose
    members hold none: the converter makes every value one of them). Any other field, with
    any other validator or none, may (a Python caller or a plugin can put any text there),
    and is searched. The same holds for any attrs class, a plugin's too.
    The ``origin`` of a workspace is where it was read from, not its text.
    """
    if field.name == "origin" or any(field.validator is known for known in _ID_VALIDATORS):
        return False
    converter: object = field.converter
    if isinstance(converter, type) and issubclass(converter, Enum):
        return any(
            isinstance(member, str) and has_control_characters(member) for member in converter
        )
    return True


_FIELDS: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    """The fields of the attrs class ``cls`` that may hold a control character (see
    :func:`_may_hold_control`): the fields the search walks."""
    names = _FIELDS.get(cls)
    if names is None:
        fields = attrs.fields(cls)
        names = _FIELDS[cls] = tuple(f.name for f in fields if _may_hold_control(f))
    return names


def _any_control(value: object) -> bool:
    """Whether any text inside ``value`` that may hold a control character (the fields of
    :func:`_field_names`) holds one: :func:`_texts` without building a path for every field,
    which is most of the cost on a large workspace."""
    if isinstance(value, str):
        return has_control_characters(value)
    if isinstance(value, Mapping):
        return any(_any_control(item) for item in value.values())
    if isinstance(value, tuple):
        return any(_any_control(item) for item in value)
    if attrs.has(type(value)):
        return any(_any_control(getattr(value, name)) for name in _field_names(type(value)))
    return False


_STR, _MAPPING, _TUPLE, _ATTRS, _OTHER, _TRANSLATIONS = 0, 1, 2, 3, 4, 5
_KINDS: dict[type, int] = {}


def _kind(cls: type) -> int:
    kind = _KINDS.get(cls)
    if kind is None:
        # the same order of tests as _texts and _any_control
        if issubclass(cls, str):
            kind = _STR
        elif cls is Translations:  # a Mapping whose texts are a dict: read in C
            kind = _TRANSLATIONS
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


_translated = attrgetter("_texts")
_values = methodcaller("values")
#: The ``values`` of mappings whose truth is whether they hold anything (another Mapping
#: may say otherwise), called without looking the method up on each
_PLAIN_VALUES: dict[type, Callable[[Any], Iterable[object]]] = {
    dict: dict.values,
    MappingProxyType: MappingProxyType.values,
}
_CHUNK = 1024


def _all_strings(*columns: Sequence[object]) -> list[str]:
    """Return every text inside the values of ``columns`` that may hold a control character
    (what :func:`_texts` yields of the fields of :func:`_field_names`, without paths, in
    another order), walking them a column at a time: the values of one class are taken
    apart together (one field of all of them at once), so the work per value is done in C.
    A column of values of one class (the entities of one kind) is taken apart as it is.

    The columns are cut into chunks of :data:`_CHUNK` values, each walked to its texts
    before the next (the newest column first): the values one chunk reaches stay in the
    processor's cache while each of their fields is read (walking whole columns reads each
    value from memory again for each field; at national size a chunked column took about a
    third less time).
    """
    strings: list[str] = []
    todo = [column[i : i + _CHUNK] for column in columns for i in range(0, len(column), _CHUNK)]
    while todo:
        column = todo.pop()
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
            elif kind == _TRANSLATIONS:
                todo.append(list(chain.from_iterable(map(dict.values, map(_translated, same)))))
            elif kind == _TUPLE:
                todo.append(list(chain.from_iterable(same)))  # type: ignore[arg-type]
            elif kind == _MAPPING:
                values = _PLAIN_VALUES.get(cls)
                if values is None:
                    todo.append(list(chain.from_iterable(map(_values, same))))
                else:  # most are empty (extensions): skipped in C
                    todo.append(list(chain.from_iterable(map(values, filter(None, same)))))
            else:
                todo += [list(map(attrgetter(name), same)) for name in _FIELDS[cls]]
    return strings


def _text_answers(responses: Sequence[Response]) -> list[str]:
    """Return the answers of ``responses`` that are text, in order. Most answers are numbers
    (or None), and a national workspace has a million: their classes are looked at in C
    first, and only when some class is text is each answer looked at."""

    def answers(values: Callable[[Any], Iterable[object]]) -> Iterator[object]:
        return chain.from_iterable(map(values, map(attrgetter("answers"), responses)))

    try:  # the answers are the mappingproxy the model makes (which has no subclasses)
        classes = set(map(type, answers(MappingProxyType.values)))
    except TypeError:  # some are another mapping
        classes = set(map(type, answers(_values)))
    if not any(issubclass(cls, str) for cls in classes):
        return []
    return [answer for answer in answers(_values) if isinstance(answer, str)]


def _none_has_control(strings: list[str]) -> bool:
    """Whether no text in ``strings`` holds a control character: one search of them joined
    by spaces (no control character, and the search is for one character, so joining
    finds exactly what searching each would).

    Text that is printable throughout (``str.isprintable``, which holds of no control, format
    or separator character but the space) holds none, and that test, done in C a character
    at a time, takes half the time of the search; other text (a newline, a tab, a no-break
    space) is searched.
    """
    joined = " ".join(strings)
    return joined.isprintable() or not has_control_characters(joined)


def _describe(text: str) -> str:
    found = sorted({f"U+{ord(c):04X}" for c in text if has_control_characters(c)})
    return ", ".join(found[:5]) + (" ..." if len(found) > 5 else "")


def control_characters(workspace: Workspace, context: RuleContext) -> Iterator[Problem]:
    """Text holds no control characters (other than tab and newline) and no bidirectional
    overrides, embeddings or isolates: they hide or reorder what a reader sees.

    Text answers (of text items, or text where a number belongs) are searched too.
    """
    entities: tuple[tuple[str, Sequence[Any]], ...] = (
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
    )
    # every id is read first, as the problems name them (a value without one fails the rule)
    ids = [[""], *(list(map(attrgetter("id"), values)) for _, values in entities[1:])]
    if _none_has_control(_all_strings(*(values for _, values in entities))):
        entities = ()  # the common case: nothing to report, no entity walked again
    for (kind, values), kind_ids in zip(entities, ids, strict=False):
        for value, entity_id in zip(values, kind_ids, strict=True):
            if not _any_control(value):
                continue
            for path, text in _texts(value, ()):
                if has_control_characters(text):
                    yield context.problem(
                        kind,
                        entity_id,
                        path,
                        "control-character",
                        f"the text holds invisible control or bidirectional-override "
                        f"characters ({_describe(text)}); exports show them as \\uXXXX — "
                        "remove them",
                        severity=Severity.WARNING,
                    )
    # only an answer that is text is reported (not text inside another answer)
    if _none_has_control(_text_answers(workspace.responses)):
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

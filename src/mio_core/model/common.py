"""Building blocks shared by every entity: ids, multilingual texts, occasions, validators."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, ValuesView
from types import MappingProxyType
from typing import Any, TypeVar

import attrs

SLUG_PATTERN = re.compile(r"[a-z0-9](?:[a-z0-9_-]{0,62}[a-z0-9])?")
LANGUAGE_PATTERN = re.compile(r"[a-z]{2,3}(?:-[A-Z]{2})?")
OCCASION_PATTERN = re.compile(
    r"pre|post|module:(?P<module>"
    + SLUG_PATTERN.pattern
    + r")|follow-up:(?P<months>[1-9][0-9]{0,2})m"
)


class InvalidField(ValueError):
    """A validator's complaint about one field; ``field`` names it so errors can point at it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class Translations(Mapping[str, str]):
    """An immutable text in several languages, e.g. ``{"sv": "Modul 1", "en": "Module 1"}``."""

    __slots__ = ("_texts",)

    def __init__(self, texts: Mapping[str, str]) -> None:
        if not texts:
            raise ValueError("a translated text needs at least one language")
        for language, text in texts.items():
            if not isinstance(language, str) or not LANGUAGE_PATTERN.fullmatch(language):
                raise ValueError(f"{language!r} is not a language code such as 'sv' or 'en'")
            if not isinstance(text, str):
                raise ValueError(f"the {language!r} text must be a string, not {text!r}")
        self._texts = dict(texts)

    def __getitem__(self, language: str) -> str:
        return self._texts[language]

    def __iter__(self) -> Iterator[str]:
        return iter(self._texts)

    def __len__(self) -> int:
        return len(self._texts)

    def values(self) -> ValuesView[str]:
        """The texts, one per language, in the order of the languages."""
        return self._texts.values()

    def __hash__(self) -> int:
        return hash(frozenset(self._texts.items()))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return dict(self._texts) == dict(other)
        return NotImplemented

    def __repr__(self) -> str:
        return f"Translations({self._texts!r})"


#: A text people read: plain, or one string per language.
Text = str | Translations


def text_in(text: Text | None, language: str, fallback: str = "en") -> str:
    """Return ``text`` in ``language``, else in ``fallback``, else in its first language."""
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    for wanted in (language, fallback):
        if wanted in text:
            return text[wanted]
    return next(iter(text.values()))


#: Ids already found valid. The same ids are checked again and again (a person's id in
#: every cohort, session and response that names them), so a valid one is matched once;
#: bounded, so that reading many workspaces keeps no more than this many.
_VALID_SLUGS: set[str] = set()
_MAX_VALID_SLUGS = 50_000


def is_slug(value: object) -> bool:
    """Return whether ``value`` is a valid id: lowercase letters, digits, ``-`` and ``_``."""
    if value.__class__ is str:
        if value in _VALID_SLUGS:
            return True
        if SLUG_PATTERN.fullmatch(value) is None:
            return False
        if len(_VALID_SLUGS) < _MAX_VALID_SLUGS:
            _VALID_SLUGS.add(value)
        return True
    return isinstance(value, str) and SLUG_PATTERN.fullmatch(value) is not None


def unlike_ascii(text: object) -> str:
    """Return a hint naming the first character of ``text`` that is not ASCII (a Cyrillic
    'р' or a full-width '０' looks like the id it is not), or '' when there is none."""
    if not isinstance(text, str):
        return ""
    for character in text:
        if not character.isascii():
            name = unicodedata.name(character, "an unnamed character")
            return f"; it holds U+{ord(character):04X} {name}, which is not a Latin letter or digit"
    return ""


def slug(instance: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    """attrs validator: the value is an id (a slug)."""
    if not is_slug(value):
        raise InvalidField(
            attribute.name,
            f"{attribute.name} {value!r} is not a valid id: use 1-64 lowercase letters, digits, "
            f"'-' or '_', starting and ending with a letter or digit{unlike_ascii(value)}",
        )


def slugs(instance: Any, attribute: attrs.Attribute[Any], values: tuple[Any, ...]) -> None:
    """attrs validator: every member is an id."""
    for value in values:
        slug(instance, attribute, value)


def optional_slug(instance: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    """attrs validator: the value is None or an id."""
    if value is not None:
        slug(instance, attribute, value)


def is_occasion(value: object) -> bool:
    """Return whether ``value`` names an occasion: pre, post, module:ID or follow-up:Nm."""
    return isinstance(value, str) and OCCASION_PATTERN.fullmatch(value) is not None


def occasion(instance: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    """attrs validator: the value is an occasion."""
    if not is_occasion(value):
        raise InvalidField(
            attribute.name,
            f"{attribute.name} {value!r} is not an occasion: use pre, post, module:<module-id> "
            "or follow-up:<months>m (e.g. follow-up:6m)",
        )


def occasions(instance: Any, attribute: attrs.Attribute[Any], values: tuple[Any, ...]) -> None:
    """attrs validator: every member is an occasion."""
    for value in values:
        occasion(instance, attribute, value)


def occasion_specs(instance: Any, attribute: attrs.Attribute[Any], values: tuple[Any, ...]) -> None:
    """attrs validator: every member is an occasion, or ``module:*`` for every module."""
    for value in values:
        if value != "module:*":
            occasion(instance, attribute, value)


def occasion_order(value: str, modules: tuple[str, ...] = ()) -> tuple[int, int, str]:
    """Return a sort key that puts occasions in time order: pre, modules, post, follow-ups."""
    match = OCCASION_PATTERN.fullmatch(value)
    if value == "pre":
        return (0, 0, value)
    if match and match.group("module"):
        module = match.group("module")
        return (1, modules.index(module) if module in modules else len(modules), value)
    if value == "post":
        return (2, 0, value)
    if match and match.group("months"):
        return (3, int(match.group("months")), value)
    return (4, 0, value)


def occasion_module(value: str) -> str | None:
    """Return the module id of a ``module:<id>`` occasion, else None."""
    match = OCCASION_PATTERN.fullmatch(value)
    return match.group("module") if match else None


def not_before(start_field: str) -> Any:
    """attrs validator for an end date: it may not lie before the field ``start_field``."""

    def check(instance: Any, attribute: attrs.Attribute[Any], value: dt.date | None) -> None:
        start = getattr(instance, start_field)
        if value is not None and start is not None and value < start:
            raise InvalidField(
                attribute.name,
                f"{attribute.name} {value.isoformat()} is before {start_field} {start.isoformat()}",
            )

    return check


def non_negative(instance: Any, attribute: attrs.Attribute[Any], value: float | None) -> None:
    """attrs validator: the number is zero or more."""
    if value is not None and value < 0:
        raise InvalidField(attribute.name, f"{attribute.name} must be zero or more, not {value}")


def positive(instance: Any, attribute: attrs.Attribute[Any], value: float | None) -> None:
    """attrs validator: the number is more than zero."""
    if value is not None and value <= 0:
        raise InvalidField(attribute.name, f"{attribute.name} must be more than zero, not {value}")


def to_text(value: Any) -> Any:
    """attrs converter: a plain mapping of languages becomes :class:`Translations`."""
    if isinstance(value, Mapping) and not isinstance(value, Translations):
        return Translations(value)
    return value


def to_texts(values: Any) -> tuple[Any, ...]:
    """attrs converter: a sequence of texts becomes a tuple of texts."""
    return tuple(to_text(value) for value in values)


def is_text(instance: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    """attrs validator: the value is a non-empty string or a :class:`Translations`."""
    if isinstance(value, Translations):
        return
    if not isinstance(value, str) or not value.strip():
        raise InvalidField(attribute.name, f"{attribute.name} must be a non-empty text")


def optional_text(instance: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    """attrs validator: the value is None or a text."""
    if value is not None:
        is_text(instance, attribute, value)


def texts(instance: Any, attribute: attrs.Attribute[Any], values: tuple[Any, ...]) -> None:
    """attrs validator: every member is a text."""
    for value in values:
        is_text(instance, attribute, value)


def text_field(**kwargs: Any) -> Any:
    """A required text field."""
    return attrs.field(converter=to_text, validator=is_text, **kwargs)


def optional_text_field() -> Any:
    """A text field that may be left out."""
    return attrs.field(default=None, converter=to_text, validator=optional_text)


def texts_field() -> Any:
    """A list of texts, stored as a tuple."""
    return attrs.field(default=(), converter=to_texts, validator=texts)


def _extensions(value: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return MappingProxyType(dict(value or {}))


def extensions_field() -> Any:
    """``extensions:``: fields a plugin adds, by the name of the schema that describes them
    (hook ``mio_extension_schemas``); empty unless given, left out of the hash."""
    return attrs.field(factory=dict, converter=_extensions, hash=False)


def id_tuple(value: Iterable[str]) -> tuple[str, ...]:
    """attrs converter: any list, kept as a tuple. Typed, where ``tuple`` itself gives type
    checkers an unbound type variable."""
    return tuple(value)


def tuple_field(validator: Any = None) -> Any:
    """A list, stored as a tuple, empty unless given."""
    return attrs.field(default=(), converter=tuple, validator=validator)


_T = TypeVar("_T")

#: A copier per class and changed fields (see :func:`replace_unchecked`).
_COPIERS: dict[tuple[Any, ...], Any] = {}


def _copier(cls: type, changed: tuple[str, ...]) -> Any:
    """Return ``copy(instance, /, **changed)`` for ``cls``: a new instance whose slots are
    set straight from the changed values and ``instance``'s other fields, one line per field
    (a loop over the fields, or ``evolve``'s checks, cost two to four times as much)."""
    names = tuple(field.name for field in attrs.fields(cls))
    slots = {
        slot
        for klass in cls.__mro__
        for slot in klass.__dict__.get("__slots__", ())
        if slot != "__weakref__"
    }
    if (
        slots != set(names)
        or any(hasattr(cls, hook) for hook in ("__attrs_pre_init__", "__attrs_post_init__"))
        or any(name.startswith("_") for name in names)
    ):
        # a dict, a cached hash or a post-init step would be left out of the copy; a private
        # field's __init__ argument has another name (and could clash with the code's own)
        raise TypeError(f"{cls.__name__} is not a slotted attrs class made of its fields alone")
    unknown = sorted(set(changed) - set(names))
    if unknown:
        raise TypeError(f"{cls.__name__} has no field {', '.join(unknown)}")
    # attrs makes its __init__ the same way; the code names only the class's own fields
    # (its own names start with "_", which no field's does)
    namespace: dict[str, Any] = {"_new": object.__new__, "_cls": cls}
    lines = [f"def _copy(_instance, /, {', '.join(changed)}):", "    _made = _new(_cls)"]
    for i, name in enumerate(names):
        namespace[f"_set{i}"] = getattr(cls, name).__set__
        lines.append(f"    _set{i}(_made, {name if name in changed else '_instance.' + name})")
    lines.append("    return _made")
    exec("\n".join(lines), namespace)
    copier = namespace["_copy"]
    _COPIERS[(cls, *changed)] = copier
    return copier


def replace_unchecked(instance: _T, /, **changes: Any) -> _T:
    """Return ``attrs.evolve(instance, **changes)`` made without the class's converters and
    validators: a copy of the slotted attrs ``instance`` with ``changes``.

    Only for values already known valid and in the form the converters give (the caller says
    why at the call): then it equals ``evolve`` (tests/model/test_replace_unchecked.py holds it
    to that), at a third of the cost, which counts where hundreds of thousands of records are
    copied (pseudonymising a national workspace). The fields not changed are shared, not
    converted again: they are immutable. A name that is not a field raises ``TypeError``.
    """
    copier = _COPIERS.get((instance.__class__, *changes))
    if copier is None:
        copier = _copier(instance.__class__, tuple(changes))
    made: _T = copier(instance, **changes)
    return made

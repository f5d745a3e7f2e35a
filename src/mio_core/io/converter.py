"""The one cattrs converter between the model and plain values, and its errors as Problems.

Plain values are what YAML and JSON hold: dicts, lists, strings, numbers, booleans, None
and dates. Structuring is strict — a number where text belongs, a misspelt key, a date
that does not exist are all errors — because a silently "fixed" value in an evaluation is
worse than a refusal.
"""

from __future__ import annotations

import datetime as dt
import difflib
import enum
import typing
from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType
from typing import Any, TypeVar

import attrs
import cattrs
from cattrs.errors import (
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from ..model import (
    Answer,
    Manifest,
    Option,
    Privacy,
    Retention,
    ScaleLabel,
    Translations,
    Workspace,
)
from ..model.common import InvalidField, Text

T = TypeVar("T")


class InvalidValue(ValueError):
    """A value of the wrong kind; ``code`` says which kind of mistake it is."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def _describe(value: object) -> str:
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return f"the yes/no value {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        if len(value) > 80:
            return f"the text {value[:60]!r}… ({len(value):,} characters)"
        return f"the text {value!r}"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _wrong(expected: str, value: object, hint: str = "") -> InvalidValue:
    return InvalidValue("wrong-type", f"expected {expected}, found {_describe(value)}{hint}")


def _structure_str(value: object, _: type) -> str:
    if isinstance(value, str):
        return value
    hint = "; put it in quotes to make it text" if isinstance(value, int | float) else ""
    raise _wrong("text", value, hint)


def _structure_int(value: object, _: type) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise _wrong("a whole number", value)


def _structure_float(value: object, _: type) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    raise _wrong("a number", value)


def _structure_bool(value: object, _: type) -> bool:
    if isinstance(value, bool):
        return value
    raise _wrong("true or false", value)


def _structure_date(value: object, _: type) -> dt.date:
    if isinstance(value, dt.datetime):
        raise InvalidValue("invalid-date", f"expected a date without a time, found {value}")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise InvalidValue(
                "invalid-date", f"{value!r} is not a date that exists; write YYYY-MM-DD"
            ) from None
    raise _wrong("a date (YYYY-MM-DD)", value)


def _structure_time(value: object, _: type) -> dt.time:
    if isinstance(value, str):
        if len(value) in (4, 7) and value[1:2] == ":":  # 9:00, as people write it: 09:00
            value = f"0{value}"
        try:
            time = dt.time.fromisoformat(value)
        except ValueError:
            time = None
        if time is None or time.tzinfo is not None or time.microsecond or len(value) > 8:
            raise InvalidValue(
                "invalid-time",
                f"{value!r} is not a time of day; write HH:MM (e.g. '09:30'), the local time "
                "in the cohort's timezone",
            )
        return time
    raise _wrong("a time of day such as '09:30'", value)


def _unstructure_time(value: dt.time) -> str:
    return value.isoformat("minutes" if not value.second else "seconds")


def _structure_enum(value: object, cls: type[enum.Enum]) -> enum.Enum:
    try:
        return cls(value)
    except ValueError:
        allowed = ", ".join(str(member.value) for member in cls)
        raise InvalidValue(
            "invalid-value", f"{_describe(value)} is not one of: {allowed}"
        ) from None


def _structure_translations(value: object, _: type) -> Translations:
    if not isinstance(value, Mapping):
        raise _wrong("texts by language, e.g. {sv: ..., en: ...}", value)
    try:
        return Translations(value)
    except ValueError as exc:
        raise InvalidValue("invalid-value", str(exc)) from None


def _structure_text(value: object, _: type) -> Text:
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping):
        return _structure_translations(value, Translations)
    raise _wrong("text, or texts by language such as {sv: ..., en: ...}", value)


def _unstructure_text(value: Text) -> Any:
    return value if isinstance(value, str) else dict(value)


def _structure_labels(value: object, _: type) -> tuple[ScaleLabel, ...]:
    if not isinstance(value, Mapping):
        raise _wrong("labels by value, e.g. {1: Not at all, 5: Fully}", value)
    labels = []
    for number, text in value.items():
        if isinstance(number, str) and number.lstrip("-").isdigit():
            number = int(number)  # JSON keys are always strings
        if not isinstance(number, int) or isinstance(number, bool):
            raise _wrong("whole numbers as the keys of the labels", number)
        labels.append(ScaleLabel(value=number, text=_structure_text(text, str)))
    return tuple(labels)


def _unstructure_labels(labels: tuple[ScaleLabel, ...]) -> dict[int, Any]:
    return {label.value: _unstructure_text(label.text) for label in labels}


def _structure_options(value: object, _: type) -> tuple[Option, ...]:
    if not isinstance(value, Mapping):
        raise _wrong("options by code, e.g. {bus: By bus, car: By car}", value)
    options = []
    for code, text in value.items():
        if isinstance(code, int) and not isinstance(code, bool):
            code = str(code)
        if not isinstance(code, str):
            raise _wrong("option codes (quote a code YAML reads otherwise, e.g. 'yes')", code)
        options.append(Option(code=code, text=_structure_text(text, str)))
    return tuple(options)


def _unstructure_options(options: tuple[Option, ...]) -> dict[str, Any]:
    return {option.code: _unstructure_text(option.text) for option in options}


def _structure_answers(value: object, _: type) -> Mapping[str, Answer]:
    if not isinstance(value, Mapping):
        raise _wrong("answers by item", value)
    answers: dict[str, Answer] = {}
    for item, answer in value.items():
        answers[_structure_str(item, str)] = (
            None
            if answer is None
            else answer
            if isinstance(answer, str)
            else _structure_float(answer, float)
        )
    return MappingProxyType(answers)


def _structure_retention(value: object, _: type) -> str:
    # An unquoted 2030-12-31 in YAML is a date; the manifest keeps it as text.
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, str):
        return value
    raise _wrong("a date (YYYY-MM-DD) or a period such as '10 years'", value)


def _is_tuple(t: Any) -> bool:
    args = typing.get_args(t)
    return typing.get_origin(t) is tuple and len(args) == 2 and args[1] is Ellipsis


def _tuple_hook(converter: cattrs.Converter) -> Callable[[Any], Callable[[Any, Any], Any]]:
    def factory(t: Any) -> Callable[[Any, Any], Any]:
        member = typing.get_args(t)[0]
        structure_member = converter.get_structure_hook(member)

        def structure_tuple(value: Any, _: Any) -> tuple[Any, ...]:
            if not isinstance(value, list | tuple):
                raise _wrong("a list", value)
            result, errors = [], []
            for index, element in enumerate(value):
                try:
                    result.append(structure_member(element, member))
                except Exception as exc:
                    exc.__notes__ = [
                        *getattr(exc, "__notes__", []),
                        IterableValidationNote(f"Structuring item @ index {index}", index, member),
                    ]
                    errors.append(exc)
            if errors:
                raise IterableValidationError(f"While structuring {t!r}", errors, t)
            return tuple(result)

        return structure_tuple

    return factory


def _class_hook(converter: cattrs.Converter) -> Callable[[Any], Callable[[Any, Any], Any]]:
    def factory(cls: Any) -> Callable[[Any, Any], Any]:
        if cls is Workspace:
            structure_fields = make_dict_structure_fn(
                cls, converter, _cattrs_forbid_extra_keys=True, origin=override(omit=True)
            )
        else:
            structure_fields = make_dict_structure_fn(
                cls, converter, _cattrs_forbid_extra_keys=True
            )

        def structure_class(value: Any, _: Any) -> Any:
            # A dict is the common case: no ABC check for it.
            if value.__class__ is not dict and not isinstance(value, Mapping):
                raise _wrong("a mapping of keys and values", value)
            return structure_fields(value, cls)

        return structure_class

    return factory


def _structure_extensions(value: object, _: type) -> dict[str, Any]:
    """``extensions:``: a mapping of names to plain values, checked by the plugins' schemas."""
    if not isinstance(value, Mapping):
        raise _wrong("a mapping of extension names to values", value)
    for key in value:
        if not isinstance(key, str):
            raise _wrong("text as an extension's name", key)
    return dict(value)


def _plain(value: Any) -> Any:
    """A plain value as plain values: mappings and lists copied, the rest as it is."""
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def _make_converter() -> cattrs.Converter:
    converter = cattrs.Converter(forbid_extra_keys=True, omit_if_default=True)
    converter.register_structure_hook_factory(attrs.has, _class_hook(converter))
    converter.register_structure_hook_factory(_is_tuple, _tuple_hook(converter))
    converter.register_structure_hook(str, _structure_str)
    converter.register_structure_hook(int, _structure_int)
    converter.register_structure_hook(float, _structure_float)
    converter.register_structure_hook(bool, _structure_bool)
    converter.register_structure_hook(dt.date, _structure_date)
    converter.register_unstructure_hook(dt.date, lambda value: value)
    converter.register_structure_hook(dt.time, _structure_time)
    converter.register_unstructure_hook(dt.time, _unstructure_time)
    # Registered for StrEnum too: it comes before str in a StrEnum's MRO.
    for base in (enum.Enum, enum.StrEnum):
        converter.register_structure_hook(base, _structure_enum)
        converter.register_unstructure_hook(base, lambda value: value.value)
    converter.register_structure_hook(Translations, _structure_translations)
    converter.register_unstructure_hook(Translations, dict)
    converter.register_structure_hook(Text, _structure_text)
    converter.register_unstructure_hook(Text, _unstructure_text)
    labels = tuple[ScaleLabel, ...]
    converter.register_structure_hook_func(lambda t: t == labels, _structure_labels)
    converter.register_unstructure_hook_func(lambda t: t == labels, _unstructure_labels)
    options = tuple[Option, ...]
    converter.register_structure_hook_func(lambda t: t == options, _structure_options)
    converter.register_unstructure_hook_func(lambda t: t == options, _unstructure_options)
    answers = Mapping[str, Answer]
    converter.register_structure_hook_func(lambda t: t == answers, _structure_answers)
    converter.register_unstructure_hook_func(lambda t: t == answers, dict)
    extensions = Mapping[str, Any]
    converter.register_structure_hook_func(lambda t: t == extensions, _structure_extensions)
    converter.register_unstructure_hook_func(lambda t: t == extensions, _plain)
    converter.register_unstructure_hook(
        Workspace,
        make_dict_unstructure_fn(
            Workspace, converter, _cattrs_omit_if_default=True, origin=override(omit=True)
        ),
    )
    converter.register_structure_hook(Retention, _structure_retention)
    # The manifest is short and read by people: write every setting, defaults included
    # (but not the privacy settings a workspace leaves unset, so old manifests stay as written).
    privacy_fields = make_dict_unstructure_fn(Privacy, converter, _cattrs_omit_if_default=False)
    converter.register_unstructure_hook(
        Privacy, lambda value: {k: v for k, v in privacy_fields(value).items() if v is not None}
    )
    converter.register_unstructure_hook(  # after Privacy's: it uses the hook registered then
        Manifest, make_dict_unstructure_fn(Manifest, converter, _cattrs_omit_if_default=False)
    )
    return converter


#: The converter between the model and plain values; the only one in mio_core.
converter = _make_converter()


def unstructure(value: Any) -> Any:
    """Return a model value as plain values (defaults left out, dates kept as dates)."""
    return converter.unstructure(value)


def structure(data: Any, cls: type[T]) -> T:
    """Return ``data`` as an instance of ``cls``; raises cattrs' errors on bad data."""
    return converter.structure(data, cls)


@attrs.frozen
class FieldError:
    """One structuring error: the path inside the structured value, a code and a message."""

    path: tuple[str | int, ...]
    code: str
    message: str


def field_errors(exc: BaseException, cls: type | None = None) -> list[FieldError]:
    """Return every error inside a cattrs (or attrs validator) exception, with its path."""
    return list(_walk(exc, (), cls))


def _walk(exc: BaseException, path: tuple[str | int, ...], cls: Any) -> Iterator[FieldError]:
    if isinstance(exc, ClassValidationError):
        with_notes, without = exc.group_exceptions()
        fields = attrs.fields_dict(exc.cl) if attrs.has(exc.cl) else {}
        for inner, note in with_notes:
            field = fields.get(note.name)
            yield from _walk(inner, (*path, note.name), field.type if field else None)
        for inner in without:
            yield from _walk(inner, path, exc.cl)
    elif isinstance(exc, IterableValidationError):
        by_index, unplaced = exc.group_exceptions()
        for inner, index_note in by_index:
            yield from _walk(inner, (*path, index_note.index), None)
        for inner in unplaced:
            yield from _walk(inner, path, None)
    elif isinstance(exc, ForbiddenExtraKeysError):
        known = sorted(attrs.fields_dict(exc.cl)) if attrs.has(exc.cl) else []
        for key in sorted(exc.extra_fields, key=str):
            close = difflib.get_close_matches(str(key), known, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else f"; known keys: {', '.join(known)}"
            yield FieldError((*path, key), "unknown-key", f"unknown key {key!r}{hint}")
    elif isinstance(exc, KeyError):
        missing = str(exc.args[0]) if exc.args else "?"
        where = path if path and path[-1] == missing else (*path, missing)
        yield FieldError(where, "missing-field", "this required field is missing")
    elif isinstance(exc, InvalidField):
        yield FieldError((*path, exc.field), "invalid-value", str(exc))
    elif isinstance(exc, InvalidValue):
        yield FieldError(path, exc.code, str(exc))
    elif isinstance(exc, ValueError | TypeError):
        yield FieldError(path, _code_for(exc), _message_for(exc, cls))
    else:
        raise exc


def _code_for(exc: Exception) -> str:
    return "wrong-type" if isinstance(exc, TypeError) else "invalid-value"


def _message_for(exc: Exception, cls: Any) -> str:
    text = str(exc)
    if isinstance(exc, TypeError) and ("not iterable" in text or "argument" in text):
        return "expected a list or mapping here, found a single value"
    return text


def structure_problems(data: Any, cls: type[T], on_error: Callable[[FieldError], None]) -> T | None:
    """Structure ``data`` as ``cls``; report each error to ``on_error`` and return None."""
    try:
        return converter.structure(data, cls)
    except (ClassValidationError, IterableValidationError, ValueError, TypeError, KeyError) as exc:
        errors = field_errors(exc, cls)
        for error in errors:
            on_error(error)
        return None

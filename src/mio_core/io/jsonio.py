"""JSON for the model: the same converter as YAML, with dates written as ISO text."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from json.encoder import encode_basestring
from typing import Any, TypeVar

from .converter import structure, unstructure

T = TypeVar("T")

#: How many pieces of text :func:`iter_dumps` gathers before it gives them out as one.
_PIECES = 4096


def _default(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} cannot be written as JSON")


def dumps(data: Any, *, indent: int | None = 2) -> str:
    """Return plain values (dates allowed) as JSON text; NaN and infinity become null."""
    if indent is None:
        return json.dumps(_finite(data), default=_default, ensure_ascii=False, indent=None)
    return "".join(iter_dumps(data, indent=indent))


def iter_dumps(data: Any, *, indent: int = 2) -> Iterator[str]:
    """Yield the text of :func:`dumps` (``indent`` spaces a level) piece by piece.

    The pieces joined are exactly ``json.dumps(data, ensure_ascii=False, indent=indent)``
    with NaN and infinity as null and dates as ISO text, written without a copy of ``data``
    and without holding the whole text at once (for a writer that streams it). The standard
    library's encoder is written in Python when it indents; this one writes each value with
    fewer calls, and the strings with the same C function.
    """
    step = " " * indent
    out: list[str] = []
    if type(data) is dict or type(data) is list:
        # the two outer levels here, to give the text out between their members
        yield from _outer(data, out, 0, step, 2)
        yield "".join(out)
    else:
        _write(data, out, "\n", step)
        yield "".join(out)


def _outer(data: Any, out: list[str], level: int, step: str, levels: int) -> Iterator[str]:
    # a dict or a list whose members are written one by one, the text given out in between
    if not data:
        out.append("{}" if type(data) is dict else "[]")
        return
    inner = "\n" + step * (level + 1)
    is_dict = type(data) is dict
    out.append("{" if is_dict else "[")
    first = True
    for member in data.items() if is_dict else data:
        out.append(inner if first else "," + inner)
        first = False
        if is_dict:
            key, value = member
            out.append(_key(key))
            out.append(": ")
        else:
            value = member
        if levels > 1 and (type(value) is dict or type(value) is list):
            yield from _outer(value, out, level + 1, step, levels - 1)
        else:
            _write(value, out, inner, step)
        if len(out) >= _PIECES:
            yield "".join(out)
            out.clear()
    out.append("\n" + step * level)
    out.append("}" if is_dict else "]")


def _key(key: Any) -> str:
    # as json.dumps writes a dict's key
    if isinstance(key, str):
        return encode_basestring(key)
    if isinstance(key, float):
        return encode_basestring(_float_key(key))
    if key is True:
        return '"true"'
    if key is False:
        return '"false"'
    if key is None:
        return '"null"'
    if isinstance(key, int):
        return encode_basestring(int.__repr__(key))
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")


def _float_key(key: float) -> str:
    if key != key:
        return "NaN"
    if key == float("inf"):
        return "Infinity"
    if key == float("-inf"):
        return "-Infinity"
    return float.__repr__(key)


_INFINITIES = (float("inf"), float("-inf"))

#: The text of dict keys already written (``"key": ``), up to a bound.
_KEY_TEXTS: dict[str, str] = {}
_KEY_TEXTS_MAX = 10_000


def _write(value: Any, out: list[str], newline: str, step: str) -> None:
    """Append ``value`` written as JSON to ``out``; ``newline`` starts a line at its level."""
    kind = type(value)
    if kind is str:
        out.append(encode_basestring(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif kind is int:
        out.append(int.__repr__(value))
    elif kind is float:
        finite = value == value and value not in _INFINITIES
        out.append(float.__repr__(value) if finite else "null")
    elif kind is dict or kind is list or kind is tuple:
        _write_container(value, kind is dict, out, newline, step)
    else:
        _write_other(value, out, newline, step)


def _write_container(value: Any, is_dict: bool, out: list[str], newline: str, step: str) -> None:
    if not value:
        out.append("{}" if is_dict else "[]")
        return
    inner = newline + step
    between = "," + inner
    out.append("{" if is_dict else "[")
    out.append(inner)
    first = True
    if is_dict:
        keys = _KEY_TEXTS
        for key, member in value.items():
            if not first:
                out.append(between)
            first = False
            # a record's keys repeat in every record: each str key is written once
            text = keys.get(key) if type(key) is str else None
            if text is None:
                text = _key(key) + ": "
                if type(key) is str and len(keys) < _KEY_TEXTS_MAX:
                    keys[key] = text
            out.append(text)
            kind = type(member)  # the plain scalars here, without a call of _write
            if kind is str:
                out.append(encode_basestring(member))
            elif member is None:
                out.append("null")
            elif kind is int:
                out.append(int.__repr__(member))
            else:
                _write(member, out, inner, step)
    else:
        for member in value:
            if not first:
                out.append(between)
            first = False
            _write(member, out, inner, step)
    out.append(newline)
    out.append("}" if is_dict else "]")


def _write_other(value: Any, out: list[str], newline: str, step: str) -> None:
    # subclasses of the plain types (str and int enums...), as json.dumps checks them, else
    # the default (dates)
    if isinstance(value, str):
        out.append(encode_basestring(value))
    elif isinstance(value, int):
        out.append(int.__repr__(value))
    elif isinstance(value, float):
        _write(float(value), out, newline, step)
    elif isinstance(value, list | tuple):
        _write_container(value, False, out, newline, step)
    elif isinstance(value, dict):
        _write_container(value, True, out, newline, step)
    else:
        _write(_default(value), out, newline, step)


def _finite(data: Any) -> Any:
    if isinstance(data, float) and (data != data or data in (float("inf"), float("-inf"))):
        return None
    if isinstance(data, dict):
        return {key: _finite(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [_finite(value) for value in data]
    return data


def to_json(value: Any, *, indent: int | None = 2) -> str:
    """Return a model value (a workspace, a cohort, an instrument...) as JSON text."""
    return dumps(unstructure(value), indent=indent)


def from_json(text: str | bytes, cls: type[T]) -> T:
    """Return the ``cls`` value that :func:`to_json` wrote; raises cattrs' errors on bad data."""
    return structure(json.loads(text), cls)

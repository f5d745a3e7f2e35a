"""JSON for the model: the same converter as YAML, with dates written as ISO text."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, TypeVar

from .converter import structure, unstructure

T = TypeVar("T")


def _default(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} cannot be written as JSON")


def dumps(data: Any, *, indent: int | None = 2) -> str:
    """Return plain values (dates allowed) as JSON text; NaN and infinity become null."""
    return json.dumps(_finite(data), default=_default, ensure_ascii=False, indent=indent)


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

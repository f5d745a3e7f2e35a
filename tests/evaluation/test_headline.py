"""The JSON headline: the published records as attrs.asdict gives them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import mio_core as m
from mio_core.evaluation import evaluate
from mio_core.evaluation import headline as headline_module
from mio_core.evaluation.headline import _plain, headline


@attrs.frozen
class Inner:
    value: Any


@attrs.frozen
class Outer:
    inner: Inner
    rows: Any
    extra: Any = None


def _typed(value: Any) -> Any:
    """``value`` with the type of every part beside it, so that == also compares types."""
    if isinstance(value, dict):
        return ("dict", [(_typed(k), _typed(v)) for k, v in value.items()])
    if isinstance(value, list | tuple | set | frozenset):
        return (type(value).__name__, [_typed(v) for v in value])
    return (type(value).__name__, value)


_LEAVES = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
_KEYS = _LEAVES.filter(lambda v: v == v) | st.tuples(st.integers())
_ANY = st.recursive(
    _LEAVES | st.builds(Inner, _LEAVES),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.lists(inner, max_size=3).map(tuple)
        | st.frozensets(_LEAVES, max_size=3)
        | st.dictionaries(
            _LEAVES.filter(lambda v: v == v) | st.tuples(st.integers()), inner, max_size=3
        )
        | st.builds(Inner, inner)
    ),
    max_leaves=12,
)


@given(st.builds(Outer, st.builds(Inner, _ANY), _ANY, _ANY))
def test_plain_gives_what_attrs_asdict_gives(value: Outer) -> None:
    assert _typed(_plain(value)) == _typed(attrs.asdict(value))


def test_the_headline_of_the_example_is_what_attrs_asdict_gives(
    example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = evaluate(m.load_workspace(example), m.load_registry())
    fast = headline(result)
    monkeypatch.setattr(headline_module, "_plain", attrs.asdict)
    assert _typed(fast) == _typed(headline(result))

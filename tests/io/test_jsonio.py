"""The JSON writer: the same text as the standard library's encoder, written faster."""

from __future__ import annotations

import datetime as dt
import enum
import json
import math
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from mio_core.io import jsonio
from mio_core.io.jsonio import dumps, iter_dumps


class Colour(enum.StrEnum):
    RED = "red"


class Size(enum.IntEnum):
    BIG = 7


def _reference(data: Any, indent: int | None = 2) -> str:
    # what dumps wrote before it had its own writer: json.dumps over a copy with NaN and
    # infinity as None
    def finite(value: Any) -> Any:
        if isinstance(value, float) and not math.isfinite(value):
            return None
        if isinstance(value, dict):
            return {k: finite(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [finite(v) for v in value]
        return value

    def default(value: Any) -> Any:
        if isinstance(value, dt.date):
            return value.isoformat()
        raise TypeError(type(value).__name__)

    return json.dumps(finite(data), default=default, ensure_ascii=False, indent=indent)


_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text()
    | st.dates()
    | st.sampled_from([Colour.RED, Size.BIG])
)
_KEYS = st.text() | st.integers() | st.floats() | st.booleans() | st.none()
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.lists(inner, max_size=4).map(tuple)
        | st.dictionaries(_KEYS, inner, max_size=4)
    ),
    max_leaves=30,
)


_EVERY_KIND = {
    "values": [math.nan, math.inf, -math.inf, -0.0, 1e300, 10**30, True, False, None],
    "texts": ['å\n"\\\u2028', "", Colour.RED, dt.date(2020, 1, 2)],
    "numbers": (Size.BIG, 3, (), {}, []),
    1.5: 1,
    math.nan: 2,
    True: None,
    None: 2,
    3: [{"a": [[1, 2], [3, 4]]}],
}


@given(_VALUES, st.sampled_from([0, 1, 2, 4]))
@example(_EVERY_KIND, 2)
def test_dumps_writes_what_the_standard_encoder_writes(data: Any, indent: int) -> None:
    assert dumps(data, indent=indent) == _reference(data, indent)


@given(_VALUES)
def test_dumps_without_indent_writes_what_the_standard_encoder_writes(data: Any) -> None:
    assert dumps(data, indent=None) == _reference(data, None)


_ROWS = st.lists(st.dictionaries(st.text(max_size=3), _SCALARS, max_size=3), max_size=8)


@given(st.dictionaries(st.text(max_size=3), _ROWS, max_size=3))
def test_the_pieces_of_iter_dumps_make_the_whole_text(data: dict[str, Any]) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(jsonio, "_PIECES", 3)  # cut the text in many places
        pieces = list(iter_dumps(data))
    assert "".join(pieces) == _reference(data)


@pytest.fixture
def monkeypatch_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    # give the text out every few pieces, so that the test sees it cut in many places
    monkeypatch.setattr(jsonio, "_PIECES", 3)


def test_iter_dumps_gives_a_long_text_out_in_several_pieces(
    monkeypatch_pieces: None,
) -> None:
    data = {"rows": [{"n": i, "name": f"row {i}"} for i in range(50)]}
    assert len(list(iter_dumps(data))) > 10


def test_dumps_refuses_a_value_json_cannot_hold() -> None:
    with pytest.raises(TypeError, match="set cannot be written as JSON"):
        dumps({"a": [{1, 2}]})


def test_dumps_refuses_a_key_json_cannot_hold() -> None:
    with pytest.raises(TypeError, match="keys must be"):
        dumps({(1, 2): 3})

"""is_slug remembers the ids it found valid; its answer stays that of the pattern."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from mio_core.model.common import SLUG_PATTERN, is_slug

ids = st.one_of(
    st.from_regex(SLUG_PATTERN, fullmatch=True),
    st.text(alphabet="ab-_9Z \n", max_size=70),
    st.none(),
    st.integers(),
    st.lists(st.just("a"), max_size=1),
)


@given(ids)
def test_is_slug_says_what_the_pattern_says_every_time(value: object) -> None:
    expected = isinstance(value, str) and SLUG_PATTERN.fullmatch(value) is not None
    assert [is_slug(value), is_slug(value)] == [expected, expected]


def test_a_str_subclass_is_checked_by_the_pattern() -> None:
    class Name(str):
        pass

    assert is_slug(Name("mio")) and not is_slug(Name("Mio"))

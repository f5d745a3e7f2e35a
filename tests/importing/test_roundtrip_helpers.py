"""``kept_subscales``: the subscales a tool format reads back when it keeps only some items."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from mio_core.importing import kept_subscales
from mio_core.model import Subscale

ITEMS = ("a", "b", "c", "d", "e")


def test_a_subscale_keeps_only_the_kept_items_in_their_order() -> None:
    subscale = Subscale(id="s", title="Sub", items=["c", "a", "x"], reverse=["x", "c"])
    [kept] = kept_subscales([subscale], ["a", "b", "c"])
    assert (kept.items, kept.reverse) == (("a", "c"), ("c",))


def test_a_subscale_without_kept_items_is_dropped() -> None:
    subscale = Subscale(id="s", title="Sub", items=["x", "y"])
    assert kept_subscales([subscale], ["a"]) == ()


def test_subscales_come_in_the_order_of_their_first_item() -> None:
    late = Subscale(id="late", title="Late", items=["c"])
    early = Subscale(id="early", title="Early", items=["b", "c"])
    assert [s.id for s in kept_subscales([late, early], ["a", "b", "c"])] == ["early", "late"]


def test_subscales_starting_at_one_item_keep_their_order() -> None:
    first = Subscale(id="first", title="1", items=["a", "b"])
    second = Subscale(id="second", title="2", items=["a", "c"])
    assert [s.id for s in kept_subscales([first, second], ITEMS)] == ["first", "second"]


def test_a_kept_subscale_is_titled_by_its_id() -> None:
    [kept] = kept_subscales([Subscale(id="s", title="Sub", items=["a"])], ITEMS)
    assert kept.title == "s"


subscale_lists = st.lists(
    st.builds(
        lambda id_, members, reverse: Subscale(
            id=id_, title=id_, items=members, reverse=[r for r in reverse if r in members]
        ),
        st.sampled_from(["s1", "s2", "s3", "s4"]),
        st.lists(st.sampled_from([*ITEMS, "x", "y"]), min_size=1, max_size=5, unique=True),
        st.lists(st.sampled_from(ITEMS), unique=True),
    ),
    max_size=4,
)


@given(subscales=subscale_lists, items=st.permutations(ITEMS).map(lambda p: p[:3]))
def test_every_kept_subscale_holds_exactly_its_kept_items(
    subscales: list[Subscale], items: tuple[str, ...]
) -> None:
    kept = kept_subscales(subscales, items)
    expected = [s for s in subscales if set(s.items) & set(items)]
    assert len(kept) == len(expected)
    for subscale in kept:
        originals = [s for s in expected if s.id == subscale.id]
        assert any(
            list(subscale.items) == [i for i in items if i in s.items]
            and set(subscale.reverse) == set(s.reverse) & set(items)
            for s in originals
        )
    firsts = [items.index(s.items[0]) for s in kept]
    assert firsts == sorted(firsts)

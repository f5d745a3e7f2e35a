"""The fast paths of scoring and of group cells against their plain rules, on generated
answers: whole numbers, floats in and out of range, 3.5, 4.0, bools, None, NaN, text,
missing items, reverse-coded items, sum and mean subscales and min_answered shares."""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from mio_core.evaluation import groups
from mio_core.evaluation.scoring import (
    exact_score,
    exact_total,
    item_bounds,
    score,
    score_responses,
)
from mio_core.model import Instrument, Item, Response, ResponseScale, Subscale

# two scales that overlap in 1..3, so a subscale mixing them has whole values 1..3 only
SCALES = (ResponseScale(id="five", min=1, max=5), ResponseScale(id="three", min=0, max=3))
ITEMS = (
    Item(id="a1", text="A1"),
    Item(id="a2", text="A2"),
    Item(id="a3", text="A3"),
    Item(id="b1", text="B1", scale="three"),
    Item(id="b2", text="B2", scale="three"),
    Item(id="t1", text="T1", kind="text"),
)
SCALE_ITEMS = [item.id for item in ITEMS if item.kind.value == "scale"]

ANSWERS = st.one_of(
    st.integers(-1, 6),
    st.sampled_from([3.5, 4.0, 1.0, 0.0, 5.0, 2.5, -0.5, 9, 9.0, math.inf, -math.inf]),
    st.floats(allow_nan=True, allow_infinity=True, width=32),
    st.booleans(),
    st.none(),
    st.just(math.nan),
    st.sampled_from(["4", "", "text"]),
)


@st.composite
def instruments(draw: st.DrawFn) -> Instrument:
    subscales = []
    for number in range(draw(st.integers(1, 3))):
        items = draw(st.lists(st.sampled_from(SCALE_ITEMS), min_size=1, max_size=5, unique=True))
        reverse = draw(st.lists(st.sampled_from(items), unique=True))
        subscales.append(
            Subscale(
                id=f"s{number}",
                title="S",
                items=tuple(items),
                reverse=tuple(reverse),
                method=draw(st.sampled_from(["mean", "sum"])),
                min_answered=draw(st.sampled_from([0.2, 0.5, 2 / 3, 0.75, 1.0])),
            )
        )
    return Instrument(
        id="test",
        title="Test",
        level="learning",
        scales=SCALES,
        items=ITEMS,
        subscales=tuple(subscales),
    )


@st.composite
def responses(draw: st.DrawFn, size: int = 12) -> tuple[Response, ...]:
    made = []
    for _ in range(draw(st.integers(0, size))):
        answers = draw(
            st.dictionaries(st.sampled_from([item.id for item in ITEMS]), ANSWERS, max_size=6)
        )
        made.append(
            Response(
                # few respondents and occasions: some answer twice on an occasion
                respondent=draw(st.sampled_from(["p1", "p2", "p3", "p4", "p5"])),
                instrument="test",
                occasion=draw(st.sampled_from(["pre", "post"])),
                answers=answers,
            )
        )
    return tuple(made)


def plain_values(instrument: Instrument, subscale: Subscale, answers: dict) -> list:
    """The item-by-item rule: an answer counts when it is not None, not text and within
    its item's scale; a reverse-coded one as min + max − answer."""
    bounds = item_bounds(instrument)
    values = []
    for item in subscale.items:
        value = answers.get(item)
        low, high = bounds[item]
        if value is not None and not isinstance(value, str) and low <= value <= high:
            values.append(low + high - value if item in subscale.reverse else value)
    return values


def typed(values: list) -> list:
    return [(type(v), v) for v in values]


@settings(max_examples=150, deadline=None)
@given(instruments(), responses())
def test_scores_equal_the_plain_rule_on_any_answers(
    instrument: Instrument, made: tuple[Response, ...]
) -> None:
    complete: dict[tuple[str, str, str], list[list[float]]] = {}
    scores = list(score_responses(made, {"test": instrument}, complete))
    expected_complete: dict[tuple[str, str, str], list] = {}
    expected = []
    for response in made:
        for subscale in instrument.subscales:
            values = plain_values(instrument, subscale, dict(response.answers))
            items = len(subscale.items)
            plain = score(subscale, [*values, *[None] * (items - len(values))])
            total = exact_total(values)
            value = None
            if plain is not None:
                value = float(exact_score(total, len(values), items, subscale.method))
                assert math.isclose(value, plain, rel_tol=1e-12)
            expected.append((response.respondent, subscale.id, value, len(values), items, total))
            if len(values) == items >= 2:
                key = ("test", response.occasion, subscale.id)
                expected_complete.setdefault(key, []).append(typed(values))
    assert [(s.respondent, s.subscale, s.value, s.answered, s.items, s.total) for s in scores] == (
        expected
    )
    # the exact total is an int whenever it is a whole number, as before
    assert all(type(s.total) is int for s in scores if Fraction(s.total).denominator == 1)
    # the rows kept for reliability: the same values, of the same types, in the same order
    assert {k: [typed(v) for v in rows] for k, rows in complete.items()} == expected_complete
    assert list(complete) == list(expected_complete)


@settings(max_examples=150, deadline=None)
@given(instruments(), responses())
def test_what_scoring_collects_equals_a_pass_over_the_scores(
    instrument: Instrument, made: tuple[Response, ...]
) -> None:
    # The evaluation takes each respondent's score per wave, and who gave a complete row,
    # from scoring itself instead of a pass of its own over every score.
    complete: dict[tuple[str, str, str], list[Sequence[float]]] = {}
    completed_by: dict[tuple[str, str, str], list[str]] = {}
    scored: dict[tuple[str, str, str], dict[str, float]] = {}
    scores = list(
        score_responses(
            made, {"test": instrument}, complete, completed_by=completed_by, scored=scored
        )
    )
    assert scores == list(score_responses(made, {"test": instrument}))
    expected: dict[tuple[str, str, str], dict[str, float]] = {}
    who: dict[tuple[str, str, str], list[str]] = {}
    for s in scores:
        key = (s.instrument, s.occasion, s.subscale)
        if s.value is not None:
            expected.setdefault(key, {})[s.respondent] = s.value
        if s.answered == s.items >= 2:
            who.setdefault(key, []).append(s.respondent)
    assert scored == expected
    assert list(scored) == list(expected)  # the same order of waves and of respondents
    assert [list(rows) for rows in scored.values()] == [list(rows) for rows in expected.values()]
    assert completed_by == who
    assert {key: len(rows) for key, rows in complete.items()} == {
        key: len(people) for key, people in who.items()
    }


@settings(max_examples=150, deadline=None)
@given(instruments(), responses(size=20))
def test_item_values_equal_the_plain_pass_over_every_answer(
    instrument: Instrument, made: tuple[Response, ...]
) -> None:
    bounds = item_bounds(instrument)
    by_occasion: dict[str, list[Response]] = {}
    for response in made:
        by_occasion.setdefault(response.occasion, []).append(response)
    occasions = sorted(by_occasion)
    found = groups._item_values(instrument, occasions, by_occasion, bounds)
    # the plain pass: every answer of every response in order, a later one replacing
    expected: dict[str, dict[str, dict]] = {
        item.id: {occasion: {} for occasion in occasions} for item in instrument.items
    }
    for occasion in occasions:
        for response in by_occasion[occasion]:
            for item_id, value in response.answers.items():
                if item_id not in bounds:
                    continue
                low, high = bounds[item_id]
                if value is not None and not isinstance(value, str) and low <= value <= high:
                    expected[item_id][occasion][response.respondent] = value
    assert found == expected
    for item_id, waves in found.items():  # the same order and the answers' own types
        for occasion, values in waves.items():
            assert typed(list(values.items())) == typed(list(expected[item_id][occasion].items()))


PEOPLE = [f"p{i}" for i in range(30)]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.sampled_from(PEOPLE), min_size=1, unique=True),
    st.dictionaries(
        st.sampled_from(PEOPLE), st.tuples(st.sampled_from("xyz"), st.sampled_from("uvw"))
    ),
    st.data(),
)
def test_a_narrowed_partition_equals_one_made_anew(
    base: list[str], known: dict[str, tuple[str, str]], data: st.DataObject
) -> None:
    groups_of = groups._groups_of(
        {
            "cohort": {p: c for p, (c, _) in known.items()},
            "organisation": {p: o for p, (_, o) in known.items()},
        }
    )
    # a subsequence of the base, or any other sequence (reordered, with strangers)
    kept = data.draw(st.lists(st.booleans(), min_size=len(base), max_size=len(base)))
    respondents = data.draw(
        st.one_of(
            st.just(tuple(p for p, keep in zip(base, kept, strict=True) if keep)),
            st.lists(st.sampled_from(PEOPLE), min_size=1, unique=True).map(tuple),
        )
    )
    sets: dict[frozenset[Hashable], frozenset[Hashable]] = {}
    everyone = tuple(base)
    narrowed = groups._narrowed(groups._partition(everyone, groups_of, sets), respondents, sets)
    anew = groups._partition(respondents, groups_of, {})
    position = {p: at for at, p in enumerate(base)}
    is_subsequence = set(respondents) <= set(base) and list(respondents) == sorted(
        respondents, key=position.__getitem__
    )
    if not is_subsequence:
        assert narrowed is None
        return
    assert [part[:4] for part in narrowed] == [part[:4] for part in anew]
    # each group's set is the one shared through ``sets``, as _partition shares it
    assert all(sets[members] is members for _, _, _, members, _ in narrowed)
    # each group's getter gives its respondents' values in their order
    values = {p: float(at) for at, p in enumerate(PEOPLE)}
    for _, _, members, _, values_of in (*narrowed, *anew):
        assert values_of(values) == tuple(map(values.__getitem__, members))

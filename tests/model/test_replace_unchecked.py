"""replace_unchecked: a copy of a model record with some fields replaced, equal to what
attrs.evolve makes from the same (valid) values, without running the checks again."""

from __future__ import annotations

from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from mio_core.model import Participant, Response, Workspace
from mio_core.model.common import replace_unchecked

from ..helpers import same_values
from ..strategies import workspaces


def records(workspace: Workspace) -> list[Any]:
    """Every attrs record of ``workspace``, nested ones too (sessions, goals, ...)."""
    found: list[Any] = []

    def walk(value: Any) -> None:
        if attrs.has(type(value)):
            found.append(value)
            for field in attrs.fields(type(value)):
                walk(getattr(value, field.name))
        elif isinstance(value, tuple):
            for member in value:
                walk(member)

    for field in attrs.fields(Workspace):
        walk(getattr(workspace, field.name))
    return found


def copyable(record: Any) -> bool:
    """Whether ``record`` is of a class replace_unchecked copies (the Instrument, whose hash
    is cached, is not)."""
    try:
        replace_unchecked(record)
    except TypeError:
        return False
    return True


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(workspaces(), st.data())
def test_a_record_with_fields_replaced_equals_what_evolve_makes(
    workspace: Workspace, data: st.DataObject
) -> None:
    found = [r for r in records(workspace) if copyable(r)]
    assume(found)
    record = data.draw(st.sampled_from(found))
    # new values from another record of the same class: valid, in the converters' form
    donor = data.draw(st.sampled_from([r for r in found if type(r) is type(record)]))
    names = data.draw(st.sets(st.sampled_from([f.name for f in attrs.fields(type(record))])))
    changes = {name: getattr(donor, name) for name in names}
    try:
        expected = attrs.evolve(record, **changes)
    except (ValueError, TypeError):
        assume(False)  # a check between fields (a start after the end) the mix fails
    same_values(replace_unchecked(record, **changes), expected)


def test_the_record_copied_is_left_as_it_was() -> None:
    response = Response(respondent="a", instrument="i", occasion="pre", answers={"q1": 3})
    replace_unchecked(response, respondent="b")
    assert response.respondent == "a"


def test_the_copy_shares_the_fields_not_replaced() -> None:
    response = Response(respondent="a", instrument="i", occasion="pre", answers={"q1": 3})
    assert replace_unchecked(response, respondent="b").answers is response.answers


def test_a_name_that_is_not_a_field_is_refused() -> None:
    person = Participant(id="a", name="A", organisation="o", level="operative")
    with pytest.raises(TypeError, match="Participant has no field nickname"):
        replace_unchecked(person, nickname="x")


def test_a_class_with_a_post_init_step_is_refused() -> None:
    @attrs.frozen
    class Computed:
        value: int
        double: int = 0

        def __attrs_post_init__(self) -> None:
            object.__setattr__(self, "double", 2 * self.value)

    with pytest.raises(TypeError, match="not a slotted attrs class made of its fields alone"):
        replace_unchecked(Computed(1), value=2)


def test_a_class_with_a_cached_hash_is_refused() -> None:
    @attrs.frozen(cache_hash=True)
    class Hashed:
        value: int

    with pytest.raises(TypeError, match="not a slotted attrs class made of its fields alone"):
        replace_unchecked(Hashed(1), value=2)


def test_a_class_with_a_private_field_is_refused() -> None:
    # evolve takes a private field by its __init__ name (no underscore), this by its own
    @attrs.frozen
    class Private:
        _value: int

    with pytest.raises(TypeError, match="not a slotted attrs class made of its fields alone"):
        replace_unchecked(Private(1), _value=2)

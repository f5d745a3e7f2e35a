"""The control-character rule's fast path finds exactly what the walk with paths finds."""

from __future__ import annotations

import attrs
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from mio_core.model import Workspace
from mio_core.validate.text_rules import _all_strings, _none_has_control, _texts

from ..strategies import workspaces


def _entities(workspace: Workspace) -> list[object]:
    return [
        workspace.manifest,
        workspace.concept,
        *workspace.organisations,
        *workspace.participants,
        *workspace.coaches,
        *workspace.facilitators,
        *workspace.cohorts,
        *workspace.engagements,
        *workspace.projects,
        *workspace.instruments,
    ]


@settings(max_examples=50, deadline=None)
@given(workspaces())
def test_all_strings_are_the_texts_the_path_walk_yields(workspace: Workspace) -> None:
    entities = _entities(workspace)
    walked = [text for entity in entities for _, text in _texts(entity, ())]
    assert sorted(_all_strings(entities)) == sorted(walked)


@given(
    st.lists(
        st.dictionaries(
            st.text(max_size=3),
            st.none() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
            max_size=4,
        ),
        max_size=5,
    )
)
def test_all_strings_of_answer_sheets_are_their_text_answers(
    sheets: list[dict[str, object]],
) -> None:
    texts = [value for sheet in sheets for value in sheet.values() if isinstance(value, str)]
    assert sorted(_all_strings(list(sheets))) == sorted(texts)


@given(st.lists(st.text(max_size=8), max_size=6))
def test_joined_search_agrees_with_searching_each_text(texts: list[str]) -> None:
    from mio_core.textsafety import has_control_characters

    assert _none_has_control(texts) == (not any(has_control_characters(t) for t in texts))


@given(workspaces(), st.sampled_from(["\u202e", "\x07", "\x1b", "\u2066"]))
@settings(max_examples=30, deadline=None)
def test_a_control_character_in_any_participant_name_is_found(
    workspace: Workspace, control: str
) -> None:
    assume(workspace.participants)
    first = workspace.participants[0]
    named = attrs.evolve(first, name=first.name + control)
    entities = [named, *_entities(workspace)]
    assert not _none_has_control(_all_strings(entities))

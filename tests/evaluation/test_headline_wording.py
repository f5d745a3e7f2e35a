"""The headline names another concept's reaction measure by its own title."""

from __future__ import annotations

import attrs

import mio_core as m
from mio_core.model import Translations, Workspace

from ..helpers import EXAMPLE


def relevance_chart(workspace: Workspace, language: str) -> tuple[str, str]:
    registry = m.load_registry()
    view = m.build_view(m.evaluate(workspace, registry), workspace, registry, language)
    figure = next(f for s in view.sections for f in s.figures if f.id == "headline-relevance")
    return figure.title, figure.sentence


def renamed(workspace: Workspace) -> Workspace:
    """The example with the module evaluation's relevance subscale called 'benefit'."""
    instrument = m.load_registry().instruments_for(workspace)["mio-module-evaluation"]
    subscales = tuple(
        attrs.evolve(s, id="benefit", title=Translations({"en": "Benefit", "sv": "Nytta"}))
        if s.id == "relevance"
        else s
        for s in instrument.subscales
    )
    own = attrs.evolve(instrument, subscales=subscales)
    return attrs.evolve(workspace, instruments=(*workspace.instruments, own))


def test_another_concept_s_reaction_subscale_is_named_by_its_title() -> None:
    # before: "Perceived relevance per module", "... of the answers on relevance ..."
    title, sentence = relevance_chart(renamed(m.load_workspace(EXAMPLE)), "en")
    assert title == "Benefit per module"
    assert " of the answers on Benefit were above the middle of the scale" in sentence


def test_another_concept_s_reaction_subscale_is_named_by_its_title_in_swedish() -> None:
    title, sentence = relevance_chart(renamed(m.load_workspace(EXAMPLE)), "sv")
    assert title == "Nytta per utbildningsdag"
    assert " av svaren om Nytta låg över skalans mitt" in sentence


def test_mio_s_perceived_relevance_keeps_its_wording() -> None:
    title, sentence = relevance_chart(m.load_workspace(EXAMPLE), "en")
    assert title == "Perceived relevance per module"
    assert " of the answers on relevance were above the middle of the scale" in sentence

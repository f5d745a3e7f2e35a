"""The headline names another concept's reaction measure by its own title."""

from __future__ import annotations

import attrs

import mio_core as m
from mio_core.model import ResponseScale, Translations, Workspace
from mio_core.render import format_value

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


def on_eleven_points(workspace: Workspace) -> Workspace:
    """The example with the module evaluation on a 0–10 scale: every answer v becomes 2v
    (2 … 10), "don't know" 99."""
    instrument = m.load_registry().instruments_for(workspace)["mio-module-evaluation"]
    scale = ResponseScale(id="zero-ten", min=0, max=10, missing={99: "Don't know"})
    own = attrs.evolve(instrument, scales=(scale,))

    def doubled(value: object) -> object:
        if value == 9:
            return 99
        return 2 * value if isinstance(value, int) else value

    responses = tuple(
        attrs.evolve(r, answers={k: doubled(v) for k, v in r.answers.items()})
        if r.instrument == "mio-module-evaluation"
        else r
        for r in workspace.responses
    )
    return attrs.evolve(workspace, instruments=(*workspace.instruments, own), responses=responses)


def test_the_share_above_the_middle_of_a_zero_to_ten_scale_counts_six_to_ten() -> None:
    workspace = m.load_workspace(EXAMPLE)
    high = total = 0  # from the original answers: 2v > 5 when v >= 3
    for response in workspace.responses:
        if response.instrument == "mio-module-evaluation":
            for item in ("rel1", "rel2"):
                value = response.answers.get(item)
                if value in (1, 2, 3, 4, 5):
                    total += 1
                    high += value >= 3
    _, sentence = relevance_chart(on_eleven_points(workspace), "en")
    share = format_value(high / total, "share", "en")
    assert sentence.startswith(f"{share} of the answers on relevance were above the middle")

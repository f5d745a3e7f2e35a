"""A readable summary of the evaluation in Markdown (the ``markdown`` export format): the
evaluation view (:func:`~mio_core.evaluation.view.build_view`) laid out by
:func:`~mio_core.render.markdown.render_markdown`."""

from __future__ import annotations

from typing import IO

from ...evaluation.view import build_view
from ...plugins.interfaces import ExportSource
from ...render.markdown import render_markdown

PEOPLE = {
    "en": ("People are pseudonymised.", "People are identified."),
    "sv": ("Personer är pseudonymiserade.", "Personer är identifierade."),
}


def write_markdown(source: ExportSource, stream: IO[str], options: object) -> None:
    """Write the evaluation view: participation, results per level, change, reliability."""
    result = source.evaluation
    if result is None:
        raise ValueError("the markdown summary needs the evaluation (use prepare_source)")
    view = build_view(result, source.workspace, source.registry, source.language)
    people = PEOPLE.get(view.language, PEOPLE["en"])[source.identified]
    render_markdown(view, stream, notes=(people,))

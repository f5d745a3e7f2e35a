"""Markdown layout of the evaluation view (the ``markdown`` export).

Every text passes through :func:`~mio_core.textsafety.markdown_text`, so a title from the
workspace renders as the text it is: never as markup, a link or HTML.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, TYPE_CHECKING

from ..textsafety import markdown_text as _md
from .text import row_texts

if TYPE_CHECKING:
    from ..evaluation.view import EvaluationView, Section, Table


def _table(view: EvaluationView, table: Table) -> Iterator[str]:
    yield f"\n**{_md(table.caption)}**\n\n"
    yield "| " + " | ".join(_md(c.label) for c in table.columns) + " |\n"
    yield "|" + "".join("---:|" if c.kind != "text" else "---|" for c in table.columns) + "\n"
    for row in table.rows:
        cells = row_texts(view, table, row, mark=lambda text: f"*{text}*", escape=_md)
        yield "| " + " | ".join(cells) + " |\n"
    if table.note:
        yield f"\n{_md(table.note)}\n"


def _section(view: EvaluationView, section: Section, depth: int) -> Iterator[str]:
    yield f"\n{'#' * (depth + 2)} {_md(section.title)}\n"
    if section.intro:
        yield f"\n{_md(section.intro)}\n"
    for table in section.tables:
        yield from _table(view, table)
    for figure in section.figures:
        if figure.sentence:
            yield f"\n{_md(figure.sentence)}\n"
        yield f"\n*{_md(figure.alt)}*\n"
    for sub in section.subsections:
        yield from _section(view, sub, depth + 1)


def render_markdown(view: EvaluationView, stream: IO[str], notes: tuple[str, ...] = ()) -> None:
    """Write ``view`` as Markdown: a heading per section (levels by depth), a table per
    table with its caption, and each figure's text alternative; ``notes`` go under the
    title with the view's own."""
    stream.write(f"# {_md(view.title)}\n\n{_md(view.concept)}\n\n")
    stream.write(" ".join(_md(n) for n in (*view.notes, *notes)) + "\n")
    for section in view.sections:
        for chunk in _section(view, section, 0):
            stream.write(chunk)

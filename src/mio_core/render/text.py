"""Plain-text layout: aligned tables, and the evaluation view as ``mio evaluate`` prints it."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Sequence
from typing import TYPE_CHECKING

from ..textsafety import has_control_characters, one_line, show_controls
from .formats import format_value

if TYPE_CHECKING:
    from ..evaluation.view import EvaluationView, Row, Section, Table

PRIMARY = "primary"


def format_table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], right: Collection[int] = ()
) -> str:
    """Return rows under headers in aligned columns; columns in ``right`` align right.

    Each cell stays on its row: a line break or tab in it (a title written over two lines)
    is shown as ``\\u000a`` or ``\\u0009`` (:func:`~mio_core.textsafety.one_line`), so no
    text can move the rest of a row under another row's name.
    """
    every = "".join([*map(str, headers), *(str(cell) for row in rows for cell in row)])
    if "\n" in every or "\t" in every or has_control_characters(every):  # rare: one search
        headers = [one_line(str(cell)) for cell in headers]
        rows = [[one_line(str(cell)) for cell in row] for row in rows]
    widths = [max(len(str(x)) for x in column) for column in zip(headers, *rows, strict=True)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            str(cell).rjust(width) if index in right else str(cell).ljust(width)
            for index, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)])


def suppressed_text(view: EvaluationView, reason: str) -> str:
    """Return what a suppressed cell shows: ``suppressed (n<5)`` for a group below the
    minimum, ``suppressed`` for one hidden to protect another."""
    if reason == PRIMARY:
        return f"{view.suppressed_label} (n<{view.min_group_size})"
    return view.suppressed_label


def row_texts(
    view: EvaluationView,
    table: Table,
    row: Row,
    mark: Callable[[str], str] = str,
    escape: Callable[[str], str] = str,
) -> list[str]:
    """Return a row's cells as text (each through ``escape``): the first suppressed cell
    says so (through ``mark``), the rest are empty."""
    texts = []
    said = False
    for column, cell in zip(table.columns, row.cells, strict=True):
        if cell.suppressed:
            texts.append("" if said else mark(escape(suppressed_text(view, cell.suppressed))))
            said = True
        else:
            texts.append(
                escape(format_value(cell.value, column.kind, view.language, column.digits))
            )
    return texts


def _table(view: EvaluationView, table: Table) -> Iterator[str]:
    yield one_line(table.caption)
    yield format_table(
        [c.label for c in table.columns],
        [row_texts(view, table, row) for row in table.rows],
        right={i for i, c in enumerate(table.columns) if c.kind != "text"},
    )
    if table.note:
        yield table.note


def _section(view: EvaluationView, section: Section, depth: int) -> Iterator[str]:
    title = one_line(section.title)  # a heading stays one line, whatever a title holds
    yield f"\n== {title} ==" if depth == 0 else f"\n{title}"
    if section.intro:
        yield section.intro
    for table in section.tables:
        yield from _table(view, table)
    for figure in section.figures:
        if figure.sentence:
            yield figure.sentence
        yield f"({figure.alt})"
    for sub in section.subsections:
        yield from _section(view, sub, depth + 1)


def render_text(view: EvaluationView) -> str:
    """Return ``view`` as readable text: a heading per section, aligned tables, and each
    figure's text alternative. Control and bidi characters from the workspace are shown as
    ``\\uXXXX``, so nothing printed can move a terminal's cursor or reorder a line."""
    out = [one_line(view.title), one_line(view.concept), *view.notes]
    for section in view.sections:
        out.extend(_section(view, section, 0))
    return show_controls("\n".join(out) + "\n")

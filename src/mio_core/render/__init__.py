"""Renderers of the evaluation view: layout only, never a figure of their own.

:mod:`.formats` writes numbers as people of a language read them; :mod:`.text` lays out a
:class:`~mio_core.evaluation.view.EvaluationView` as plain text (``mio evaluate``) and
:mod:`.markdown` as Markdown (the ``markdown`` export). HTML lives in the mio-report plugin.
"""

from __future__ import annotations

from .formats import format_value, interval, number, p_value, prose_date, share
from .markdown import render_markdown
from .text import format_table, render_text, row_texts, suppressed_text

__all__ = [
    "format_table",
    "format_value",
    "interval",
    "number",
    "p_value",
    "prose_date",
    "render_markdown",
    "render_text",
    "row_texts",
    "share",
    "suppressed_text",
]

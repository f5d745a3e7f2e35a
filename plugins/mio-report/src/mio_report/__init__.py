"""mio-report: a self-contained HTML evaluation report (format ``html``), Swedish or English.

The report lays out mio_core's evaluation view (``mio_core.build_view``) — the same
sections, figures and suppressions as ``mio evaluate`` and the Markdown summary — and adds
only what is its own: the concept, the charts drawn from the view's figures, the methods.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import IO, Any

import mio_core as m
from mio_core.evaluation import EvaluationView, Section, Table
from mio_core.export import generation_time
from mio_core.model import Text, text_in
from mio_core.render import number, row_texts
from mio_core.textsafety import show_controls

from . import charts
from .texts import METHODS, TEXTS

__version__ = "0.1.0"


def number_format(language: str) -> Callable[..., str]:
    """Return a function that writes a number as people of ``language`` read it (3,14 in sv)."""

    def _number(value: float | None, digits: int = 2) -> str:
        return number(value, digits, language)

    return _number


def _table(view: EvaluationView, table: Table) -> dict[str, Any]:
    """A table as the template lays it out: a run of suppressed cells is one cell."""
    rows = []
    for row in table.rows:
        texts = row_texts(view, table, row)
        cells: list[dict[str, Any]] = []
        for column, cell, text in zip(table.columns, row.cells, texts, strict=True):
            if cell.suppressed and cells and cells[-1]["suppressed"]:
                cells[-1]["span"] += 1
                continue
            numeric = column.kind != "text" and not cell.suppressed
            cells.append(
                {"text": text, "numeric": numeric, "suppressed": bool(cell.suppressed), "span": 1}
            )
        rows.append({"suppressed": row.suppressed is not None, "cells": cells})
    return {
        "id": table.id,
        "caption": table.caption,
        "note": table.note,
        "columns": [{"label": c.label, "numeric": c.kind != "text"} for c in table.columns],
        "rows": rows,
    }


def _section(view: EvaluationView, section: Section) -> dict[str, Any]:
    return {
        "id": section.id,
        "title": section.title,
        "intro": section.intro,
        "tables": [_table(view, t) for t in section.tables],
        "figures": [
            {"svg": charts.draw(f, view.suppressed_label, view.language), "alt": f.alt}
            for f in section.figures
        ],
        "subsections": [_section(view, s) for s in section.subsections],
    }


def view_context(view: EvaluationView) -> dict[str, Any]:
    """Return the template's values for a view: its sections (tables, SVG charts) and notes."""
    return {"sections": [_section(view, s) for s in view.sections], "notes": view.notes}


def build_context(source: m.ExportSource) -> dict[str, Any]:
    """Return what the report template shows: the evaluation view's sections as tables and
    SVG charts, and what only the report has (the concept, the methods appendix)."""
    result = source.evaluation
    if result is None:
        raise m.MioError("the HTML report needs the evaluation (use mio_core.prepare_source)")
    language = source.language if source.language in TEXTS else "en"
    t = TEXTS[language]
    workspace = source.workspace
    concept = workspace.concept
    view = m.build_view(result, workspace, source.registry, language)

    def text(value: Text | None) -> str:
        return text_in(value, language)

    organisations = {o.id: o.name for o in workspace.organisations}
    modules = sorted(concept.modules, key=lambda mod: mod.order)
    return {
        "t": t,
        "lang": language,
        "title": view.title,
        "concept": {
            "title": view.concept,
            "purpose": text(concept.purpose),
            "target_group": text(concept.target_group),
            "goals": [
                (
                    t["result_goal"] if g.kind == "result" else t["effect_goal"],
                    text(g.text),
                    text(g.follow_up),
                )
                for g in concept.goals
            ],
            "modules": [(mod.order, text(mod.title), mod.hours) for mod in modules],
            "partners": [
                (organisations.get(p.organisation, p.organisation), p.role.value)
                for p in concept.partners
            ],
        },
        "generated": generation_time().date().isoformat(),  # SOURCE_DATE_EPOCH fixes it
        "identified": source.identified,
        **view_context(view),
        "methods": METHODS[language],
    }


def _visible(value: object) -> object:
    """Every text the template prints: control and bidi-override characters shown as
    ``\\uXXXX`` (autoescaping then escapes the markup). Charts are built escaped."""
    from markupsafe import Markup

    if isinstance(value, str) and not isinstance(value, Markup):
        return show_controls(value)
    return value


def write_report(source: m.ExportSource, stream: IO[str], options: object) -> None:
    """Write the report as one HTML file with its CSS and SVG charts inline."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    environment = Environment(
        loader=PackageLoader("mio_report", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        finalize=_visible,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    template = environment.get_template("report.html.j2")
    for chunk in template.generate(**build_context(source)):
        stream.write(chunk)


HTML = m.Exporter(
    name="html",
    title="Evaluation report (HTML)",
    suffix=".html",
    media_type="text/html",
    write=write_report,
    description="a self-contained report in Swedish or English with SVG charts; "
    "small groups are shown as suppressed",
)


@m.hookimpl
def mio_register_exporters() -> list[m.Exporter]:
    return [HTML]

"""mio-report: a self-contained HTML evaluation report (format ``html``), Swedish or English.

The report lays out mio_core's evaluation view (``mio_core.build_view``) — the same
sections, figures and suppressions as ``mio evaluate`` and the Markdown summary — and adds
only what is its own: the concept, the charts drawn from the view's figures, the methods.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import IO, Any

import attrs

import mio_core as m
from mio_core.evaluation import EvaluationView, Section, Table
from mio_core.export import generation_date
from mio_core.model import Text, text_in
from mio_core.render import number, prose_date, row_texts
from mio_core.textsafety import show_controls

from . import charts
from .texts import METHODS, ROLES, TEXTS

__version__ = "0.1.0"


def number_format(language: str) -> Callable[..., str]:
    """Return a function that writes a number as people of ``language`` read it (3,14 in sv)."""

    def _number(value: float | None, digits: int = 2) -> str:
        return number(value, digits, language)

    return _number


@attrs.frozen(kw_only=True)
class ReportOptions:
    """Options of the html format: whom the report is for."""

    #: an organisation's id: its managers' groups beside the whole programme
    organisation: str = ""
    #: a cohort's id: that cohort beside the whole programme
    cohort: str = ""


def _table(view: EvaluationView, table: Table, split: bool = True) -> dict[str, Any]:
    """A table as the template lays it out: a run of suppressed cells is one cell; rows of
    one group (not the total) go behind a disclosure when the table has a group column."""
    rows = []
    group = next((i for i, c in enumerate(table.columns) if c.key == "group"), None)
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
        detail = split and group is not None and row.cells[group].value != view.total_label
        rows.append(
            {
                "suppressed": row.suppressed is not None,
                "cells": cells,
                "detail": detail,
                "part": row.part,
            }
        )
    if all(r["detail"] for r in rows):  # no total to show first: the table as it is
        for r in rows:
            r["detail"] = False
    return {
        "id": table.id,
        "caption": table.caption,
        "note": table.note,
        "columns": [{"label": c.label, "numeric": c.kind != "text"} for c in table.columns],
        "rows": [r for r in rows if not r["detail"]],
        "detail_rows": [r for r in rows if r["detail"]],
        "parts": _parts([r for r in rows if r["detail"]], group or 0),
        "detail_columns": [
            {"label": c.label, "numeric": c.kind != "text"} for c in table.columns[group or 0 :]
        ],
    }


Runs = list[tuple[str, list[dict[str, Any]]]]


def _parts(rows: list[dict[str, Any]], group: int) -> list[tuple[str, Runs, int]]:
    """Detail rows grouped by their part of the programme (a county), in order of its name
    (å, ä, ö last, as in Swedish); one unnamed part when the rows have none. Within a part,
    consecutive rows with the same labels before the group column (occasion, subscale) are
    one run under a heading naming them, each row keeping only its group and figures — at
    national size the labels repeated on every row were a third of the report."""
    parts: dict[str, Runs] = {}
    for row in rows:
        runs = parts.setdefault(row["part"], [])
        heading = " · ".join(cell["text"] for cell in row["cells"][:group])
        short = {**row, "cells": row["cells"][group:]}
        if runs and runs[-1][0] == heading:
            runs[-1][1].append(short)
        else:
            runs.append((heading, [short]))
    return [
        (part, runs, sum(len(run) for _, run in runs))
        for part, runs in sorted(parts.items(), key=lambda item: item[0].casefold())
    ]


def _section(view: EvaluationView, section: Section, split: bool = True) -> dict[str, Any]:
    return {
        "id": section.id,
        "title": section.title,
        "intro": section.intro,
        "tables": [_table(view, t, split) for t in section.tables],
        "figures": [
            {
                "svg": charts.draw(f, view.suppressed_label, view.language),
                "alt": f.alt,
                "title": f.title,
                "sentence": f.sentence,
                "id": f.id,
            }
            for f in section.figures
        ],
        "subsections": [_section(view, s, split) for s in section.subsections],
    }


def view_context(view: EvaluationView, split: bool = True) -> dict[str, Any]:
    """Return the template's values for a view: the headline section (if any) apart, the
    other sections (tables, SVG charts), and the notes. With ``split`` the rows of single
    groups go behind a disclosure under each table's totals (a reader's report keeps its
    own group beside the total)."""
    sections = [_section(view, s, split) for s in view.sections]
    headline = next((s for s in sections if s["id"] == "headline"), None)
    return {
        "headline": headline,
        "sections": [s for s in sections if s["id"] != "headline"],
        "notes": view.notes,
    }


def build_context(source: m.ExportSource, options: ReportOptions | None = None) -> dict[str, Any]:
    """Return what the report template shows: the evaluation view's sections as tables and
    SVG charts, and what only the report has (the concept, the methods appendix).

    With ``options.organisation`` or ``options.cohort`` the report is that reader's: its
    own groups beside the programme's totals (see :func:`mio_core.build_view`)."""
    options = options or ReportOptions()
    result = source.evaluation
    if result is None:
        raise m.MioError("the HTML report needs the evaluation (use mio_core.prepare_source)")
    language = source.language if source.language in TEXTS else "en"
    t = TEXTS[language]
    workspace = source.workspace
    concept = workspace.concept
    try:
        view = m.build_view(
            result,
            workspace,
            source.registry,
            language,
            organisation=options.organisation,
            cohort=options.cohort,
        )
    except ValueError as exc:
        raise m.MioError(f"the HTML report: {exc}") from None

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
                (
                    organisations.get(p.organisation, p.organisation),
                    ROLES[language].get(p.role.value, p.role.value),
                )
                for p in concept.partners
            ],
        },
        "generated": prose_date(generation_date(), language),  # SOURCE_DATE_EPOCH fixes it
        "identified": source.identified,
        "reader": bool(options.organisation or options.cohort),
        **view_context(view, split=not (options.organisation or options.cohort)),
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
    chosen = options if isinstance(options, ReportOptions) else None
    for chunk in template.generate(**build_context(source, chosen)):
        stream.write(chunk)


HTML = m.Exporter(
    name="html",
    title="Evaluation report (HTML)",
    suffix=".html",
    media_type="text/html",
    write=write_report,
    options_type=ReportOptions,
    description="a self-contained report in Swedish or English with SVG charts; "
    "small groups are shown as suppressed; --option organisation=ID or cohort=ID "
    "makes one reader's report",
)


@m.hookimpl
def mio_register_exporters() -> list[m.Exporter]:
    return [HTML]

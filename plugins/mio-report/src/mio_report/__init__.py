"""mio-report: a self-contained HTML evaluation report (format ``html``), Swedish or English."""

from __future__ import annotations

from collections.abc import Callable
from typing import IO, Any

import mio_core as m
from mio_core.evaluation import EvaluationResult, coaching_summary, instruments_by_level
from mio_core.export import generation_time
from mio_core.model import Text, text_in
from mio_core.textsafety import show_controls

from . import charts
from .texts import METHODS, TEXTS

__version__ = "0.1.0"


def number_format(language: str) -> Callable[..., str]:
    """Return a function that writes a number as people of ``language`` read it (3,14 in sv)."""
    decimal = "," if language == "sv" else "."

    def number(value: float | None, digits: int = 2) -> str:
        return "–" if value is None else f"{value:.{digits}f}".replace(".", decimal)

    return number


def _relevance(source: m.ExportSource, result: EvaluationResult, t: dict[str, str]) -> str | None:
    """Diverging stacked bars of the relevance items per module, or None if not answered."""
    instruments = source.instruments()
    concept = source.workspace.concept
    for instrument_id in sorted({g.instrument for g in result.groups if g.module}):
        instrument = instruments[instrument_id]
        if not instrument.subscales:
            continue
        subscale = next(
            (s for s in instrument.subscales if s.id == "relevance"), instrument.subscales[0]
        )
        scale = instrument.scale_of(instrument.item(subscale.items[0]))  # type: ignore[arg-type]
        if scale is None:
            continue
        options = list(range(scale.min, scale.max + 1))
        rows = []
        for module in sorted(concept.modules, key=lambda mod: mod.order):
            groups = [
                g
                for g in result.groups
                if g.instrument == instrument_id
                and g.module == module.id
                and g.group_by == "all"
                and g.measure_kind == "item"
                and g.measure in subscale.items
            ]
            if not groups:
                continue
            if any(g.summary is None for g in groups):
                rows.append((text_in(module.title, source.language), None))
                continue
            counts = [0] * len(options)
            for g in groups:
                assert g.summary is not None
                for value, count in g.summary.distribution:
                    counts[options.index(value)] += count
            rows.append((text_in(module.title, source.language), counts))
        if rows:
            labels = [text_in(scale.label(v), source.language) or str(v) for v in options]
            return charts.diverging_bars(rows, labels, t["relevance"], t["suppressed"])
    return None


def build_context(source: m.ExportSource) -> dict[str, Any]:
    """Return everything the report template shows, as plain values and SVG strings."""
    result = source.evaluation
    if result is None:
        raise m.MioError("the HTML report needs the evaluation (use mio_core.prepare_source)")
    language = source.language if source.language in TEXTS else "en"
    _number = number_format(language)
    t = TEXTS[language]
    workspace = source.workspace
    concept = workspace.concept
    instruments = source.instruments()

    def text(value: Text | None) -> str:
        return text_in(value, language)

    organisations = {o.id: o.name for o in workspace.organisations}
    modules = sorted(concept.modules, key=lambda mod: mod.order)
    module_titles = {mod.id: text(mod.title) for mod in modules}
    # over every cohort; a suppressed module shows no counts
    attendance_rows = [
        (
            module_titles.get(a.module, a.module),
            t["suppressed"] if a.attended is None else a.attended,
            "" if a.participants is None else a.participants,
            a.rate,
        )
        for a in result.attendance
        if a.cohort == "all"
    ]
    attendance_chart = (
        charts.bars(
            [(label, rate) for label, _, _, rate in attendance_rows if rate is not None],
            t["attendance"],
            percent=True,
        )
        if any(rate is not None for *_, rate in attendance_rows)
        else None
    )

    levels = []
    for level, at_level in instruments_by_level(result, instruments):
        blocks = []
        for instrument_id in at_level:
            instrument = instruments[instrument_id]
            titles = {s.id: text(s.title) for s in instrument.subscales}
            rows = []
            for g in result.groups:
                if g.instrument != instrument_id or g.measure_kind != "subscale":
                    continue
                if g.group_by not in ("all", "cohort"):
                    continue
                s = g.summary
                rows.append(
                    {
                        "occasion": g.occasion,
                        "subscale": titles.get(g.measure, g.measure),
                        "group": t["all"] if g.group_by == "all" else g.group,
                        "suppressed": g.suppressed is not None,
                        "n": s.n if s else None,
                        "mean": _number(s.mean) if s else "",
                        "sd": _number(s.sd) if s else "",
                        "ci": f"{_number(s.ci_low)}–{_number(s.ci_high)}"
                        if s and s.ci_low is not None
                        else "–",
                    }
                )
            changes = [c for c in result.changes if c.instrument == instrument_id]
            change_rows = [
                {
                    "subscale": titles.get(c.subscale, c.subscale),
                    "before": c.before,
                    "after": c.after,
                    "suppressed": c.suppressed is not None,
                    "pairs": c.n_pairs,
                    "mean_before": _number(c.mean_before),
                    "mean_after": _number(c.mean_after),
                    "difference": _number(c.mean_difference),
                    "ci": f"{_number(c.ci_low)}–{_number(c.ci_high)}",
                    "d_z": _number(c.d_z),
                    "p": "<" + _number(0.001, 3)
                    if c.wilcoxon_p is not None and c.wilcoxon_p < 0.001
                    else _number(c.wilcoxon_p, 3),
                }
                for c in changes
            ]
            shown = [c for c in changes if not c.suppressed and c.mean_before is not None]
            change_chart = (
                charts.change_plot(
                    [
                        (
                            f"{titles.get(c.subscale, c.subscale)} ({c.after})",
                            c.mean_before,
                            c.mean_after,
                            c.ci_low,
                            c.ci_high,
                        )
                        for c in shown
                    ],  # type: ignore[misc]
                    t["change"],
                    (t["before"], t["after"]),
                )
                if shown
                else None
            )
            blocks.append(
                {
                    "id": instrument_id,
                    "title": text(instrument.title),
                    "description": text(instrument.description),
                    "rows": rows,
                    "changes": change_rows,
                    "change_chart": change_chart,
                }
            )
        if blocks:
            levels.append({"code": level.code, "name": level.value, "blocks": blocks})

    coaching = coaching_summary(result)
    coaching_text = (
        t["suppressed"]
        if coaching["participants"] is None
        else t["coaching_dose"].format(
            p=coaching["participants"],
            s=_number(coaching["sessions_mean"], 1),
            h=_number(coaching["hours_mean"], 1),
            m=_number(coaching["hours_median"], 1),
            z=coaching["without_coaching"],
        )
    )
    gas_text = (
        t["gas_suppressed"].format(n=result.min_group_size)
        if coaching["gas_suppressed"]
        else t["gas"].format(
            b=_number(coaching["gas_baseline_mean"], 1),
            a=_number(coaching["gas_attainment_mean"], 1),
            n=coaching["gas_engagements"],
        )
    )
    participation = result.participation
    lifecycle = source.registry.lifecycles.get(concept.lifecycle)
    stage_titles = {s.id: text(s.title) for s in lifecycle.stages} if lifecycle else {}
    projects_chart = (
        charts.bars(
            [
                (stage_titles.get(c.category, c.category), c.count)
                for c in participation.projects_by_stage
            ],
            t["by_stage"],
        )
        if workspace.projects
        else None
    )
    facet_chart = (
        charts.bars([(c.category, c.count) for c in participation.projects_by_facet], t["by_facet"])
        if workspace.projects
        else None
    )
    outcome_chart = (
        charts.bars([(c.category, c.count) for c in participation.outcomes_by_level], t["outcomes"])
        if any(c.count for c in participation.outcomes_by_level)
        else None
    )

    return {
        "t": t,
        "lang": language,
        "title": text(workspace.manifest.title),
        "concept": {
            "title": text(concept.title),
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
        "min_group_size": result.min_group_size,
        "cohorts": [
            (
                c.id,
                text(c.title) or c.id,
                organisations.get(c.delivered_by, c.delivered_by),
                f"{c.start.isoformat()} – {c.end.isoformat()}",
                len(c.participants),
            )
            for c in workspace.cohorts
        ],
        "attendance": [
            (label, a, e, f"{rate:.0%}" if rate is not None else "–")
            for label, a, e, rate in attendance_rows
        ],
        "attendance_chart": attendance_chart,
        "relevance_chart": _relevance(source, result, t),
        "levels": levels,
        "coaching_text": coaching_text,
        "gas_text": gas_text,
        "projects_chart": projects_chart,
        "facet_chart": facet_chart,
        "outcome_chart": outcome_chart,
        "projects_total": len(workspace.projects),
        "reliability": [
            (
                r.instrument,
                r.occasion,
                r.subscale,
                r.items,
                None if r.suppressed else r.n,
                _number(r.alpha),
            )
            for r in result.reliability
        ],
        "response_rates": [
            (
                r.instrument,
                r.occasion,
                r.cohort,
                r.expected,
                r.answered,
                f"{r.rate:.0%}" if r.rate is not None else "–",
            )
            for r in result.response_rates
        ],
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

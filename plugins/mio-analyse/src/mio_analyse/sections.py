"""The analyses as a section of the evaluation view: opt-in, ``--plugin mio_analyse.sections``.

Loaded as a plugin (``mio --plugin mio_analyse.sections evaluate DIR``, the same for
``mio export --format markdown`` or ``html``), this module adds one section, "Statistical
analyses", through the hook ``mio_report_sections``: the figures of ``mio analyse``, run on
the workspace without the managers who refused research use, each kind of analysis a table
with its assumptions in one sentence, and every analysis over fewer managers than the
minimum group size suppressed by :func:`mio_core.evaluation.disclosure.audit`.

It is opt-in because fitting the mixed models takes seconds where the rest of the
evaluation takes a fraction of one (docs/research.md gives the timings); a local plugin is
never cached, so turning it on or off never shows a stale report.
From Python: :func:`analysis_section` gives the section for ``build_view(...,
extra_sections=...)``.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping

import mio_core as m
from mio_core.evaluation import (
    AuditCell,
    Column,
    EvaluationView,
    Facet,
    Row,
    Section,
    Table,
    ViewCell,
    audit,
)
from mio_core.model import Workspace
from mio_core.privacy import without_research_refusals

from . import models
from .data import POST, PRE, Scores, subscale_scores
from .report import KINDS, AnalysisReport, analyse_workspace

SECTION_ID = "mio-analyse"

WORDS = {
    "en": {
        "title": "Statistical analyses",
        "intro": (
            "The models of mio analyse, on the managers who allow research use "
            "(research_consent); no estimate per municipality. An analysis over fewer than "
            "{k} managers is suppressed."
        ),
        "subscale": "Instrument / subscale",
        "term": "Term",
        "estimate": "Estimate",
        "ci": "95 % CI",
        "p": "p",
        "p_holm": "p (Holm)",
        "n": "n",
        "note": "Note",
        "assumes": "Assumes: ",
        "gain": "Change from pre (linear mixed model)",
        "icc": "Municipality ICC at baseline",
        "dose": "Dose-response: change per coaching hour",
        "attrition": "Attrition: baseline of those who left minus those who stayed",
        "persistence": "Persistence: follow-up minus post",
    },
    "sv": {
        "title": "Statistiska analyser",
        "intro": (
            "Modellerna i mio analyse, på de chefer som medger forskningsanvändning "
            "(research_consent); inga skattningar per kommun. En analys av färre än {k} "
            "chefer döljs."
        ),
        "subscale": "Instrument / delskala",
        "term": "Term",
        "estimate": "Skattning",
        "ci": "95 % KI",
        "p": "p",
        "p_holm": "p (Holm)",
        "n": "n",
        "note": "Anmärkning",
        "assumes": "Antar: ",
        "gain": "Förändring från före (linjär blandad modell)",
        "icc": "Kommunernas ICC vid start",
        "dose": "Dos–respons: förändring per coachningstimme",
        "attrition": "Bortfall: startvärde för de som lämnade minus de som stannade",
        "persistence": "Bestående: uppföljning minus efter",
    },
}

#: What each model assumes, in one sentence (docs/research.md and ``mio analyse`` say more).
ASSUMES = {
    "en": {
        "gain": "normal random intercepts per municipality and manager, the same change "
        "everywhere, and answers missing at random (Wald 95 % CI).",
        "icc": "normal random intercepts per municipality and residuals; imprecise with few "
        "municipalities, so no CI.",
        "dose": "a linear dose effect among completers, adjusted for baseline, with hours not "
        "chosen because of the expected change.",
        "attrition": "independent managers with unequal variances (Welch); clustering in "
        "municipalities is ignored.",
        "persistence": "normal random intercepts per municipality among those who answered "
        "post and follow-up, missing at random.",
    },
    "sv": {
        "gain": "normalfördelade slumpintercept per kommun och chef, samma förändring "
        "överallt och bortfall slumpmässigt givet svaren (Wald 95 % KI).",
        "icc": "normalfördelade slumpintercept per kommun och residualer; osäker med få "
        "kommuner, därför inget KI.",
        "dose": "en linjär doseffekt bland de som svarat båda gångerna, justerad för "
        "startvärdet, där timmarna inte valts efter väntad förändring.",
        "attrition": "oberoende chefer med olika varianser (Welch); klustringen i kommuner "
        "beaktas inte.",
        "persistence": "normalfördelade slumpintercept per kommun bland de som svarat efter "
        "och vid uppföljning, bortfall slumpmässigt.",
    },
}


def _members(scores: Scores, kind: str) -> tuple[frozenset[str], ...]:
    """The manager sets an analysis of ``kind`` is computed over (one facet each)."""
    occasions = scores.by_occasion
    pre, post = set(occasions[PRE]), set(occasions[POST])
    later = set(occasions[scores.follow_up]) if scores.follow_up else set()
    if kind == "gain":
        return (frozenset(pre | post | later),)
    if kind == "icc":
        return (frozenset(pre),)
    if kind == "dose":
        return (frozenset(pre & post),)
    if kind == "attrition":
        return (frozenset(pre - post), frozenset(pre & post))
    return (frozenset(post & later),)  # persistence


def suppressed(
    workspace: Workspace, registry: m.Registry, min_group_size: int
) -> dict[Hashable, str]:
    """Return the analyses ``(kind, instrument, subscale)`` the disclosure audit suppresses.

    Each analysis is a cell whose facets are the manager sets it is computed over (the
    attrition analysis has two: those who left and those who stayed). A model estimate is
    not a sum, so no difference of two estimates gives a small group's total: each cell is
    its own family and only the primary rule (1 … k−1 managers) applies.
    """
    cells = []
    for scores in subscale_scores(workspace, registry):
        for kind in KINDS:
            key = (kind, scores.instrument, scores.subscale)
            cells.append(
                AuditCell(
                    key=key,
                    facets=tuple(Facet(family=key, members=s) for s in _members(scores, kind)),
                )
            )
    return audit(cells, min_group_size)


def _finite(value: float | None) -> float | None:
    """A figure as shown: none (–) for NaN, which d_z of changes without spread and p of a
    model without standard errors are (shown as "nan" before)."""
    return value if value is not None and math.isfinite(value) else None


def _rows(analysis: models.Analysis, hidden: str | None) -> list[Row]:
    name = f"{analysis.instrument} / {analysis.subscale}"
    if hidden:
        cells = [ViewCell(value=name)] + [ViewCell(suppressed=hidden)] * 7
        return [Row(cells=tuple(cells))]
    figures: list[tuple[str, float | None, tuple[float, float] | None, float | None, float | None]]
    figures = [
        (
            e.term,
            _finite(e.estimate),
            (e.ci_low, e.ci_high) if math.isfinite(e.ci_low + e.ci_high) else None,
            _finite(e.p),
            _finite(e.p_holm),
        )
        for e in analysis.estimates
    ]
    for statistic in ("icc", "d_z", "d_av"):
        if statistic in analysis.statistics:
            figures.append((statistic, _finite(analysis.statistics[statistic]), None, None, None))
    note = "; ".join(analysis.notes)
    if analysis.withheld:
        return [
            Row(
                cells=(
                    ViewCell(value=name),
                    *(ViewCell() for _ in range(5)),
                    ViewCell(value=analysis.n_managers),
                    ViewCell(value=analysis.withheld),
                )
            )
        ]
    return [
        Row(
            cells=(
                ViewCell(value=name if index == 0 else ""),
                ViewCell(value=term),
                ViewCell(value=estimate),
                ViewCell(value=ci),
                ViewCell(value=p),
                ViewCell(value=p_holm),
                ViewCell(value=analysis.n_managers),
                ViewCell(value=note if index == 0 else ""),
            )
        )
        for index, (term, estimate, ci, p, p_holm) in enumerate(figures)
    ]


def report_section(
    report: AnalysisReport, hidden: Mapping[Hashable, str], language: str
) -> Section:
    """Return ``report`` as the view's section; analyses in ``hidden`` are suppressed."""
    words = WORDS.get(language, WORDS["en"])
    assumes = ASSUMES.get(language, ASSUMES["en"])
    columns = (
        Column(key="subscale", label=words["subscale"]),
        Column(key="term", label=words["term"]),
        Column(key="estimate", label=words["estimate"], kind="number", digits=3),
        Column(key="ci", label=words["ci"], kind="interval", digits=3),
        Column(key="p", label=words["p"], kind="p"),
        Column(key="p_holm", label=words["p_holm"], kind="p"),
        Column(key="n", label=words["n"], kind="count"),
        Column(key="note", label=words["note"]),
    )
    tables = []
    for kind in KINDS:
        rows = [
            row
            for a in report.analyses
            if a.kind == kind
            for row in _rows(a, hidden.get((a.kind, a.instrument, a.subscale)))
        ]
        tables.append(
            Table(
                id=f"{SECTION_ID}-{kind}",
                caption=words[kind],
                columns=columns,
                rows=tuple(rows),
                note=words["assumes"] + assumes[kind],
            )
        )
    return Section(
        id=SECTION_ID,
        title=words["title"],
        intro=words["intro"].format(k=report.min_group_size),
        tables=tuple(tables),
    )


def analysis_section(
    workspace: Workspace,
    registry: m.Registry | None = None,
    *,
    language: str = "",
    min_group_size: int | None = None,
) -> Section:
    """Return the analyses of ``workspace`` (without research refusals) as a view section."""
    registry = registry or m.load_registry()
    research = without_research_refusals(workspace)
    smallest = min_group_size or workspace.manifest.privacy.min_group_size
    report = analyse_workspace(research, registry, min_group_size=smallest)
    hidden = suppressed(research, registry, smallest)
    return report_section(report, hidden, language or workspace.manifest.language)


@m.hookimpl
def mio_report_sections(workspace: Workspace, language: str, view: EvaluationView) -> list[Section]:
    """The analyses section, when this module is loaded as a plugin."""
    return [analysis_section(workspace, language=language, min_group_size=view.min_group_size)]

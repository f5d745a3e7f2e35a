"""Running every analysis on a workspace, and the result as text or JSON."""

from __future__ import annotations

import json
import math
from typing import Any

import attrs

import mio_core as m
from mio_core.model import Workspace, text_in
from mio_core.render import number

from . import models
from .data import managers, subscale_scores

KINDS = ("gain", "icc", "dose", "attrition", "persistence")


@attrs.frozen(kw_only=True)
class AnalysisReport:
    """Every analysis of a workspace, with the assumptions each makes."""

    title: str
    min_group_size: int
    analyses: tuple[models.Analysis, ...]
    assumptions: dict[str, str] = attrs.field(factory=lambda: dict(models.ASSUMPTIONS))

    def find(self, kind: str, instrument: str, subscale: str) -> models.Analysis:
        """Return the analysis ``kind`` of one subscale (KeyError when there is none)."""
        for analysis in self.analyses:
            if (analysis.kind, analysis.instrument, analysis.subscale) == (
                kind,
                instrument,
                subscale,
            ):
                return analysis
        raise KeyError((kind, instrument, subscale))


def analyse_workspace(
    workspace: Workspace, registry: m.Registry, *, min_group_size: int | None = None
) -> AnalysisReport:
    """Return every analysis of every subscale answered before and after in ``workspace``.

    Analyses the workspace as given: for a publication pass a research export's workspace
    (:func:`analyse_source`, :func:`analyse_folder`), which has only consenting managers.
    ``min_group_size`` defaults to the workspace's own.
    """
    smallest = min_group_size or workspace.manifest.privacy.min_group_size
    people = managers(workspace)
    found: list[models.Analysis] = []
    for scores in subscale_scores(workspace, registry):
        for kind in KINDS:
            found.append(getattr(models, kind)(scores, people, smallest))
    return AnalysisReport(
        title=text_in(workspace.manifest.title, workspace.manifest.language),
        min_group_size=smallest,
        analyses=tuple(models.with_holm(found)),
    )


def analyse_source(source: m.ExportSource) -> AnalysisReport:
    """Return the analyses of a research export's source (refused for an identified one)."""
    if source.identified:
        raise m.MioError(
            "the analyses are run on a research (pseudonymised) export only: leave out "
            "--identified, so that managers who refused research use are left out"
        )
    return analyse_workspace(source.workspace, source.registry)


def analyse_folder(
    path: str, registry: m.Registry | None = None, *, key_file: str | None = None
) -> AnalysisReport:
    """Return the analyses of the workspace folder ``path``, as its research export has it."""
    registry = registry or m.load_registry()
    workspace = m.load_workspace(path)
    return analyse_source(
        m.prepare_source(workspace, registry, identified=False, key_file=key_file)
    )


def _clean(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def to_json(report: AnalysisReport) -> str:
    """Return the report as JSON (non-finite numbers as null)."""
    return json.dumps(_clean(attrs.asdict(report)), ensure_ascii=False, indent=2) + "\n"


def _number(value: float | None, digits: int = 3) -> str:
    # rounded half up from the decimal value, without a minus on a zero, as mio evaluate
    # shows figures (f"{0.0625:.3f}" is 0.062 and f"{-0.0001:.3f}" is -0.000)
    return "–" if value is None or not math.isfinite(value) else number(value, digits, "en")


def _p(value: float | None) -> str:
    if value is None or not math.isfinite(value):  # NaN: a model without standard errors
        return "–"
    return "<.001" if value < 0.001 else number(value, 3, "en")


TITLES = {
    "gain": "Change from pre (linear mixed model)",
    "icc": "Municipality ICC at baseline",
    "dose": "Dose-response: change per coaching hour",
    "attrition": "Attrition: baseline of those who left minus those who stayed",
    "persistence": "Persistence: follow-up minus post",
}


def to_text(report: AnalysisReport) -> str:
    """Return the report as plain text tables, each with its assumptions."""
    lines = [
        f"Analyses of {report.title}",
        f"(research export; no group under {report.min_group_size} managers reported; "
        "no estimate per municipality)",
    ]
    for kind in KINDS:
        lines += ["", TITLES[kind], "=" * len(TITLES[kind])]
        header = f"{'instrument / subscale':42} {'term':18} {'est':>7} {'95 % CI':>17} "
        header += f"{'p':>6} {'p_holm':>6} {'n':>5}"
        lines.append(header)
        for a in (a for a in report.analyses if a.kind == kind):
            name = f"{a.instrument} / {a.subscale}"[:42]
            if a.withheld:
                lines.append(f"{name:42} withheld: {a.withheld}")
                continue
            for e in a.estimates:
                ci = f"[{_number(e.ci_low)}, {_number(e.ci_high)}]"
                lines.append(
                    f"{name:42} {e.term:18} {_number(e.estimate):>7} {ci:>17} "
                    f"{_p(e.p):>6} {_p(e.p_holm):>6} {a.n_managers:>5}"
                )
                name = ""
            if not a.estimates:
                lines.append(f"{name:42} (no model terms; n = {a.n_managers})")
            extra = ", ".join(
                f"{k} {_number(v, 0 if k in ('completers', 'left', 'stayed') else 3)}"
                for k, v in a.statistics.items()
            )
            if extra:
                lines.append(f"{'':42} {extra}")
            for note in a.notes:
                lines.append(f"{'':42} note: {note}")
        lines.append(f"Assumes: {report.assumptions[kind]}")
    lines += ["", f"Multiplicity: {report.assumptions['holm']}"]
    return "\n".join(lines) + "\n"

"""mio-docx: the funder's report as a Word document, from a template the user can replace.

``mio export DIR --format docx --out report.docx`` writes the concept's goals (each with
its indicator, target and value), participation (participant-hours per organisation and
response rates), results per evaluation level, innovation projects and reach by
municipality. Every figure is a value of a row of the tidy export (:func:`mio_core.export.
tables`), or a count of its rows (projects per stage), formatted as ``mio evaluate`` does.

The template (``--option template=PATH``; default: the one shipped for the export's
language, Swedish or English) gives the styles, headers and footers and the text around
the report. In its paragraphs ``{{title}}``, ``{{concept}}``, ``{{date}}`` and
``{{people}}`` are replaced by the workspace's title, the concept's title, the generation
date and whether people are pseudonymised; the paragraph ``{{body}}`` is where the report
goes (at the end when there is none). Workspace text is only ever written as the text of a
run: never a field code, a hyperlink or a macro, and control characters show as
``\\uXXXX``.
"""

from __future__ import annotations

import contextlib
import io
import zipfile
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import IO, Any

import attrs

import mio_core as m
from mio_core.export import tables
from mio_core.model import EvaluationLevel, text_in
from mio_core.render import format_value
from mio_core.textsafety import show_controls

__version__ = "0.1.0"

__all__ = ["DOCX", "DocxOptions", "default_template", "write_docx"]

PLACEHOLDERS = ("title", "concept", "date", "people")
BODY = "{{body}}"

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "results_by_level": "Results per evaluation level",
        "reach": "Reach by municipality",
        "municipality": "Municipality",
        "scb_code": "SCB code",
        "change": "Change before to after",
        "pairs": "Pairs",
        "no_goals": "No goal of the concept names an indicator.",
        "no_results": "No results at this level.",
        "pseudonymised": "People are pseudonymised.",
        "identified": "People are identified.",
    },
    "sv": {
        "results_by_level": "Resultat per utvärderingsnivå",
        "reach": "Räckvidd per kommun",
        "municipality": "Kommun",
        "scb_code": "SCB-kod",
        "change": "Förändring före till efter",
        "pairs": "Par",
        "no_goals": "Inget av konceptets mål anger en indikator.",
        "no_results": "Inga resultat på den här nivån.",
        "pseudonymised": "Personer är pseudonymiserade.",
        "identified": "Personer är identifierade.",
    },
}


@attrs.frozen(kw_only=True)
class DocxOptions:
    """``--option template=PATH``: a .docx to build the report from (default: the shipped
    template in the export's language)."""

    template: str | None = None


def default_template(language: str) -> Path:
    """Return the shipped template for ``language`` (Swedish or English; others: English)."""
    name = f"report-{language if language in ('sv', 'en') else 'en'}.docx"
    return Path(str(resources.files(__name__).joinpath("templates", name)))


def _text(value: Any) -> str:
    """Workspace text as it may stand in a run: control characters shown as \\uXXXX."""
    return show_controls("" if value is None else str(value))


class _Report:
    """Lays the tidy tables out in a python-docx document."""

    def __init__(self, document: Any, source: m.ExportSource) -> None:
        from mio_core.evaluation import words_for

        self.document = document
        self.source = source
        self.language = source.language
        self.words = {**words_for(self.language), **WORDS.get(self.language, WORDS["en"])}
        self.workspace = source.workspace
        self.rows = {
            t.name: [
                dict(zip([f.name for f in t.fields], row, strict=True)) for row in t.rows(source)
            ]
            for t in tables(source)
        }
        concept = self.workspace.concept
        self.modules = {mod.id: self.label(mod.title) or mod.id for mod in concept.modules}
        self.organisations = {o.id: o for o in self.workspace.organisations}
        self.cohorts = {c.id: self.label(c.title) or c.id for c in self.workspace.cohorts}
        self.instruments = source.instruments()
        self.indicators = {i.name: i for i in source.registry.indicators.values()}

    def w(self, key: str) -> str:
        return self.words.get(key, key)

    def label(self, value: Any) -> str:
        return _text(text_in(value, self.language)) if value is not None else ""

    def figure(self, value: Any, kind: str, digits: int = 2) -> str:
        return format_value(value, kind, self.language, digits)

    def occasion(self, occasion: str) -> str:
        if occasion in ("pre", "post"):
            return self.w(occasion)
        if occasion.startswith("module:"):
            module = occasion.split(":", 1)[1]
            return self.modules.get(module, module)
        if occasion.startswith("follow-up:"):
            return self.w("follow-up").format(months=occasion.split(":", 1)[1].removesuffix("m"))
        return occasion

    def organisation(self, organisation: str) -> str:
        if organisation == "all":
            return self.w("all")
        found = self.organisations.get(organisation)
        return _text(found.name) if found is not None and found.name else organisation

    # -- layout ------------------------------------------------------------------------

    def heading(self, text: str, level: int) -> None:
        try:
            self.document.add_heading(text, level)
        except KeyError:  # a template without the heading style: bold text instead
            self.document.add_paragraph().add_run(text).bold = True

    def paragraph(self, text: str) -> None:
        self.document.add_paragraph().add_run(text)

    def table(self, header: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
        body = [list(row) for row in rows]
        table = self.document.add_table(rows=1 + len(body), cols=len(header))
        with contextlib.suppress(KeyError, ValueError):  # no such style: keep the default
            table.style = "Table Grid"
        for i, text in enumerate(header):
            cell = table.rows[0].cells[i]
            cell.paragraphs[0].add_run(text).bold = True
        for r, row in enumerate(body, start=1):
            for i, text in enumerate(row):
                table.rows[r].cells[i].paragraphs[0].add_run(text)

    def shown(self, row: Mapping[str, Any], value: Any, kind: str, digits: int = 2) -> str:
        """A figure, or the word for suppressed when the row is."""
        if row.get("suppressed"):
            return self.w("suppressed")
        return self.figure(value, kind, digits)

    # -- sections ----------------------------------------------------------------------

    def goals(self) -> None:
        self.heading(self.w("goals"), 1)
        rows = self.rows.get("goal_indicators", [])
        if not rows:
            self.paragraph(self.w("no_goals"))
            return
        texts = {g.id: g.text for g in self.workspace.concept.goals}
        lines = []
        for row in rows:
            indicator = self.indicators.get(row["indicator"])
            unit = row["unit"] if row["unit"] in ("share", "count") else "number"
            met = "" if row["met"] is None else self.w("yes") if row["met"] else self.w("no")
            lines.append(
                [
                    self.label(texts.get(row["goal"])) or row["goal"],
                    self.label(indicator.title) if indicator else row["indicator"],
                    self.figure(row["target"], unit) if row["target"] is not None else "",
                    self.shown(row, row["value"], unit),
                    self.shown(row, row["n"], "count"),
                    "" if row["suppressed"] else met,
                ]
            )
        self.table([self.w(k) for k in ("goal", "indicator", "target", "value", "n", "met")], lines)

    def participation(self) -> None:
        self.heading(self.w("participation"), 1)
        self.heading(self.w("participant_hours"), 2)
        self.table(
            [
                self.w(k)
                for k in (
                    "organisation_col",
                    "participants",
                    "module_hours",
                    "coaching_hours",
                    "total_hours",
                )
            ],
            (
                [
                    self.organisation(row["organisation"]),
                    self.shown(row, row["participants"], "count"),
                    self.shown(row, row["module_hours"], "number"),
                    self.shown(row, row["coaching_hours"], "number"),
                    self.shown(row, row["total_hours"], "number"),
                ]
                for row in self.rows.get("participant_hours", [])
            ),
        )
        self.heading(self.w("response_rates"), 2)
        self.table(
            [
                self.w(k)
                for k in ("instrument", "occasion", "cohort", "expected", "answered", "rate")
            ],
            (
                [
                    self.instrument(row["instrument"]),
                    self.occasion(row["occasion"]),
                    self.cohorts.get(row["cohort"], row["cohort"]),
                    self.figure(row["expected"], "count"),
                    self.figure(row["answered"], "count"),
                    self.figure(row["rate"], "share"),
                ]
                if row["expected"] is not None
                else [
                    self.instrument(row["instrument"]),
                    self.occasion(row["occasion"]),
                    self.cohorts.get(row["cohort"], row["cohort"]),
                    self.w("suppressed"),
                    self.w("suppressed"),
                    self.w("suppressed"),
                ]
                for row in self.rows.get("response_rates", [])
            ),
        )

    def instrument(self, instrument: str) -> str:
        found = self.instruments.get(instrument)
        return self.label(found.title) if found is not None else instrument

    def subscale(self, instrument: str, subscale: str) -> str:
        found = self.instruments.get(instrument)
        if found is not None:
            for s in found.subscales:
                if s.id == subscale:
                    return self.label(s.title) or subscale
        return subscale

    def levels(self) -> None:
        self.heading(self.w("results_by_level"), 1)
        groups = [
            row
            for row in self.rows.get("group_results", [])
            if row["group_by"] == "all" and row["measure_kind"] == "subscale"
        ]
        changes = self.rows.get("changes", [])
        for level in EvaluationLevel:
            at_level = {i for i, found in self.instruments.items() if found.level is level}
            shown = [row for row in groups if row["instrument"] in at_level]
            changed = [row for row in changes if row["instrument"] in at_level]
            if not shown and not changed:
                continue
            self.heading(self.w(level.code), 2)
            if shown:
                self.table(
                    [self.w(k) for k in ("instrument", "occasion", "subscale", "n", "mean", "sd")],
                    (
                        [
                            self.instrument(row["instrument"]),
                            self.occasion(row["occasion"]),
                            self.subscale(row["instrument"], row["measure"]),
                            self.shown(row, row["n"], "count"),
                            self.shown(row, row["mean"], "number"),
                            self.shown(row, row["sd"], "number"),
                        ]
                        for row in shown
                    ),
                )
            if changed:
                self.paragraph(self.w("change"))
                self.table(
                    [
                        self.w(k)
                        for k in ("instrument", "subscale", "to", "pairs", "before", "after", "d_z")
                    ],
                    (
                        [
                            self.instrument(row["instrument"]),
                            self.subscale(row["instrument"], row["subscale"]),
                            self.occasion(row["after"]),
                            self.shown(row, row["n_pairs"], "count"),
                            self.shown(row, row["mean_before"], "number"),
                            self.shown(row, row["mean_after"], "number"),
                            self.shown(row, row["d_z"], "number"),
                        ]
                        for row in changed
                    ),
                )

    def projects(self) -> None:
        self.heading(self.w("projects"), 1)
        rows = self.rows.get("projects", [])
        lifecycle = self.source.registry.lifecycles.get(self.workspace.concept.lifecycle)
        stages = [s.id for s in lifecycle.stages] if lifecycle else []
        titles = {s.id: self.label(s.title) for s in lifecycle.stages} if lifecycle else {}
        by_stage: Counter[str] = Counter(str(row["stage"]) for row in rows)
        order = stages + sorted(s for s in by_stage if s not in stages)
        self.heading(self.w("by_stage"), 2)
        self.table(
            [self.w("stage"), self.w("count")],
            ([titles.get(s, s), self.figure(by_stage.get(s, 0), "count")] for s in order),
        )
        by_facet = Counter(row["facet"] for row in rows)
        self.heading(self.w("by_facet"), 2)
        self.table(
            [self.w("facet"), self.w("count")],
            (
                [self.w(f), self.figure(by_facet.get(f, 0), "count")]
                for f in ("enhancement", "mission", "adaptive", "anticipatory")
            ),
        )

    def reach(self) -> None:
        municipalities = {
            row["organisation"]: row
            for row in self.rows.get("organisations", [])
            if row["kind"] == "municipality"
        }
        if not municipalities:  # another concept's organisations (hospitals, say): no SCB codes
            return
        self.heading(self.w("reach"), 1)
        self.table(
            [self.w(k) for k in ("municipality", "scb_code", "participants", "total_hours")],
            (
                [
                    self.organisation(row["organisation"]),
                    _text(municipalities[row["organisation"]]["municipality_code"]),
                    self.shown(row, row["participants"], "count"),
                    self.shown(row, row["total_hours"], "number"),
                ]
                for row in self.rows.get("participant_hours", [])
                if row["organisation"] in municipalities
            ),
        )


def _replace_placeholders(paragraphs: Iterable[Any], values: Mapping[str, str]) -> None:
    """Put ``values`` in place of ``{{name}}`` (as plain run text, in the first run's
    formatting; a placeholder may be split over runs, as Word often does)."""
    for paragraph in paragraphs:
        text = paragraph.text
        if "{{" not in text or text.strip() == BODY:
            continue
        new = text
        for name, value in values.items():
            new = new.replace("{{" + name + "}}", value)
        if new == text or not paragraph.runs:
            continue
        paragraph.runs[0].text = new
        for run in paragraph.runs[1:]:
            run.text = ""


def _all_paragraphs(document: Any) -> Iterable[Any]:
    yield from document.paragraphs
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from cell.paragraphs
    for section in document.sections:
        for part in (section.header, section.footer):
            yield from part.paragraphs


def _open_template(options: DocxOptions | None, language: str) -> Any:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    path = Path(options.template) if options and options.template else default_template(language)
    if not path.is_file():
        raise m.MioError(f"{path}: no such template (--option template=PATH names a .docx)")
    try:
        return docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise m.MioError(
            f"{path}: not a Word document (.docx) to use as a template: {exc}"
        ) from None


THUMBNAIL = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail"


def drop_thumbnail(document: Any) -> None:
    """Remove the package's preview picture: it shows the template, not the report."""
    rels = document.part.package.rels
    for rid in [rid for rid, rel in rels.items() if rel.reltype == THUMBNAIL]:
        rels.pop(rid)


def _save(document: Any, stream: IO[bytes]) -> None:
    """Save so that the bytes follow from the content and the generation date alone."""
    from mio_core.export import ReproducibleZipFile, generation_time, zip_date_time

    when = generation_time()
    properties = document.core_properties
    naive = when.replace(tzinfo=None)
    properties.created = properties.modified = properties.last_printed = naive
    properties.revision = 1
    buffer = io.BytesIO()
    document.save(buffer)
    buffer.seek(0)
    with zipfile.ZipFile(buffer) as written:
        archive = ReproducibleZipFile(stream, date_time=zip_date_time(when))
        with archive:
            for info in written.infolist():
                archive.writestr(info.filename, written.read(info))


def write_docx(source: m.ExportSource, stream: IO[bytes], options: DocxOptions | None) -> None:
    """Write the funder's report of ``source`` to ``stream``."""
    from mio_core.export import generation_time
    from mio_core.render import prose_date

    if source.evaluation is None:
        raise ValueError("the Word report needs the evaluation (use prepare_source)")
    document = _open_template(options, source.language)
    drop_thumbnail(document)
    workspace = source.workspace
    words = WORDS.get(source.language, WORDS["en"])
    values = {
        "title": _text(text_in(workspace.manifest.title, source.language)),
        "concept": _text(text_in(workspace.concept.title, source.language)),
        "date": prose_date(generation_time().date(), source.language),
        "people": words["identified"] if source.identified else words["pseudonymised"],
    }
    _replace_placeholders(list(_all_paragraphs(document)), values)
    body = document.element.body
    existing = list(body)  # held, so that each element keeps its proxy (and identity)
    report = _Report(document, source)
    report.goals()
    report.participation()
    report.levels()
    report.projects()
    report.reach()
    added = [element for element in body if not any(element is old for old in existing)]
    marker = next((p for p in document.paragraphs if p.text.strip() == BODY), None)
    if marker is not None:
        for element in added:
            marker._p.addprevious(element)
        marker._p.getparent().remove(marker._p)
    _save(document, stream)


DOCX = m.Exporter(
    name="docx",
    title="Funder's report (Word)",
    suffix=".docx",
    media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    kind="binary",
    write=write_docx,
    options_type=DocxOptions,
    description="goals with indicator, value and target; participation; results per level; "
    "projects; reach by municipality — from a template the user can replace "
    "(--option template=PATH)",
)


@m.hookimpl
def mio_register_exporters() -> list[m.Exporter]:
    return [DOCX]

"""Built-in plugin: the export formats that need nothing beyond the core dependencies.

``csv`` (a folder of tidy tables and a codebook), ``datapackage`` (the same as a
Frictionless Data Package), ``json`` and ``yaml`` (the workspace and its headline results
as one document), ``markdown`` (a readable summary of the results).

The CSV of both folder formats is safe to open in a spreadsheet unless the option ``exact``
is set: text that a spreadsheet would run as a formula is neutralised (see
:func:`mio_core.textsafety.spreadsheet_text` and docs/exports.md).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

import attrs

from ..evaluation.headline import headline
from ..export.markdown import write_markdown
from ..export.reproducible import generation_time
from ..export.tables import CODEBOOK_FIELDS, Row, Table, codebook_rows, tables
from ..io.converter import unstructure
from ..io.jsonio import dumps
from ..io.yamlio import dump_yaml
from ..plugins.interfaces import Exporter, ExportSource
from ..plugins.manager import hookimpl
from ..textsafety import has_control_characters, show_controls, spreadsheet_text


@attrs.frozen
class CsvOptions:
    """Options of the csv and datapackage formats.

    ``exact``: write text exactly as it is in the workspace, for R, pandas and other
    programs. By default text is made safe to open in a spreadsheet: a value that starts
    like a formula (``=``, ``+``, ``-``, ``@``, tab, line end) gets a leading ``'``, and
    control characters are shown as ``\\uXXXX``. Numbers are numbers either way.
    """

    exact: bool = False


def _spreadsheet_safe(options: object) -> bool:
    return not (isinstance(options, CsvOptions) and options.exact)


def _number(value: Any) -> Any:
    if value.__class__ is float:
        if value != value or value in (float("inf"), float("-inf")):
            return None
        return int(value) if value.is_integer() else repr(value)
    return value


def _safe_rows(rows: Iterable[Row]) -> Iterator[Row]:
    """Yield each row with its text cells passed through ``spreadsheet_text``.

    A table repeats the same few texts (ids, codes, occasions) in every row, so each distinct
    text is made safe once per table and looked up after that.
    """
    safe: dict[str, str] = {}
    for row in rows:
        cells = list(row)
        for i, cell in enumerate(cells):
            if cell.__class__ is str:
                done = safe.get(cell)
                if done is None:
                    done = safe[cell] = spreadsheet_text(cell)
                cells[i] = done
        yield tuple(cells)


def write_table(
    path: Path,
    header: Iterable[str],
    rows: Iterable[Row],
    types: Iterable[str] = (),
    *,
    spreadsheet_safe: bool = False,
) -> None:
    """Write one CSV table (UTF-8, comma, header row; empty cells for missing values).

    ``types`` are the columns' types (as in the tables' fields): dates are written
    YYYY-MM-DD and whole numbers without a decimal point; everything else as it is.
    With ``spreadsheet_safe`` every text cell passes through
    :func:`~mio_core.textsafety.spreadsheet_text`; numbers are never changed.
    """
    kinds = list(types)
    dates = [i for i, kind in enumerate(kinds) if kind == "date"]
    numbers = [i for i, kind in enumerate(kinds) if kind in ("number", "integer")]
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(list(header))
        if spreadsheet_safe:
            rows = _safe_rows(rows)
        if not dates and not numbers:
            writer.writerows(rows)
            return
        for row in rows:
            cells = list(row)
            for i in dates:
                if cells[i] is not None:
                    cells[i] = cells[i].isoformat()
            for i in numbers:
                cells[i] = _number(cells[i])
            writer.writerow(cells)


def _codebook_table() -> Table:
    return Table(
        name="codebook",
        description="Every variable of every table, its type and meaning, and value labels",
        fields=CODEBOOK_FIELDS,
        rows=lambda source: (),
    )


def write_csv_folder(source: ExportSource, folder: Path, options: object) -> None:
    """Write every tidy table as ``<table>.csv`` and the codebook as ``codebook.csv``.

    Text is made safe for spreadsheets unless ``options`` is ``CsvOptions(exact=True)``.
    """
    safe = _spreadsheet_safe(options)
    described = tables(source)
    for table in described:
        write_table(
            folder / f"{table.name}.csv",
            (f.name for f in table.fields),
            table.rows(source),
            spreadsheet_safe=safe,
        )
    write_table(
        folder / "codebook.csv",
        (f.name for f in CODEBOOK_FIELDS),
        codebook_rows(source, described),
        spreadsheet_safe=safe,
    )


def _schema(table: Table) -> dict[str, Any]:
    fields = []
    for field in table.fields:
        described: dict[str, Any] = {
            "name": field.name,
            "type": field.type,
            "description": field.description,
        }
        if field.categories:
            values = [value for value, _ in field.categories]
            described["constraints"] = {"enum": values}
            described["categories"] = [
                {"value": value, "label": label} for value, label in field.categories
            ]
        fields.append(described)
    schema: dict[str, Any] = {"fields": fields, "missingValues": [""]}
    if table.primary_key:
        schema["primaryKey"] = list(table.primary_key)
    if table.foreign_keys:
        schema["foreignKeys"] = [
            {"fields": field, "reference": {"resource": resource, "fields": target}}
            for field, resource, target in table.foreign_keys
        ]
    return schema


def write_datapackage(source: ExportSource, folder: Path, options: object) -> None:
    """Write the tidy tables, the codebook and ``datapackage.json`` describing them all."""
    write_csv_folder(source, folder, options)
    described = [*tables(source), _codebook_table()]
    workspace = source.workspace
    package = {
        "profile": "tabular-data-package",
        "name": f"{workspace.concept.id}-evaluation",
        "title": _text(workspace.manifest.title, source.language),
        "description": (
            "Evaluation data of the development concept "
            f"{_text(workspace.concept.title, source.language)}, exported by mio_core. "
            + (
                "People are identified."
                if source.identified
                else "People are pseudonymised with keyed pseudonyms; names and emails are "
                "left out."
            )
        ),
        "created": generation_time().isoformat(),  # SOURCE_DATE_EPOCH fixes it
        "keywords": ["mio_core", "evaluation", "innovation", "public sector"],
        # Custom properties (Frictionless allows them): on what terms the data are held.
        "mio_privacy": _privacy(source),
        "resources": [
            {
                "name": table.name,
                "path": f"{table.name}.csv",
                "profile": "tabular-data-resource",
                "title": table.description,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": _schema(table),
            }
            for table in described
        ],
    }
    (folder / "datapackage.json").write_text(
        show_controls(json.dumps(package, ensure_ascii=False, indent=2)) + "\n", encoding="utf-8"
    )


def _privacy(source: ExportSource) -> dict[str, Any]:
    privacy = source.workspace.manifest.privacy
    basis = privacy.legal_basis
    return {
        "identified": source.identified,
        "free_text": source.with_text,
        "legal_basis": f"{basis.value} ({basis.article})" if basis else None,
        "retention": privacy.retention,
        "min_group_size": privacy.min_group_size,
    }


def _text(text: Any, language: str) -> str:
    from ..model import text_in

    return text_in(text, language)


def _document(source: ExportSource) -> dict[str, Any]:
    evaluation = headline(source.evaluation) if source.evaluation is not None else None
    return {
        "mio_core_export": 1,
        "identified": source.identified,
        "language": source.language,
        "workspace": unstructure(source.workspace),
        "evaluation": evaluation,
    }


def write_json(source: ExportSource, stream: IO[str], options: object) -> None:
    """Write the (pseudonymised) workspace and its headline results as one JSON document.

    Control and bidi-override characters in text are written as ``\\uXXXX`` escapes: the
    same values, visible to whoever opens the file.
    """
    stream.write(show_controls(dumps(_document(source))))
    stream.write("\n")


def _visible_yaml(data: Any) -> str:
    """Return ``data`` as YAML with every text that holds a control or bidi-override
    character double-quoted and escaped (``"\\u202E"``): the same value, visible."""
    import yaml

    class VisibleDumper(yaml.SafeDumper):
        def ignore_aliases(self, data: Any) -> bool:
            return True

        def analyze_scalar(self, scalar: str) -> Any:
            analysis = super().analyze_scalar(scalar)
            if has_control_characters(scalar):
                analysis.allow_flow_plain = analysis.allow_block_plain = False
                analysis.allow_single_quoted = analysis.allow_block = False
            return analysis

        def write_double_quoted(self, text: str, split: bool = True) -> None:
            if not has_control_characters(text):
                super().write_double_quoted(text, split)
                return
            self.allow_unicode = False  # escapes everything beyond ASCII in this one text
            try:
                super().write_double_quoted(text, split)
            finally:
                self.allow_unicode = True

    text: str = yaml.dump(
        data,
        Dumper=VisibleDumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=100,
    )
    return text


def write_yaml(source: ExportSource, stream: IO[str], options: object) -> None:
    """Write the (pseudonymised) workspace and its headline results as one YAML document.

    Text with control or bidi-override characters is written double-quoted with escapes.
    """
    document = dumps(_document(source), indent=None)
    data = json.loads(document)
    stream.write(_visible_yaml(data) if has_control_characters(document) else dump_yaml(data))


EXPORTERS = (
    Exporter(
        name="csv",
        title="Tidy CSV tables with a codebook (a folder)",
        suffix="",
        media_type="text/csv",
        kind="folder",
        write=write_csv_folder,
        options_type=CsvOptions,
        description="answers, scores, group results, reliability, change, response rates, "
        "attendance, coaching, projects; codebook.csv describes every variable and value label",
    ),
    Exporter(
        name="datapackage",
        title="Frictionless Data Package (a folder)",
        suffix="",
        media_type="application/json",
        kind="folder",
        write=write_datapackage,
        options_type=CsvOptions,
        description="the csv tables with datapackage.json: Table Schemas, value labels, "
        "primary and foreign keys",
    ),
    Exporter(
        name="json",
        title="JSON document",
        suffix=".json",
        media_type="application/json",
        write=write_json,
        description="the workspace and the headline results",
    ),
    Exporter(
        name="yaml",
        title="YAML document",
        suffix=".yaml",
        media_type="application/yaml",
        write=write_yaml,
        description="the workspace and the headline results",
    ),
    Exporter(
        name="markdown",
        title="Results summary (Markdown)",
        suffix=".md",
        media_type="text/markdown",
        write=write_markdown,
        description="a readable summary of the evaluation, small groups suppressed",
    ),
)


@hookimpl
def mio_register_exporters() -> list[Exporter]:
    """csv, datapackage, json, yaml and markdown."""
    return list(EXPORTERS)

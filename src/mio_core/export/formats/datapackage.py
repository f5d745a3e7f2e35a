"""The ``datapackage`` format: the csv tables with ``datapackage.json`` (a Frictionless
Tabular Data Package: Table Schemas, value labels, primary and foreign keys)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ...plugins.interfaces import ExportSource
from ...textsafety import show_controls
from ..reproducible import generation_time
from ..swedish import in_language
from ..tables import CODEBOOK_FIELDS, Table, tables
from .csvfolder import write_csv_folder


def _codebook_table() -> Table:
    return Table(
        name="codebook",
        description="Every variable of every table, its type and meaning, and value labels",
        fields=CODEBOOK_FIELDS,
        rows=lambda source: (),
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


#: The package's description: [Swedish?][identified?].
_DESCRIPTION = (
    (
        "Evaluation data of the development concept {concept}, exported by mio_core. People "
        "are pseudonymised with keyed pseudonyms; names and emails are left out.",
        "Evaluation data of the development concept {concept}, exported by mio_core. People "
        "are identified.",
    ),
    (
        "Utvärderingsdata för {concept}, exporterade med mio_core. "
        "Personerna är pseudonymiserade med nyckelbaserade pseudonymer; namn och e-post är "
        "utelämnade.",
        "Utvärderingsdata för {concept}, exporterade med mio_core. Personerna är identifierade.",
    ),
)
_KEYWORDS = (
    ["mio_core", "evaluation", "innovation", "public sector"],
    ["mio_core", "utvärdering", "innovation", "offentlig sektor"],
)


def write_datapackage(source: ExportSource, folder: Path, options: object) -> None:
    """Write the tidy tables, the codebook and ``datapackage.json`` describing them all."""
    write_csv_folder(source, folder, options)
    described = [*tables(source), *in_language([_codebook_table()], source.language)]
    workspace = source.workspace
    package = {
        "profile": "tabular-data-package",
        "name": f"{workspace.concept.id}-evaluation",
        "title": _text(workspace.manifest.title, source.language),
        "description": _DESCRIPTION[source.language == "sv"][source.identified].format(
            concept=_text(workspace.concept.title, source.language)
        ),
        "created": generation_time().isoformat(),  # SOURCE_DATE_EPOCH fixes it
        "keywords": _KEYWORDS[source.language == "sv"],
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
    from ...model import text_in

    return text_in(text, language)

"""Built-in plugin: the export formats that need nothing beyond the core dependencies.

``csv`` (a folder of tidy tables and a codebook), ``datapackage`` (the same as a
Frictionless Data Package), ``json`` and ``yaml`` (the workspace and its headline results
as one document), ``markdown`` (a readable summary of the results). The formats themselves
are ordinary modules in :mod:`mio_core.export.formats`; this module only registers them.
"""

from __future__ import annotations

from ..export.formats.csvfolder import CsvOptions, write_csv_folder
from ..export.formats.datapackage import write_datapackage
from ..export.formats.document import write_json, write_yaml
from ..export.formats.markdown import write_markdown
from ..plugins.interfaces import Exporter
from ..plugins.manager import hookimpl

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

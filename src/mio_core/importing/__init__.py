"""Importing survey answers: the one path from a survey tool's file to the responses files.

An importer plugin reads the file into a table of text cells
(:class:`~mio_core.ImportedTable`); :mod:`.table` maps its columns to the instrument's items
and reads each cell with the workspace's own cell syntax (:mod:`mio_core.io.cells`) into
``Response`` values; :mod:`.check` runs the rules ``mio validate`` runs over them, in the
workspace; :mod:`.merge` adds them to the responses file, keeping the rows already there;
:mod:`.run` does it all under the workspace lock. :mod:`.csvtext` decodes a survey tool's
CSV export, for the built-in ``csv`` importer and importer plugins alike.
"""

from __future__ import annotations

from .csvtext import CsvRows, decode_text, read_csv_rows
from .merge import CellChange, ImportConflict
from .run import ImportConflictError, ImportReport, import_responses
from .table import TableMapping

__all__ = [
    "CellChange",
    "CsvRows",
    "ImportConflict",
    "ImportConflictError",
    "ImportReport",
    "TableMapping",
    "decode_text",
    "import_responses",
    "read_csv_rows",
]

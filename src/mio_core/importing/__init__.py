"""Importing survey answers: the one path from a survey tool's file to the responses files.

An importer plugin reads the file into a table of text cells
(:class:`~mio_core.ImportedTable`); :mod:`.table` maps its columns to the instrument's items
and reads each cell with the workspace's own cell syntax (:mod:`mio_core.io.cells`) into
``Response`` values; :mod:`.check` runs the rules ``mio validate`` runs over them, in the
workspace; :mod:`.merge` adds them to the responses file, keeping the rows already there;
:mod:`.run` does it all under the workspace lock. :func:`kept_subscales` helps a plugin
that writes an instrument in a tool's format say what reading it back gives.
"""

from __future__ import annotations

from .mapping import (
    ColumnRef,
    DateColumn,
    ImportMapping,
    Missing,
    OccasionColumn,
    OptionColumns,
    RespondentColumn,
    RespondentMatch,
    apply_mapping,
    load_mapping,
    read_mapping,
)
from .merge import CellChange, ImportConflict
from .propose import (
    MappingProposal,
    describe_importers,
    propose_for_file,
    propose_mapping,
    save_mapping,
)
from .roundtrip import kept_subscales
from .run import ImportConflictError, ImportReport, import_mapped, import_responses
from .table import TableMapping, column_letter

__all__ = [
    "CellChange",
    "ColumnRef",
    "DateColumn",
    "ImportConflict",
    "ImportConflictError",
    "ImportMapping",
    "ImportReport",
    "MappingProposal",
    "Missing",
    "OccasionColumn",
    "OptionColumns",
    "RespondentColumn",
    "RespondentMatch",
    "TableMapping",
    "apply_mapping",
    "column_letter",
    "describe_importers",
    "import_mapped",
    "import_responses",
    "kept_subscales",
    "load_mapping",
    "propose_for_file",
    "propose_mapping",
    "read_mapping",
    "save_mapping",
]

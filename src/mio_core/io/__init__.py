"""Reading and writing workspaces: YAML and CSV files, the converter, located problems."""

from .atomic import atomic_open, atomic_write, atomic_write_all
from .cache import WorkspaceCache, cached_result, clear_cache, open_cache
from .converter import converter, structure, unstructure
from .jsonio import from_json, to_json
from .lock import workspace_lock
from .text import DelimitedRows, decode_text, read_delimited
from .workspace import (
    LoadResult,
    Progress,
    load_workspace,
    locate_problems,
    read_workspace,
    render_workspace,
    response_key,
    save_workspace,
)
from .xlsx import MAX_UNZIPPED_BYTES, Sheet, cell_text, number_text, read_sheet
from .yamlio import DEFAULT_LIMITS, Limits, dump_yaml, parse_yaml

__all__ = [
    "DEFAULT_LIMITS",
    "MAX_UNZIPPED_BYTES",
    "DelimitedRows",
    "Limits",
    "LoadResult",
    "Progress",
    "Sheet",
    "WorkspaceCache",
    "atomic_open",
    "atomic_write",
    "atomic_write_all",
    "cached_result",
    "cell_text",
    "clear_cache",
    "converter",
    "decode_text",
    "dump_yaml",
    "from_json",
    "load_workspace",
    "locate_problems",
    "number_text",
    "open_cache",
    "parse_yaml",
    "read_delimited",
    "read_sheet",
    "read_workspace",
    "render_workspace",
    "response_key",
    "save_workspace",
    "structure",
    "to_json",
    "unstructure",
    "workspace_lock",
]

"""The text of a statistics package's data file (.sav, .dta, .rds): every name, value and label.

The leak and hostile-text tests read every export as text; these files are binary, so they
are read back with pyreadstat / pyreadr (pyreadr: the mio-research-files plugin's test
extra).
"""

from __future__ import annotations

from pathlib import Path

STATS_SUFFIXES = frozenset({".sav", ".dta", ".rds"})


def stats_file_text(path: Path) -> str:
    """Return every variable name, variable label, value label and value, a line each."""
    if path.suffix == ".rds":
        import pyreadr

        frame = pyreadr.read_r(path)[None]
        parts = [str(c) for c in frame.columns]
        for column in frame.columns:
            if frame[column].dtype == "category":
                parts += [str(level) for level in frame[column].cat.categories]
    else:
        import pyreadstat

        read = pyreadstat.read_sav if path.suffix == ".sav" else pyreadstat.read_dta
        frame, meta = read(path)
        parts = [*meta.column_names, *(label for label in meta.column_labels if label)]
        parts += [
            text for labels in meta.variable_value_labels.values() for text in labels.values()
        ]
    values = frame.astype(object).to_numpy().ravel()
    parts += [str(value) for value in values if value is not None and value == value]
    return "\n".join(parts)

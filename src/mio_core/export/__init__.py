"""Running an exporter so that its output appears whole or not at all."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from ..io.atomic import atomic_open
from ..plugins.interfaces import Exporter, ExportSource

__all__ = ["export"]


def export(
    exporter: Exporter,
    source: ExportSource,
    out: str | os.PathLike[str],
    options: Any = None,
) -> Path:
    """Write ``source`` with ``exporter`` to ``out`` and return the path.

    The exporter writes to a temporary file (or folder) next to ``out``, which replaces
    ``out`` only when the exporter returns: an exporter that raises, or is interrupted,
    leaves no partial output and an earlier ``out`` as it was. ``options`` defaults to
    the exporter's ``options_type()``.
    """
    target = Path(out)
    if options is None and exporter.options_type is not None:
        options = exporter.options_type()
    if exporter.kind == "folder":
        _export_folder(exporter, source, target, options)
    else:
        mode = "wb" if exporter.kind == "binary" else "w"
        with atomic_open(target, mode, newline="" if mode == "w" else None) as stream:  # type: ignore[call-overload]
            exporter.write(source, stream, options)
    return target


def _export_folder(exporter: Exporter, source: ExportSource, target: Path, options: Any) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    try:
        exporter.write(source, temporary, options)
        if target.exists():
            old = Path(
                tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent)
            )
            old.rmdir()
            os.replace(target, old)
            os.replace(temporary, target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            shutil.rmtree(temporary)
        raise

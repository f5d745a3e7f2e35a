"""Running an exporter so that its output appears whole or not at all."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import tempfile
import typing
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from ..io.atomic import _umask, atomic_open
from ..model import Workspace
from ..model.workspace import expect_workspace
from ..plugins.interfaces import Exporter, ExportSource
from ..plugins.output import plugin_output
from ..plugins.registry import Registry
from ..problems import InvocationError, MioError
from .kept import export_workspace
from .reproducible import ReproducibleZipFile, generation_date, generation_time, zip_date_time
from .tables import CODEBOOK_FIELDS, Field, Table, codebook_rows, tables
from .targets import check_target, write_manifest
from .wide import WideColumn, WideTable, wide_table

__all__ = [
    "CODEBOOK_FIELDS",
    "Field",
    "ReproducibleZipFile",
    "Table",
    "WideColumn",
    "WideTable",
    "check_target",
    "codebook_rows",
    "describe_formats",
    "export_workspace",
    "generation_date",
    "generation_time",
    "make_options",
    "prepare_source",
    "run_export",
    "tables",
    "wide_table",
    "zip_date_time",
]

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _convert(text: str, kind: Any) -> Any:
    kinds = [k for k in typing.get_args(kind) if k is not type(None)] or [kind]
    kind = kinds[0]
    if kind in (bool, "bool"):
        if text.lower() not in _TRUE | _FALSE:
            raise ValueError("expected true or false")
        return text.lower() in _TRUE
    if kind in (int, "int"):
        return int(text)
    if kind in (float, "float"):
        return float(text)
    return text


def make_options(exporter: Exporter, values: Mapping[str, str]) -> Any:
    """Return the exporter's options from text values (as ``--option key=value`` gives them).

    Raises :class:`~mio_core.problems.InvocationError` for an option the format does not
    have or a value of the wrong kind, naming the options it has. ``bool`` fields take
    true/false, yes/no, on/off or 1/0; ``int`` and ``float`` fields a number; ``X | None``
    is read as ``X``; any other field keeps the text.
    """
    import attrs

    options_type = exporter.options_type
    if options_type is None or not attrs.has(options_type):
        if values:
            raise InvocationError(f"the format {exporter.name!r} has no options")
        return None
    with contextlib.suppress(NameError, TypeError):
        attrs.resolve_types(options_type)  # annotations written as strings
    fields = {f.name: f for f in attrs.fields(options_type)}
    known = ", ".join(fields) or "none"
    converted = {}
    for key, text in values.items():
        field = fields.get(key.replace("-", "_"))
        if field is None:
            raise InvocationError(
                f"the format {exporter.name!r} has no option {key!r} (its options: {known})"
            )
        try:
            converted[field.name] = _convert(text, field.type)
        except ValueError as exc:
            raise InvocationError(f"option {key}={text!r}: {exc}") from None
    try:
        return options_type(**converted)
    except (TypeError, ValueError) as exc:
        raise InvocationError(f"the options of {exporter.name!r}: {exc}") from None


def describe_formats(registry: Registry) -> list[dict[str, Any]]:
    """Return every export format with its kind, suffix, description and options."""
    import attrs

    formats = []
    for name, exporter in sorted(registry.exporters.items()):
        options_type = exporter.options_type
        options = (
            [
                {"name": f.name, "default": None if f.default is attrs.NOTHING else f.default}
                for f in attrs.fields(options_type)
            ]
            if options_type is not None and attrs.has(options_type)
            else []
        )
        formats.append(
            {
                "name": name,
                "title": exporter.title,
                "kind": exporter.kind,
                "suffix": exporter.suffix,
                "media_type": exporter.media_type,
                "description": exporter.description,
                "options": options,
            }
        )
    return formats


def prepare_source(
    workspace: Workspace,
    registry: Registry,
    *,
    language: str | None = None,
    identified: bool = False,
    key_file: str | os.PathLike[str] | None = None,
    with_text: bool = False,
) -> ExportSource:
    """Return what exporters get: the workspace (pseudonymised unless ``identified``) and
    its evaluation.

    A pseudonymised (research) export leaves out the participants whose
    ``research_consent`` is false, with everything about them, and is evaluated without
    them; it leaves out free texts (project titles, challenges, notes..., and the answers
    to text items) unless ``with_text``. An identified export keeps everyone and every text.

    The pseudonymisation key is read from ``key_file``, else from ``MIO_PSEUDONYM_KEY_FILE``,
    else from the workspace's ``.mio/pseudonym.key``; it is created there on first use.
    A ``language`` nothing is written in raises :class:`~mio_core.MioError` (see
    :func:`~mio_core.evaluation.words.require_language`).
    """
    expect_workspace(workspace, "prepare_source")
    from ..evaluation import evaluate
    from ..evaluation.words import require_language
    from ..privacy.pseudonyms import (
        Pseudonymiser,
        key_path,
        load_or_create_key,
        pseudonymise,
        refuse_new_key_inside,
        without_free_text,
        without_research_refusals,
        without_text_answers,
    )

    require_language(workspace, language or "")
    if not identified:
        if key_file is None:
            if workspace.origin is None:
                raise MioError(
                    "a pseudonymised export needs a key file: give key_file, or load the "
                    "workspace from its folder"
                )
            key_file = key_path(workspace.origin.root)
        if workspace.origin is not None:
            refuse_new_key_inside(key_file, workspace.origin.root)
        workspace = without_research_refusals(workspace)
        workspace = pseudonymise(workspace, Pseudonymiser(load_or_create_key(key_file)))
        if not with_text:
            workspace = without_free_text(workspace)
            workspace = without_text_answers(workspace, registry.instruments_for(workspace))
    return ExportSource(
        workspace=workspace,
        registry=registry,
        language=language or workspace.manifest.language,
        identified=identified,
        with_text=identified or with_text,
        evaluation=evaluate(workspace, registry),
    )


def run_export(
    exporter: Exporter,
    source: ExportSource,
    out: str | os.PathLike[str],
    options: Any = None,
    *,
    force: bool = False,
    workspace_root: str | os.PathLike[str] | None = None,
) -> Path:
    """Write ``source`` with ``exporter`` to ``out`` and return the path.

    ``out`` must be a new path, or (only with ``force``) what an earlier export of the same
    format wrote there; anything else is refused with :class:`MioError` before anything is
    written (see :mod:`mio_core.export.targets`). The workspace (``workspace_root``, else the
    folder ``source.workspace`` was loaded from; neither for a workspace built in Python, and
    then this check is skipped), anything inside it and any folder holding it are refused.

    The exporter writes to a temporary file (or folder) next to ``out``, which replaces
    ``out`` only when the exporter returns: an exporter that raises, or is interrupted,
    leaves no partial output and an earlier ``out`` as it was. A folder export gets a
    manifest, :data:`~mio_core.export.targets.MANIFEST`. ``options`` defaults to the
    exporter's ``options_type()``; a plain mapping is refused (TypeError) rather than
    handed to an exporter that would ignore it: :func:`make_options` makes the options
    from text values.

    When the workspace is known (``workspace_root`` or the source's origin), the export is
    recorded in its audit log (format, identified or not, target, counts; no personal data).
    A pseudonymised source no longer knows its folder: pass ``workspace_root`` to have it
    recorded.
    """
    _expect_export_arguments(exporter, source, options)
    target = Path(out)
    if workspace_root is None and source.workspace.origin is not None:
        workspace_root = source.workspace.origin.root
    write_export(exporter, source, target, options, force=force, workspace_root=workspace_root)
    if workspace_root is not None:
        from ..privacy.audit import record_export

        record_export(workspace_root, exporter, source, target)
    return target


def _expect_export_arguments(exporter: object, source: object, options: object) -> None:
    """Raise TypeError naming what to pass for a caller's likely mix-up (instead of an
    AttributeError from inside, or options that would be silently ignored)."""
    if not isinstance(exporter, Exporter):
        raise TypeError(
            f"run_export() takes an Exporter (registry.exporter(name)), "
            f"not {type(exporter).__name__}"
        )
    if not isinstance(source, ExportSource):
        raise TypeError(
            f"run_export() takes an ExportSource (mio_core.prepare_source(workspace, "
            f"registry)), not {type(source).__name__}"
        )
    if isinstance(options, Mapping) and exporter.options_type is not None:
        raise TypeError(
            f"the options of the format {exporter.name!r} are a "
            f"{exporter.options_type.__name__}, not a {type(options).__name__}: "
            "mio_core.export.make_options(exporter, {'key': 'value'}) makes them"
        )


def write_export(
    exporter: Exporter,
    source: ExportSource | None,
    target: Path,
    options: Any,
    *,
    force: bool,
    workspace_root: str | os.PathLike[str] | None,
) -> None:
    """Write ``target`` as :func:`run_export` does, without recording it in the audit log
    (``source`` is what ``exporter.write`` gets)."""

    def writable() -> Path:
        return check_target(exporter, target, force=force, workspace_root=workspace_root)

    real = writable()
    generated = generation_time()
    if options is None and exporter.options_type is not None:
        options = exporter.options_type()
    if exporter.kind == "folder":
        _export_folder(exporter, source, real, options, generated, writable)
    else:
        mode = "wb" if exporter.kind == "binary" else "w"
        with atomic_open(real, mode, newline="" if mode == "w" else None) as stream:  # type: ignore[call-overload]
            with plugin_output(_owner(exporter, source)):
                exporter.write(source, stream, options)
            writable()  # again: the target may have changed while the export ran


def _owner(exporter: Exporter, source: ExportSource | None) -> str:
    """Return the plugin that contributes ``exporter``, for a message naming it."""
    return source.registry.owner("exporters", exporter.name) if source else exporter.name


def _export_folder(
    exporter: Exporter,
    source: ExportSource | None,
    target: Path,
    options: Any,
    generated: dt.datetime,
    writable: Callable[[], Path],
) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    try:
        with plugin_output(_owner(exporter, source)):
            exporter.write(source, temporary, options)
        write_manifest(exporter, temporary, generated)
        writable()  # again: the target may have changed while the export ran
        # mkdtemp makes the folder its owner's only; the export gets the mode a file export
        # gets (atomic_open): the earlier export's, else what the umask allows
        mode = target.stat().st_mode & 0o7777 if target.exists() else 0o777 & ~_umask()
        with contextlib.suppress(OSError):
            os.chmod(temporary, mode)
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

"""What a plugin contributes: the values its hooks return."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from ..model.common import Text, slug, text_field, to_text
from ..problems import Problem

if TYPE_CHECKING:
    from ..evaluation.results import EvaluationResult
    from ..model import Instrument, Workspace
    from ..validate.context import RuleContext
    from .registry import Registry

_NAME = re.compile(r"[a-z][a-z0-9-]{0,40}")


def _name(instance: Any, attribute: attrs.Attribute[Any], value: str) -> None:
    if not isinstance(value, str) or not _NAME.fullmatch(value):
        raise ValueError(
            f"{type(instance).__name__} name {value!r} must be lowercase letters, digits and '-'"
        )


def _callable(instance: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    if not callable(value):
        raise ValueError(f"{type(instance).__name__}.{attribute.name} must be callable")


@attrs.frozen(kw_only=True)
class Stage:
    """One stage of a lifecycle model."""

    id: str = attrs.field(validator=slug)
    title: Text = text_field()
    description: Text | None = attrs.field(default=None, converter=to_text)


def _stages(instance: Lifecycle, attribute: attrs.Attribute[Any], value: tuple[Stage, ...]) -> None:
    if not value:
        raise ValueError(f"lifecycle {instance.name!r} has no stages")
    ids = [stage.id for stage in value]
    if len(set(ids)) != len(ids):
        raise ValueError(f"lifecycle {instance.name!r} names a stage twice")


def _stage_tuple(stages: Iterable[Stage]) -> tuple[Stage, ...]:
    return tuple(stages)


@attrs.frozen(kw_only=True)
class Lifecycle:
    """An innovation-project lifecycle model: ordered stages, and where it comes from."""

    name: str = attrs.field(validator=_name)
    title: Text = text_field()
    stages: tuple[Stage, ...] = attrs.field(converter=_stage_tuple, validator=_stages)
    source: str | None = None

    def stage(self, stage_id: str) -> Stage | None:
        """Return the stage called ``stage_id``, or None."""
        return next((stage for stage in self.stages if stage.id == stage_id), None)

    def position(self, stage_id: str) -> int:
        """Return the 0-based position of a stage; raises ValueError for an unknown one."""
        return [stage.id for stage in self.stages].index(stage_id)


#: ``check(workspace, context)`` yields problems.
RuleCheck = Callable[["Workspace", "RuleContext"], Iterable[Problem]]


@attrs.frozen(kw_only=True)
class Rule:
    """A validation rule over a whole workspace."""

    name: str = attrs.field(validator=_name)
    title: str
    check: RuleCheck = attrs.field(validator=_callable)


@attrs.frozen(kw_only=True)
class ExportSource:
    """What an exporter is given to write: the workspace, its evaluation, how to present it.

    Unless ``identified`` is True, ``workspace`` is already pseudonymised: people's ids are
    keyed pseudonyms, and names, emails and coaching notes are gone (see
    :func:`mio_core.privacy.pseudonymise`), so an exporter cannot leak them by accident;
    participants without research consent are left out, and unless ``with_text`` free texts
    are too (:func:`mio_core.privacy.without_free_text`). ``evaluation`` is the evaluation
    of that workspace. Build one with :func:`mio_core.prepare_source`.
    """

    workspace: Workspace
    registry: Registry
    language: str = "sv"
    identified: bool = False
    #: the workspace's free texts (project titles, notes...) are there; True when identified
    with_text: bool = False
    evaluation: EvaluationResult | None = None

    def instruments(self) -> Mapping[str, Instrument]:
        """Return every instrument (the plugins' and the workspace's own) by id.

        See :meth:`Registry.instruments_for` for which wins when both have an id.
        """
        return self.registry.instruments_for(self.workspace)


@attrs.frozen(kw_only=True)
class Exporter:
    """An export format.

    ``write(source, target, options)`` writes the export: ``target`` is an open text or
    binary stream for ``kind`` ``"text"`` or ``"binary"``, and a folder path for
    ``"folder"``. mio_core makes every write atomic around it. ``options`` is an instance
    of ``options_type`` (an attrs class) or None.
    """

    name: str = attrs.field(validator=_name)
    title: str
    suffix: str
    media_type: str
    write: Callable[..., None] = attrs.field(validator=_callable)
    kind: str = attrs.field(
        default="text", validator=attrs.validators.in_(("text", "binary", "folder"))
    )
    options_type: type | None = None
    description: str | None = None


def _strings(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values)


def _rows(rows: Iterable[Iterable[str]]) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(row) for row in rows)


def _lines(lines: Iterable[int]) -> tuple[int, ...]:
    return tuple(lines)


def _problems(problems: Iterable[Problem]) -> tuple[Problem, ...]:
    return tuple(problems)


@attrs.frozen(kw_only=True)
class ImportedTable:
    """A survey export as a table of text cells, as an importer returns it.

    ``header`` is each column's header as the survey tool shows it to a person (often the
    question text); ``keys``, when the tool has them, are its own ids of the same columns
    (Qualtrics' tag row, LimeSurvey's ``Q1[SQ001]``, a REDCap field name, a KoboToolbox
    path) — empty when the header is the only name a column has, else one per column.
    ``lines`` gives the line (or spreadsheet row) of each row as the tool's file shows it
    (default: row i on line i + 2, after one header line); ``problems`` carries the
    importer's own warnings or errors.
    """

    header: tuple[str, ...] = attrs.field(converter=_strings)
    rows: tuple[tuple[str, ...], ...] = attrs.field(converter=_rows)
    lines: tuple[int, ...] = attrs.field(default=(), converter=_lines)
    problems: tuple[Problem, ...] = attrs.field(default=(), converter=_problems)
    keys: tuple[str, ...] = attrs.field(default=(), converter=_strings)

    @keys.validator
    def _one_key_per_column(self, attribute: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
        if value and len(value) != len(self.header):
            raise ValueError(
                f"keys: {len(value)} keys for {len(self.header)} columns; give one per column"
            )


@attrs.frozen(kw_only=True)
class Importer:
    """An importer of survey answers.

    ``read(data, file)`` gets the raw bytes of the file and its name, and returns an
    :class:`ImportedTable`: the header and the rows as text cells. mio_core checks every
    cell against the workspace and the instrument.
    """

    name: str = attrs.field(validator=_name)
    title: str
    read: Callable[..., Any] = attrs.field(validator=_callable)
    suffixes: tuple[str, ...] = attrs.field(default=(".csv",), converter=_strings)
    description: str | None = None

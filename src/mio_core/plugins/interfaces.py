"""The plugin contract: the values a plugin's hooks return, and what mio_core gives them.

Exporter, Importer, Rule (with the RuleContext a rule is given), ExportSource (what an
exporter is given) and ImportedTable (what an importer returns) live together here; they
depend on the model and the error types only. ``Lifecycle`` and ``Stage`` are domain values
in :mod:`mio_core.model.lifecycle`, re-exported here because plugins return them too.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from ..io import layout
from ..model import Instrument, Location, Workspace
from ..model.common import Text, text_field
from ..model.lifecycle import Lifecycle, Stage, contribution_name
from ..problems import Problem, Severity

if TYPE_CHECKING:
    from ..evaluation.results import EvaluationResult, Participation, Score
    from .registry import Registry

__all__ = [
    "ENTITY_KINDS",
    "ExportSource",
    "Exporter",
    "ExtensionSchema",
    "ImportedTable",
    "Importer",
    "Indicator",
    "IndicatorContext",
    "IndicatorValue",
    "Lifecycle",
    "Rule",
    "RuleCheck",
    "RuleContext",
    "Stage",
]


def _callable(instance: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    if not callable(value):
        raise ValueError(f"{type(instance).__name__}.{attribute.name} must be callable")


def _takes(*arguments: str) -> Callable[[Any, attrs.Attribute[Any], object], None]:
    """Return a validator: the value is callable with the positional ``arguments``.

    mio_core calls a plugin's ``write``, ``read``, ``check`` or ``compute`` with these
    arguments; one that cannot take them (``def write(source):``) is refused when the
    value is made, in the plugin's hook, so that the plugin is reported by name rather
    than failing later at mio_core's call as if mio_core were at fault.
    """
    wanted = ", ".join(arguments)

    def callable_with(instance: Any, attribute: attrs.Attribute[Any], value: object) -> None:
        """the value is callable with the arguments mio_core passes."""
        _callable(instance, attribute, value)
        try:
            signature = inspect.signature(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):  # a callable Python cannot describe: trusted
            return
        try:
            signature.bind(*arguments)
        except TypeError as exc:
            name = getattr(value, "__name__", type(value).__name__)
            raise ValueError(
                f"{type(instance).__name__}.{attribute.name} is called with "
                f"({wanted}), but {name} takes {signature}: {exc}"
            ) from None

    return callable_with


@attrs.frozen(kw_only=True)
class RuleContext:
    """Look-ups shared by all rules of one validation run.

    ``instruments`` holds the plugins' instruments and the workspace's own, by id.
    ``broken`` holds (kind, id) of entities present in the files but unreadable: a
    reference to one of them is not reported again.
    """

    workspace: Workspace
    registry: Registry
    instruments: Mapping[str, Instrument]
    broken: frozenset[tuple[str, str]] = frozenset()

    def location(self, kind: str, entity_id: str) -> Location | None:
        """Return the file and path an entity was loaded from, or None."""
        origin = self.workspace.origin
        return origin.locations.get((kind, entity_id)) if origin else None

    def lifecycle(self) -> Lifecycle | None:
        """Return the lifecycle model the concept names, or None if no plugin gives it."""
        return self.registry.lifecycles.get(self.workspace.concept.lifecycle)

    def problem(
        self,
        kind: str,
        entity_id: str,
        path: tuple[str | int, ...],
        code: str,
        message: str,
        *,
        severity: Severity | str = Severity.ERROR,
        ref: tuple[str, str] | None = None,
    ) -> Problem:
        """Return a problem about a field of an entity, pointing at its file and line.

        ``kind`` is one of organisation, participant, coach, facilitator, cohort,
        engagement, project, instrument, concept, manifest or response (whose id is
        ``instrument|occasion|respondent``); ``path`` is the field inside the entity, e.g.
        ``("sessions", 0, "module")``. ``ref`` marks a reference to (kind, id). Another
        ``kind`` raises ``ValueError`` naming the kinds (a rule that raises is reported as
        ``rule-failed``), rather than giving a problem that points at no file.
        """
        if kind not in PROBLEM_KINDS:
            raise ValueError(
                f"{kind!r} is not a kind of entity; use one of {', '.join(PROBLEM_KINDS)}"
            )
        location = self.location(kind, entity_id)
        if kind == "manifest" or (kind == "concept" and location is None and self.workspace.origin):
            location = Location(file=layout.of_kind(kind).pattern)
        line = column = None
        file = None
        full_path = path
        if location is not None:
            file = location.file
            if location.line is not None:
                line = location.line
                full_path = path  # a CSV row: the path names the column
            else:
                full_path = location.path + path
        return Problem(
            file=file,
            line=line,
            column=column,
            path=full_path,
            code=code,
            message=message,
            severity=Severity(severity),
            ref=ref,
        )


#: ``check(workspace, context)`` yields problems.
RuleCheck = Callable[[Workspace, RuleContext], Iterable[Problem]]


#: The entity kinds that have ``extensions:``, as ``RuleContext.problem`` names them.
ENTITY_KINDS = (
    "concept",
    "organisation",
    "participant",
    "coach",
    "facilitator",
    "cohort",
    "engagement",
    "project",
    "instrument",
)

#: The kinds ``RuleContext.problem`` takes: those of the workspace layout's files and a
#: response.
PROBLEM_KINDS = (*(entry.kind for entry in layout.FILES), "response")

#: The JSON Schema keywords an extension schema may use.
SCHEMA_KEYWORDS = frozenset(
    {
        "type",
        "properties",
        "required",
        "additionalProperties",
        "items",
        "enum",
        "minimum",
        "maximum",
        "minLength",
        "maxLength",
        "pattern",
        "description",
        "title",
    }
)
SCHEMA_TYPES = frozenset({"object", "array", "string", "integer", "number", "boolean", "null"})


def _schema_problems(schema: object, where: str) -> Iterator[str]:
    if not isinstance(schema, Mapping):
        yield f"{where} is not a mapping"
        return
    for keyword in sorted(set(schema) - SCHEMA_KEYWORDS):
        yield f"{where} uses {keyword!r}, which mio_core does not check"
    types = schema.get("type", [])
    for name in [types] if isinstance(types, str) else types:
        if name not in SCHEMA_TYPES:
            yield f"{where} has the unknown type {name!r}"
    if "pattern" in schema:
        try:
            re.compile(schema["pattern"])
        except (re.error, TypeError) as exc:
            yield f"{where}.pattern is not a regular expression: {exc}"
    properties = schema.get("properties") or {}
    if not isinstance(properties, Mapping):
        yield f"{where}.properties is not a mapping"
        return
    for key, sub in properties.items():
        yield from _schema_problems(sub, f"{where}.properties.{key}")
    if "items" in schema:
        yield from _schema_problems(schema["items"], f"{where}.items")


def _schema(instance: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    problems = list(_schema_problems(value, "schema"))
    if problems:
        raise ValueError(f"extension schema {instance.name!r}: " + "; ".join(problems))


def _entity_kinds(instance: Any, attribute: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
    unknown = sorted(set(value) - set(ENTITY_KINDS))
    if unknown or not value:
        raise ValueError(
            f"extension schema {instance.name!r}: entities must be some of "
            f"{', '.join(ENTITY_KINDS)}, not {', '.join(unknown) or 'none'}"
        )


def _str_tuple(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values)


@attrs.frozen(kw_only=True)
class ExtensionSchema:
    """What a plugin's ``extensions:`` fields hold (hook ``mio_extension_schemas``).

    An entity of one of ``entities`` (``concept``, ``organisation``, ``participant``,
    ``coach``, ``facilitator``, ``cohort``, ``engagement``, ``project``, ``instrument`` — a
    workspace's own instrument) may then have ``extensions: {NAME: value}``, and ``mio
    validate`` checks the value against ``schema``: a subset of JSON Schema — ``type``
    (``object``, ``array``, ``string``, ``integer``, ``number``, ``boolean``, ``null``, or a
    list of them), ``properties``, ``required``, ``additionalProperties`` (true or false),
    ``items``, ``enum``, ``minimum``, ``maximum``, ``minLength``, ``maxLength``, ``pattern``
    (``re.search``), and ``title``/``description``. Any other keyword is refused when the
    plugin loads, rather than silently not checked.
    """

    name: str = attrs.field(validator=contribution_name)
    title: str
    entities: tuple[str, ...] = attrs.field(converter=_str_tuple, validator=_entity_kinds)
    schema: Mapping[str, Any] = attrs.field(validator=_schema, hash=False)


@attrs.frozen(kw_only=True)
class Rule:
    """A validation rule over a whole workspace."""

    #: unique among all plugins: lowercase letters, digits and ``-``
    name: str = attrs.field(validator=contribution_name)
    #: what the rule checks, as people read it
    title: str
    #: ``check(workspace, context)`` yields :class:`Problem` values; made with ``context.problem``
    check: RuleCheck = attrs.field(validator=_takes("workspace", "context"))


def _frozen(values: Iterable[Any]) -> frozenset[Any]:
    """any iterable of ids (a set, a list) becomes a frozenset"""
    return frozenset(values)


#: the units an indicator's value can have (how a renderer writes it)
INDICATOR_UNITS = ("share", "number", "count")


@attrs.frozen(kw_only=True)
class IndicatorValue:
    """What an indicator computes: its value and the people it rests on.

    ``members`` are the ids of the people (participants, or (cohort, participant) pairs)
    behind the value; mio_core suppresses the value when they are fewer than the
    workspace's minimum group size. ``value`` None with a ``note`` says why there is no
    figure (nothing to compute it from).
    """

    value: float | None
    members: frozenset[Any] = attrs.field(default=frozenset(), converter=_frozen)
    note: str = ""


@attrs.frozen(kw_only=True)
class IndicatorContext:
    """What an indicator is computed from: the workspace, its instruments (the plugins' and
    its own, by id), every respondent's scores and the participation counts."""

    workspace: Workspace
    registry: Registry
    instruments: Mapping[str, Instrument]
    scores: tuple[Score, ...]
    participation: Participation


@attrs.frozen(kw_only=True)
class Indicator:
    """A named, computed figure a concept's goal can be followed up with (``indicator:``).

    ``compute(context)`` gets an :class:`IndicatorContext` and returns an
    :class:`IndicatorValue`; ``unit`` is ``share`` (0-1), ``number`` or ``count``.
    """

    #: unique among all plugins: lowercase letters, digits and ``-``
    name: str = attrs.field(validator=contribution_name)
    #: what it measures, as people read it (a text or {language: text})
    title: Text = text_field()
    unit: str = attrs.field(default="number", validator=attrs.validators.in_(INDICATOR_UNITS))
    compute: Callable[[IndicatorContext], IndicatorValue] = attrs.field(validator=_takes("context"))


@attrs.frozen(kw_only=True)
class ExportSource:
    """What an exporter is given to write: the workspace, its evaluation, how to present it.

    Unless ``identified`` is True, ``workspace`` is already pseudonymised: people's ids are
    keyed pseudonyms, and names, emails and coaching notes are gone (see
    :func:`mio_core.privacy.pseudonyms.pseudonymise`), so an exporter cannot leak them by
    accident; participants without research consent are left out, and unless ``with_text``
    free texts are too (:func:`mio_core.privacy.pseudonyms.without_free_text`).
    ``evaluation`` is the evaluation of that workspace. Build one with
    :func:`mio_core.prepare_source`.
    """

    #: the workspace to write: pseudonymised unless ``identified``
    workspace: Workspace
    #: every plugin's contributions (instruments, lifecycles...)
    registry: Registry
    #: the language of the texts people read, e.g. ``sv`` or ``en``
    language: str = "sv"
    #: True only for ``mio export --identified``: real ids, names and emails are there
    identified: bool = False
    #: the workspace's free texts (project titles, notes...) are there; True when identified
    with_text: bool = False
    #: the evaluation of ``workspace`` (disclosure control applied); None if not prepared
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

    ``mio export --option key=value`` fills the options: ``key`` names a field of
    ``options_type`` (``-`` may stand for ``_``) and the text becomes the field's type:
    ``bool`` from true/false, yes/no, on/off or 1/0; ``int`` and ``float`` as Python reads
    them; anything else stays text; ``X | None`` is read as ``X``. Fields not given keep
    their defaults; an unknown key or a value that does not convert exits 2
    (:func:`mio_core.export.make_options` does the same in Python).
    """

    #: what ``mio export --format`` takes: lowercase letters, digits and ``-``; unique
    name: str = attrs.field(validator=contribution_name)
    #: the format's name as people read it, shown by ``mio formats``
    title: str
    #: the file suffix of the output, e.g. ``.csv`` (for a folder: ``""``)
    suffix: str
    #: the output's media type, e.g. ``text/csv``
    media_type: str
    #: ``write(source, target, options)``; see above
    write: Callable[..., None] = attrs.field(validator=_takes("source", "target", "options"))
    #: ``text`` (a text stream), ``binary`` (a byte stream) or ``folder`` (a folder path)
    kind: str = attrs.field(
        default="text", validator=attrs.validators.in_(("text", "binary", "folder"))
    )
    #: an attrs class whose fields are the format's ``--option`` keys, or None
    options_type: type | None = None
    #: one or two sentences shown under the title by ``mio formats`` and in its JSON
    description: str | None = None


def _strings(values: Iterable[str]) -> tuple[str, ...]:
    """Any list of strings, kept as a tuple."""
    return tuple(values)


def _rows(rows: Iterable[Iterable[str]]) -> tuple[tuple[str, ...], ...]:
    """Any list of lists of cells, kept as tuples."""
    return tuple(tuple(row) for row in rows)


def _lines(lines: Iterable[int]) -> tuple[int, ...]:
    """Any list of line numbers, kept as a tuple."""
    return tuple(lines)


def _problems(problems: Iterable[Problem]) -> tuple[Problem, ...]:
    """Any list of :class:`Problem`, kept as a tuple."""
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

    #: each column's header as the tool shows it
    header: tuple[str, ...] = attrs.field(converter=_strings)
    #: the answers, one tuple of text cells per respondent, as many cells as ``header``
    rows: tuple[tuple[str, ...], ...] = attrs.field(converter=_rows)
    #: the line of each row in the tool's file (empty: row i is on line i + 2)
    lines: tuple[int, ...] = attrs.field(default=(), converter=_lines)
    #: the importer's own problems: errors stop the import, warnings are printed
    problems: tuple[Problem, ...] = attrs.field(default=(), converter=_problems)
    #: the tool's own id of each column, or empty
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

    ``read(data, file)`` gets the raw bytes of the file and the file as the user named it
    (its path, for problems: ``Problem(file=file, ...)``), and returns an
    :class:`ImportedTable`: the header and the rows as text cells. mio_core checks every
    cell against the workspace and the instrument. A file it cannot read at all (no
    header) is reported by the importer's problems alone.
    """

    #: what ``mio import --importer`` takes: lowercase letters, digits and ``-``; unique
    name: str = attrs.field(validator=contribution_name)
    #: the importer's name as people read it
    title: str
    #: ``read(data: bytes, file: str) -> ImportedTable``; raise MioError for a file it cannot read
    read: Callable[..., Any] = attrs.field(validator=_takes("data", "file"))
    #: the file suffixes it reads
    suffixes: tuple[str, ...] = attrs.field(default=(".csv",), converter=_strings)
    #: one or two sentences on which tool's export it reads
    description: str | None = None

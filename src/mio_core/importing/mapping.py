"""Mappings kept in the workspace: how one survey tool's export becomes responses.

A mapping (``imports/<name>.yaml``) says which importer reads the file, which instrument
and occasion it answers (or which column holds the occasion, e.g. REDCap's
``redcap_event_name``), which column is the respondent and how it matches a participant
(``id``, ``email``, ``token`` from ``imports/tokens.csv``, or an exact ``name``), how dates
are written, which columns are which items (by header text, by the tool's own column key
or by a pattern), how label text maps to codes, which texts mean "no answer" and which
columns to leave out. It is read with the workspace's one converter, so a mistake in it is
reported by file, line and field like any workspace file.

Mappings are read on demand (by ``mio import --mapping`` and ``mio validate``), never as
part of the workspace model. Applying one (:func:`apply_mapping`) gives what
:func:`~mio_core.importing.table.read_table` needs: a table of the same columns whose
cells are codes, ids and ISO dates, and a :class:`TableMapping` naming the columns by
position. Labels become codes *before* the one cell parser reads them, so an imported
label and a code typed by hand go through the same cell syntax and the same rules.
"""

from __future__ import annotations

import csv
import datetime as dt
import enum
import io
import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any, NewType

import attrs
from cattrs.gen import make_dict_structure_fn

from ..io import layout
from ..io.atomic import atomic_open
from ..io.cells import excel_date_hint
from ..io.converter import InvalidValue, converter, structure_problems
from ..io.text import decode_text
from ..io.workspace import locate_problems
from ..io.yamlio import DEFAULT_LIMITS, Limits, YamlProblem, decode, merge_conflict, parse_yaml
from ..model import (
    Coach,
    Concept,
    Facilitator,
    Instrument,
    ItemKind,
    Participant,
    Workspace,
)
from ..model.common import OCCASION_PATTERN, Translations, is_occasion
from ..model.instrument import CHOICE_KINDS, CHOICE_SEPARATOR
from ..plugins.interfaces import ImportedTable
from ..problems import Problem, WorkspaceError
from .choices import OptionReader, chosen, normalise
from .table import SPREADSHEET_SUFFIXES, TableMapping, column_letter

#: A cell's text as a mapping names it: YAML may write ``-99`` or ``999`` as a number.
CellText = NewType("CellText", str)

#: The workspace file of tokens: ``token,participant``, one access token per line.
TOKENS_FILE = f"{layout.IMPORTS}/tokens.csv"


def _frozen(value: Mapping[Any, Any]) -> Mapping[Any, Any]:
    return MappingProxyType(dict(value))


class RespondentMatch(enum.StrEnum):
    """How the respondent column's cells name a participant."""

    #: the participant's id, as in people.yaml
    ID = "id"
    #: the participant's e-mail address in people.yaml (case and spaces ignored)
    EMAIL = "email"
    #: an access token listed in imports/tokens.csv
    TOKEN = "token"
    #: the participant's full name, exactly (an ambiguous name is a problem)
    NAME = "name"


def _regex(instance: Any, attribute: attrs.Attribute[Any], value: str | None) -> None:
    if value is not None:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"{value!r} is not a regular expression: {exc}") from None


@attrs.frozen(kw_only=True)
class ColumnRef:
    """One column of an export: by its ``column`` (header text, compared without regard to
    case and spaces), its ``key`` (the tool's own column id) or a ``pattern`` (a regular
    expression searched in the header text and key; exactly one column must match)."""

    column: str | None = None
    key: str | None = None
    pattern: str | None = attrs.field(default=None, validator=_regex)

    def __attrs_post_init__(self) -> None:
        given = [n for n in ("column", "key", "pattern") if getattr(self, n) is not None]
        if len(given) != 1:
            found = f" (found {', '.join(given)})" if given else ""
            raise ValueError(f"give exactly one of column, key and pattern{found}")

    def describe(self) -> str:
        """Return how the mapping names the column, e.g. ``column 'E-post'``."""
        if self.column is not None:
            return f"column {self.column!r}"
        if self.key is not None:
            return f"key {self.key!r}"
        return f"pattern {self.pattern!r}"


@attrs.frozen(kw_only=True)
class RespondentColumn(ColumnRef):
    """The column of the respondent, and how its cells ``match`` a participant."""

    match: RespondentMatch = attrs.field(default=RespondentMatch.ID, converter=RespondentMatch)


@attrs.frozen(kw_only=True)
class DateColumn(ColumnRef):
    """The column of the date answered; ``format`` is ``iso`` or a ``strptime`` format."""

    format: str = "iso"


@attrs.frozen(kw_only=True)
class OccasionColumn(ColumnRef):
    """A column whose values say the occasion of each row (``values``: cell → occasion)."""

    values: Mapping[str, str] = attrs.field(factory=dict, converter=_frozen)

    @values.validator
    def _occasions(self, attribute: attrs.Attribute[Any], value: Mapping[str, str]) -> None:
        if not value:
            raise ValueError("values: name the occasion of at least one value")
        for occasion in value.values():
            if not is_occasion(occasion) or OCCASION_PATTERN.fullmatch(occasion) is None:
                raise ValueError(
                    f"values: {occasion!r} is not an occasion (pre, post, module:<id>, "
                    "follow-up:<months>m)"
                )


def _occasion(instance: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, str) and (
        not is_occasion(value) or OCCASION_PATTERN.fullmatch(value) is None
    ):
        raise ValueError(
            f"{value!r} is not an occasion: use pre, post, module:<module-id> or "
            "follow-up:<months>m, or {column: ..., values: {...}}"
        )


@attrs.frozen(kw_only=True)
class OptionColumns:
    """A multi-choice item exported as a column per option (SurveyMonkey, Qualtrics' split
    columns, LimeSurvey, KoboToolbox's 1/0 columns): option code → its column. An option is
    chosen when its cell is ``1``, ``Y``, ``Checked``… or the option's label; empty, ``0``,
    ``N``, ``Unchecked``… is not chosen."""

    options: Mapping[str, ColumnRef] = attrs.field(converter=_frozen)

    @options.validator
    def _some(self, attribute: attrs.Attribute[Any], value: Mapping[str, ColumnRef]) -> None:
        if not value:
            raise ValueError("options: name the column of at least one option")

    def describe(self) -> str:
        """Return how the mapping names the columns, e.g. ``options huddle, board``."""
        return f"options {', '.join(self.options)}"


@attrs.frozen(kw_only=True)
class Missing:
    """Texts or codes that mean "no answer": for every scale (``all``) or per scale id."""

    all: tuple[CellText, ...] = ()
    scales: Mapping[str, tuple[CellText, ...]] = attrs.field(factory=dict, converter=_frozen)


@attrs.frozen(kw_only=True)
class ImportMapping:
    """How one survey tool's export maps to an instrument's responses (``imports/NAME.yaml``).

    ``labels`` adds label texts (per scale id: text → code; per choice or multi-choice item
    id: text → option code) to the labels of the instrument's own scales and options, which
    are known in every language they are written in. An item of ``items`` is one column, or
    for a multi-choice item exported as a column per option, :class:`OptionColumns`.
    ``ignore`` lists columns to leave out; any other column not mapped is a problem unless
    ``ignore_unmapped``.
    """

    importer: str = "csv"
    instrument: str
    occasion: str | OccasionColumn = attrs.field(validator=_occasion)
    respondent: RespondentColumn
    date: DateColumn | None = None
    items: Mapping[str, ColumnRef | OptionColumns] = attrs.field(factory=dict, converter=_frozen)
    labels: Mapping[str, Mapping[CellText, CellText]] = attrs.field(factory=dict, converter=_frozen)
    missing: Missing = Missing()
    ignore: tuple[ColumnRef, ...] = ()
    ignore_unmapped: bool = False

    def occasions(self) -> tuple[str, ...]:
        """Return the occasions the mapping imports, in the order it names them."""
        if isinstance(self.occasion, str):
            return (self.occasion,)
        return tuple(dict.fromkeys(self.occasion.values.values()))


def _structure_cell_text(value: object, _: type) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise InvalidValue("wrong-type", f"expected a text or a number, found {value!r}")
    return value if isinstance(value, str) else str(value)


def _structure_column(value: object, cls: type) -> Any:
    # ``ignore: [Name, Start time]`` is short for ``[{column: Name}, ...]``.
    if isinstance(value, str):
        value = {"column": value}
    if not isinstance(value, Mapping):
        raise InvalidValue(
            "wrong-type", f"expected a header text or {{column|key|pattern: ...}}, found {value!r}"
        )
    return _COLUMN_FIELDS[cls](value, cls)


def _structure_occasion(value: object, _: type) -> str | OccasionColumn:
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping):
        structured: OccasionColumn = converter.structure(value, OccasionColumn)
        return structured
    raise InvalidValue(
        "wrong-type", f"expected an occasion or {{column: ..., values: ...}}, found {value!r}"
    )


def _structure_item_columns(value: object, _: type) -> ColumnRef | OptionColumns:
    # ``{options: {code: column, ...}}`` is a column per option; anything else one column.
    if isinstance(value, Mapping) and "options" in value:
        structured: OptionColumns = _OPTION_COLUMNS(value, OptionColumns)
        return structured
    column: ColumnRef = converter.structure(value, ColumnRef)
    return column


def _structure_missing(value: object, _: type) -> Missing:
    # ``missing: [Vet ej, -99]`` is short for ``{all: [...]}``; a mapping names scales.
    if isinstance(value, list):
        value = {"all": value}
    if not isinstance(value, Mapping):
        raise InvalidValue("wrong-type", f"expected a list or a mapping, found {value!r}")
    rest = {k: v for k, v in value.items() if k != "all"}
    texts = tuple[CellText, ...]
    return Missing(
        all=converter.structure(value.get("all", []), texts),
        scales={str(k): converter.structure(v, texts) for k, v in rest.items()},
    )


_COLUMN_FIELDS: dict[type, Any] = {}
for _column_cls in (ColumnRef, RespondentColumn, DateColumn, OccasionColumn):
    _COLUMN_FIELDS[_column_cls] = make_dict_structure_fn(
        _column_cls, converter, _cattrs_forbid_extra_keys=True
    )
_OPTION_COLUMNS = make_dict_structure_fn(OptionColumns, converter, _cattrs_forbid_extra_keys=True)
converter.register_structure_hook(CellText, _structure_cell_text)
converter.register_structure_hook_func(
    lambda t: t == (ColumnRef | OptionColumns), _structure_item_columns
)
converter.register_structure_hook_func(lambda t: t == (str | OccasionColumn), _structure_occasion)
converter.register_structure_hook(Missing, _structure_missing)
for _column_type in _COLUMN_FIELDS:
    converter.register_structure_hook(_column_type, _structure_column)


def mapping_file(name: str) -> str:
    """Return the workspace-relative file of the mapping ``name``."""
    return f"{layout.IMPORTS}/{name}.yaml"


def read_mapping(
    root: str | os.PathLike[str], name: str, limits: Limits = DEFAULT_LIMITS
) -> tuple[ImportMapping | None, list[Problem]]:
    """Return the mapping ``imports/<name>.yaml`` of the workspace at ``root`` (None when it
    cannot be read) and its problems, located by file, line and field."""
    relative = mapping_file(name)
    path = Path(root) / relative
    if path.is_dir():
        message = "this is a folder, not a file: move what it holds out and remove it"
        return None, [Problem(file=relative, code="unreadable", message=message)]
    if not path.is_file():
        known = sorted(p.stem for p in (Path(root) / layout.IMPORTS).glob("*.yaml") if p.is_file())
        hint = f"; the workspace has {', '.join(known)}" if known else ""
        return None, [
            Problem(file=relative, code="missing-file", message=f"no mapping {name!r}{hint}")
        ]
    try:
        text = decode(path.read_bytes(), relative, limits)
        data = parse_yaml(text, relative, limits)
    except YamlProblem as exc:
        return None, [exc.problem]
    problems: list[Problem] = []

    def report(error: Any) -> None:
        problems.append(
            Problem(file=relative, code=error.code, message=error.message, path=error.path)
        )

    if data is None:
        report_empty = Problem(file=relative, code="empty-file", message="the file is empty")
        return None, [report_empty]
    mapping = structure_problems(data, ImportMapping, report)
    return mapping, locate_problems(problems, root, {relative: text})


def load_mapping(
    root: str | os.PathLike[str], name: str, limits: Limits = DEFAULT_LIMITS
) -> ImportMapping:
    """Return the mapping ``imports/<name>.yaml`` of the workspace at ``root``.

    Raises :class:`~mio_core.WorkspaceError` listing every problem of the file.
    """
    mapping, problems = read_mapping(root, name, limits)
    if mapping is None or problems:
        raise WorkspaceError(problems, summary=f"cannot read the mapping {name!r}")
    return mapping


def check_mapping(
    mapping: ImportMapping,
    file: str,
    instruments: Mapping[str, Instrument],
    importers: Sequence[str],
    concept: Concept | None = None,
) -> list[Problem]:
    """Return what ``mapping`` names that the workspace and plugins do not have; with
    ``concept``, an occasion its evaluation plan declares is allowed (:meth:`Concept.allows`)."""
    problems: list[Problem] = []

    def problem(message: str, *path: str) -> None:
        problems.append(Problem(file=file, code="unknown-name", message=message, path=path))

    if importers and mapping.importer not in importers:
        problem(
            f"no importer {mapping.importer!r}; known: {', '.join(sorted(importers))}", "importer"
        )
    instrument = instruments.get(mapping.instrument)
    if instrument is None:
        problem(
            f"no instrument {mapping.instrument!r}; known: {', '.join(sorted(instruments))}",
            "instrument",
        )
        return problems
    for occasion in mapping.occasions():
        allowed = concept.allows(instrument, occasion) if concept else instrument.allows(occasion)
        if not allowed:
            problem(f"the instrument {instrument.id!r} is not made for {occasion!r}", "occasion")
    known = {item.id for item in instrument.items}
    for item, ref in mapping.items.items():
        if item not in known:
            problem(f"{item!r} is not an item of {instrument.id}", "items", item)
        elif isinstance(ref, OptionColumns):
            problems.extend(
                Problem(file=file, code=code, message=message, path=("items", item, *path))
                for code, message, path in option_columns_problems(instrument, item, ref)
            )
    scales = {scale.id for scale in instrument.scales}
    for scale, texts in mapping.labels.items():
        for code, message, path in labels_problems(instrument, scale, texts):
            problems.append(
                Problem(file=file, code=code, message=message, path=("labels", scale, *path))
            )
    for scale in mapping.missing.scales:
        if scale not in scales:
            problem(f"{scale!r} is not a scale of {instrument.id}", "missing", scale)
    return problems


def option_columns_problems(
    instrument: Instrument, item: str, ref: OptionColumns
) -> list[tuple[str, str, tuple[str, ...]]]:
    """Return (code, message, path under the item) for each option ``ref`` names that the
    multi-choice ``item`` of ``instrument`` does not have."""
    entry = instrument.item(item)
    if entry is None or entry.kind is not ItemKind.MULTI_CHOICE:
        kind = entry.kind.value if entry is not None else "no"
        return [
            (
                "not-multi-choice",
                f"options: {item!r} is a {kind} item; a column per option is read only into "
                "a multi-choice item",
                ("options",),
            )
        ]
    codes = [option.code for option in entry.options]
    return [
        (
            "unknown-name",
            f"{code!r} is not an option of {item}; its options: {', '.join(codes)}",
            ("options", code),
        )
        for code in ref.options
        if code not in codes
    ]


def labels_problems(
    instrument: Instrument, name: str, texts: Mapping[CellText, CellText]
) -> list[tuple[str, str, tuple[str, ...]]]:
    """Return (code, message, path under ``name``) for each of a mapping's ``labels:`` for
    ``name`` that cannot be: ``name`` is neither a scale nor a choice item, a scale's code is
    no whole number, an item's code is no option of it."""
    scale = next((s for s in instrument.scales if s.id == name), None)
    item = instrument.item(name)
    if scale is not None:
        return [
            ("wrong-type", f"the code {code!r} of a scale label is not a whole number", (text,))
            for text, code in texts.items()
            if not re.fullmatch(r"[+-]?[0-9]+", code.strip())
        ]
    if item is not None and item.kind in CHOICE_KINDS:
        codes = [option.code for option in item.options]
        return [
            (
                "unknown-name",
                f"{code!r} is not an option of {name}; its options: {', '.join(codes)}",
                (text,),
            )
            for text, code in texts.items()
            if code not in codes
        ]
    return [
        (
            "unknown-name",
            f"{name!r} is neither a scale nor a choice item of {instrument.id}",
            (),
        )
    ]


def mapping_problems(
    root: str | os.PathLike[str],
    instruments: Mapping[str, Instrument],
    importers: Sequence[str],
    limits: Limits = DEFAULT_LIMITS,
    people: frozenset[str] | None = None,
    concept: Concept | None = None,
) -> list[Problem]:
    """Return the problems of every mapping in the workspace's ``imports/`` folder, and of
    its token list (a token of someone not among ``people``, when given, is one); ``concept``
    as in :func:`check_mapping`."""
    folder = Path(root) / layout.IMPORTS
    if not folder.is_dir():
        return []
    problems: list[Problem] = []
    if (Path(root) / TOKENS_FILE).is_file():
        tokens, found = read_tokens(root)
        problems.extend(found)
        strangers = sorted({p for p in tokens.values() if people is not None and p not in people})
        if strangers:
            problems.append(
                Problem(
                    file=TOKENS_FILE,
                    code="unknown-participant",
                    message=f"tokens are given to people not in {layout.PEOPLE}: "
                    f"{', '.join(strangers)}",
                )
            )
    for path in sorted(folder.glob("*.yaml")):
        mapping, found = read_mapping(root, path.stem, limits)
        if mapping is not None and not found:
            file = mapping_file(path.stem)
            found = locate_problems(
                check_mapping(mapping, file, instruments, importers, concept), root
            )
        problems.extend(found)
    return problems


def read_tokens(root: str | os.PathLike[str]) -> tuple[dict[str, str], list[Problem]]:
    """Return the workspace's access tokens (token → participant id) and their problems."""
    path = Path(root) / TOKENS_FILE
    problems: list[Problem] = []
    if not path.is_file():
        return {}, [
            Problem(
                file=TOKENS_FILE,
                code="missing-file",
                message="the mapping matches respondents by token, but the workspace has no "
                "token list (a CSV with the columns token,participant)",
            )
        ]
    tokens: dict[str, str] = {}
    data = path.read_bytes()
    conflict = merge_conflict(data, TOKENS_FILE)
    if conflict is not None:
        return {}, [conflict]
    text, problems = decode_text(data, TOKENS_FILE)  # Excel's CSV: a warning
    reader = csv.reader(io.StringIO(text))
    header = [cell.strip().lower() for cell in next(reader, [])]
    if header[:2] != ["token", "participant"]:
        return {}, [
            Problem(
                file=TOKENS_FILE,
                code="csv-header",
                message="the first line must be token,participant",
                line=1,
            )
        ]
    for line, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < 2 or not row[0].strip() or not row[1].strip():
            problems.append(
                Problem(
                    file=TOKENS_FILE,
                    code="csv-ragged",
                    message="token and participant are both needed",
                    line=line,
                )
            )
            continue
        token = row[0].strip()
        if token in tokens and tokens[token] != row[1].strip():
            problems.append(
                Problem(
                    file=TOKENS_FILE,
                    code="duplicate",
                    message=f"the token {token!r} is given to two participants",
                    line=line,
                )
            )
        tokens[token] = row[1].strip()
    return tokens, problems


def scale_labels(
    instrument: Instrument, mapping: ImportMapping
) -> dict[str, dict[str, str | None]]:
    """Return, per scale id, every label text (normalised) → its code as cell text, or None
    for a text that means "no answer": the instrument's labels in every language, then the
    mapping's own labels and missing texts."""
    labels: dict[str, dict[str, str | None]] = {}
    for scale in instrument.scales:
        known: dict[str, str | None] = {}
        for label in (*scale.labels, *scale.missing):
            texts = label.text.values() if isinstance(label.text, Translations) else [label.text]
            for text in texts:
                known.setdefault(normalise(text), str(label.value))
        for text, code in mapping.labels.get(scale.id, {}).items():
            known[normalise(text)] = str(code)
        for text in (*mapping.missing.all, *mapping.missing.scales.get(scale.id, ())):
            known[normalise(text)] = None
        labels[scale.id] = known
    return labels


@attrs.frozen(kw_only=True)
class MappedTable:
    """A survey table with a mapping applied: what :func:`read_table` reads, and problems.

    ``table`` keeps the export's columns, header and lines; its cells are codes, ids and ISO
    dates. ``mapping`` names the columns by position.
    """

    table: ImportedTable
    mapping: TableMapping
    problems: tuple[Problem, ...]


class _Columns:
    """Finds the columns a mapping names in one export's header and keys."""

    def __init__(self, table: ImportedTable) -> None:
        self.header = [h.strip() for h in table.header]
        # A tool without ids of its own (a plain CSV) names a column by its header alone.
        self.keys = list(table.keys) if table.keys else list(self.header)
        self.normalised = [normalise(h) for h in self.header]

    def find(self, ref: ColumnRef) -> tuple[list[int], str]:
        """Return the 0-based columns ``ref`` names, and a problem text when not one."""
        if ref.column is not None:
            wanted = normalise(ref.column)
            found = [i for i, h in enumerate(self.normalised) if h == wanted]
        elif ref.key is not None:
            found = [i for i, k in enumerate(self.keys) if k == ref.key]
        else:
            pattern = re.compile(ref.pattern or "")
            found = [
                i
                for i, (h, k) in enumerate(zip(self.header, self.keys, strict=True))
                if pattern.search(h) or (k and pattern.search(k))
            ]
        if not found:
            return found, f"no column matches the {ref.describe()}"
        if len(found) > 1:
            names = ", ".join(repr(self.header[i]) for i in found[:5])
            return found, f"{len(found)} columns match the {ref.describe()}: {names}"
        return found, ""


def apply_mapping(
    mapping: ImportMapping,
    table: ImportedTable,
    file: str,
    instrument: Instrument,
    occasion: str,
    workspace: Workspace,
    tokens: Mapping[str, str] | None = None,
) -> MappedTable:
    """Return the rows of ``table`` answering ``occasion``, with ``mapping`` applied.

    Respondents become participant ids, dates ISO dates and label texts codes; texts that
    mean "no answer" become empty cells. Every problem is listed with the row and column as
    the file shows them (header text, and the column letter for a spreadsheet).
    ``tokens`` is the token list (see :func:`read_tokens`) when respondents match by token.
    """
    problems: list[Problem] = []
    header = tuple(h.strip() for h in table.header)
    spreadsheet = Path(file).suffix.lower() in SPREADSHEET_SUFFIXES

    def where(index: int) -> tuple[str, ...]:
        text = header[index] if index < len(header) else ""
        if spreadsheet:
            letter = column_letter(index + 1)
            return (f"{text} (column {letter})" if text else letter,)
        return (text,) if text else ()

    def problem(code: str, message: str, line: int, index: int | None = None) -> None:
        problems.append(
            Problem(
                file=file,
                code=code,
                message=message,
                line=line,
                column=None if index is None else index + 1,
                path=() if index is None else where(index),
            )
        )

    columns = _Columns(table)

    def locate(ref: ColumnRef, what: str) -> int | None:
        found, error = columns.find(ref)
        if error:
            problem("mapping-column", f"{what}: {error}", 1)
            return None
        return found[0]

    roles: dict[int, str] = {}
    respondent_index = locate(mapping.respondent, "respondent")
    if respondent_index is not None:
        roles[respondent_index] = layout.RESPONDENT_COLUMN
    date_index = locate(mapping.date, "date") if mapping.date is not None else None
    if date_index is not None:
        roles[date_index] = layout.DATE_COLUMN
    occasion_index = None
    if isinstance(mapping.occasion, OccasionColumn):
        occasion_index = locate(mapping.occasion, "occasion")
    scales = {scale.id: scale for scale in instrument.scales}
    item_scale: dict[str, str] = {}
    for entry in instrument.items:
        scale = instrument.scale_of(entry)
        if scale is not None:
            item_scale[entry.id] = scale.id
    items: dict[int, str] = {}
    # A multi-choice item with a column per option: its first column, option → column.
    per_option: dict[int, dict[str, int]] = {}
    for item, ref in mapping.items.items():
        if instrument.item(item) is None:
            problem("unknown-item", f"items: {item!r} is not an item of {instrument.id}", 1)
            continue
        if isinstance(ref, OptionColumns):
            found_problems = option_columns_problems(instrument, item, ref)
            for code, message, _ in found_problems:
                problem(code, f"items: {item}: {message}", 1)
            option_indexes = {
                code: locate(column, f"item {item}, option {code}")
                for code, column in ref.options.items()
            }
            located = {code: i for code, i in option_indexes.items() if i is not None}
            twice = [i for i in located.values() if i in roles or i in items]
            for again in twice:
                problem("csv-header", f"item {item}: the column is mapped twice", 1, again)
            if found_problems or twice or len(located) != len(option_indexes):
                continue
            first = min(located.values())
            per_option[first] = located
            items.update(dict.fromkeys(located.values(), item))
            continue
        index = locate(ref, f"item {item}")
        if index is None:
            continue
        if index in roles or index in items:
            problem("csv-header", f"item {item}: the column is mapped twice", 1, index)
            continue
        items[index] = item
    for name, given in mapping.labels.items():
        for code, message, _ in labels_problems(instrument, name, given):
            problem(code, f"labels: {name}: {message}", 1)
    options = {
        entry.id: OptionReader(entry, mapping.labels.get(entry.id, {}).items())
        for entry in instrument.items
        if entry.kind in CHOICE_KINDS
    }
    text_items = {entry.id for entry in instrument.items if entry.kind is ItemKind.TEXT}
    # ``missing: all`` means no answer in every column, a text or choice item's too (a
    # survey tool writes its "seen but not answered" code, -99, whatever the question)
    no_answer = frozenset(normalise(text) for text in mapping.missing.all)
    option_columns = {
        index for first, located in per_option.items() for index in located.values()
    } - set(per_option)
    ignored: set[int] = set()
    for ref in mapping.ignore:
        found, _ = columns.find(ref)
        ignored.update(found)
    if occasion_index is not None:
        ignored.add(occasion_index)
    if not mapping.ignore_unmapped:
        for index, name in enumerate(header):
            if index not in roles and index not in items and index not in ignored:
                problem(
                    "unmapped-column",
                    f"unmapped column {name!r}: name its item under items:, or list it under "
                    "ignore: (or set ignore_unmapped: true)",
                    1,
                    index,
                )
    labels = scale_labels(instrument, mapping)
    shown: dict[str, list[str]] = {}
    for scale in scales.values():
        for label in scale.labels:
            texts = label.text.values() if isinstance(label.text, Translations) else [label.text]
            shown.setdefault(scale.id, []).extend(texts)
        shown.setdefault(scale.id, []).extend(mapping.labels.get(scale.id, {}))
    people = _people(workspace, mapping.respondent.match, tokens or {})
    rows: list[tuple[str, ...]] = []
    lines: list[int] = []
    table_lines = table.lines or tuple(range(2, len(table.rows) + 2))
    wanted = occasion
    for row, line in zip(table.rows, table_lines, strict=True):
        if not any(cell.strip() for cell in row) or len(row) != len(header):
            rows.append(tuple(row))
            lines.append(line)
            continue
        cells = list(row)
        if occasion_index is not None and isinstance(mapping.occasion, OccasionColumn):
            value = row[occasion_index].strip()
            named = mapping.occasion.values.get(value)
            answered = any(row[i].strip() for i in items)
            if named != wanted or not answered:
                if named is None and answered:
                    expected = ", ".join(repr(v) for v in mapping.occasion.values)
                    problem(
                        "unknown-occasion",
                        f"{value!r} is not one of the mapping's occasion values ({expected})",
                        line,
                        occasion_index,
                    )
                continue
        if respondent_index is not None:
            text = row[respondent_index]
            if not text.strip():
                problem("missing-respondent", MISSING_RESPONDENT, line, respondent_index)
            elif mapping.respondent.match is not RespondentMatch.ID:
                found_id, error = people(text)
                if error:
                    problem("unknown-respondent", error, line, respondent_index)
                # Its other cells are still checked, so that every problem is listed at once.
                cells[respondent_index] = found_id
        if date_index is not None and mapping.date is not None:
            cells[date_index], error = _date(row[date_index], mapping.date.format)
            if row[date_index].strip().casefold() == NOT_COMPLETED:
                cells[date_index], error = "", NOT_COMPLETED_MESSAGE
            if error:
                problem("invalid-date", error, line, date_index)
        for first, located in per_option.items():
            cells[first] = _chosen_codes(
                row, header, located, options[items[first]], problem, line, no_answer
            )
        for index, item in items.items():
            text = row[index]
            if index in option_columns or index in per_option:
                continue
            if (item in text_items or item in options) and normalise(text) in no_answer:
                cells[index] = ""
                continue
            if item in text_items:
                continue
            if item in options:
                cells[index], error = options[item].read(text)
                if error:
                    problem("unknown-label", error, line, index)
                continue
            scale_id = item_scale.get(item, "")
            known = labels.get(scale_id, {})
            key = normalise(text)
            if not key:
                continue
            if key in known:
                cells[index] = known[key] or ""
            elif not _is_number(text):
                labels_expected = shown.get(scale_id, [])
                problem(
                    "unknown-label",
                    f"{item}: the label {text.strip()!r} is not on the scale {scale_id}; "
                    f"expected one of: {', '.join(repr(t) for t in labels_expected)}, or a code "
                    f"(add it under labels: {scale_id}: in the mapping)",
                    line,
                    index,
                )
                cells[index] = ""
        if respondent_index is not None and not cells[respondent_index].strip():
            continue  # the respondent is empty or unknown: its problem is listed above
        rows.append(tuple(cells))
        lines.append(line)
    places = {index + 1: role for index, role in roles.items()}
    # A column per option is read into its item's first column; the others are consumed.
    places.update({index + 1: item for index, item in items.items() if index not in option_columns})
    mapped = ImportedTable(header=header, rows=rows, lines=lines, keys=table.keys)
    return MappedTable(
        table=mapped,
        mapping=TableMapping(columns=places),
        problems=tuple(problems),
    )


def _chosen_codes(
    row: Sequence[str],
    header: Sequence[str],
    located: Mapping[str, int],
    reader: OptionReader,
    problem: Any,
    line: int,
    no_answer: frozenset[str] = frozenset(),
) -> str:
    """Return the codes (``a;c``) of the options whose column says chosen; a cell that says
    neither chosen nor not is a problem at its column, one that says no answer (``missing:
    all``) is not chosen."""
    codes: list[str] = []
    for code, index in located.items():
        if no_answer and normalise(row[index]) in no_answer:
            continue
        option = reader.item.option(code)
        texts = [] if option is None else [*_texts(option.text)]
        texts += [t for t, c in reader.labels.items() if c == code]
        # SurveyMonkey's cell is the choice text its second header row shows.
        texts += [header[index], header[index].rpartition(" / ")[2]]
        said = chosen(row[index], texts)
        if said is None:
            problem(
                "unknown-label",
                f"{reader.item.id}: {row[index].strip()!r} does not say whether the option "
                f"{code} was chosen; expected 1 or Y (chosen), 0, N or empty (not), or the "
                "option's label",
                line,
                index,
            )
        elif said:
            codes.append(code)
    return CHOICE_SEPARATOR.join(codes)


def _texts(text: Any) -> list[str]:
    return list(text.values()) if isinstance(text, Translations) else [text]


#: Why a row without a respondent is refused, and what to do about it.
MISSING_RESPONDENT = (
    "the row has no respondent (the cell is empty), so mio cannot tell whose answers they "
    "are; a survey tool's preview or test response, or an anonymous or unfinished one? "
    "Delete the response in the tool, or export only completed responses, and export again"
)


def _is_number(text: str) -> bool:
    from ..io.cells import CellError, parse_answer

    try:
        parse_answer(text)
    except CellError:
        return False
    return True


#: A time zone written after a time, as Google Forms and others do (``2:22:01 PM EET``,
#: ``GMT+1``, ``UTC+01:00``): ``strptime``'s ``%Z`` reads none but UTC, GMT and the zone
#: of the machine.
_TRAILING_ZONE = re.compile(
    r"\s+(?!(?:AM|PM)$)(?:[A-Z]{2,5}(?:[+-][0-9]{1,2}(?::?[0-9]{2})?)?|[+-][0-9]{2}:?[0-9]{2})$"
)
#: A date, or a date and time to the minute or second, in ISO 8601 form.
_ISO_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?")


def parse_with_format(text: str, format: str) -> dt.date:
    """Return the date of ``text`` written as the ``strptime`` ``format``; a time zone after
    the time is left aside when the format has none (the date is kept as written), and an
    ISO date or date-time (what Excel makes of a timestamp it saves again) is read whatever
    the format. Raises ``ValueError``."""
    try:
        return dt.datetime.strptime(text, format).date()
    except ValueError:
        # Excel rewrites a timestamp it recognises when the file is saved again — in a
        # Swedish Excel as 2024-03-05 14:22, without the seconds: ISO is never ambiguous.
        if _ISO_DATE_TIME.fullmatch(text):
            return dt.date.fromisoformat(text[:10])
        without_zone = _TRAILING_ZONE.sub("", text)
        if without_zone == text or "%Z" in format or "%z" in format:
            raise
        return dt.datetime.strptime(without_zone, format).date()


def _date(text: str, format: str) -> tuple[str, str]:
    """Return a date cell as the cell syntax reads it (ISO), and an error text."""
    stripped = text.strip()
    if not stripped or format == "iso":
        return text, ""
    try:
        return parse_with_format(stripped, format).isoformat(), ""
    except ValueError:
        hint = excel_date_hint(stripped) or (
            "; a file opened and saved again in Excel has its dates in the computer's format: "
            "import the file the survey tool wrote, or give the format of these dates under "
            "date: format: in the mapping"
        )
        return "", f"{stripped!r} is not a date written as {format!r}{hint}"


#: What REDCap writes as the survey timestamp of a response started but never submitted.
NOT_COMPLETED = "[not completed]"
NOT_COMPLETED_MESSAGE = (
    "'[not completed]' is REDCap's survey timestamp of a response started but not "
    "submitted: export only completed responses (a report filtered on the form's "
    "'_complete' field being 2, Complete), or clear the cell to import the answers it has "
    "without a date"
)
#: What to do when the respondent column of a mapping matching by e-mail holds no address.
NOT_AN_ADDRESS = (
    "the survey did not record who answered (Microsoft Forms writes 'anonymous' when anyone "
    "can respond), so the answers cannot be matched to participants. For the next survey, "
    "let only people in your organisation respond (with 'Record name'), or ask for the "
    "participant id as a question and map that column as the respondent"
)


def _people(workspace: Workspace, match: RespondentMatch, tokens: Mapping[str, str]) -> Any:
    """Return a function from a respondent cell to (participant id, error text)."""
    people: list[Participant | Coach | Facilitator] = [
        *workspace.participants,
        *workspace.coaches,
        *workspace.facilitators,
    ]
    index: dict[str, set[str]] = {}
    if match is RespondentMatch.EMAIL:
        for person in people:
            if person.email:
                index.setdefault(person.email.strip().casefold(), set()).add(person.id)
    elif match is RespondentMatch.NAME:
        for person in people:
            index.setdefault(" ".join(person.name.split()), set()).add(person.id)
    elif match is RespondentMatch.TOKEN:
        for token, person_id in tokens.items():
            index.setdefault(token, set()).add(person_id)
    what = {"email": "e-mail address", "name": "full name", "token": "token"}.get(match.value, "id")
    where = {"token": TOKENS_FILE}.get(match.value, layout.PEOPLE)
    fix = {
        "token": f"add a line with the token and the participant's id to {TOKENS_FILE}",
        "email": f"give the person this address in {layout.PEOPLE}, or correct it in the file",
        "name": f"write the name as {layout.PEOPLE} has it, or match by e-mail address",
    }.get(match.value, f"add the person to {layout.PEOPLE}, or correct the id in the file")

    def find(text: str) -> tuple[str, str]:
        stripped = text.strip()
        key = (
            stripped.casefold()
            if match is RespondentMatch.EMAIL
            else " ".join(stripped.split())
            if match is RespondentMatch.NAME
            else stripped
        )
        found = index.get(key, set())
        # A token is a key to someone's answers: it is not repeated in messages.
        shown = "" if match is RespondentMatch.TOKEN else f" {stripped!r}"
        if not found and match is RespondentMatch.EMAIL and "@" not in stripped:
            # Microsoft Forms writes 'anonymous' for a form that anyone can answer: no one
            # to give the address to in people.yaml.
            return "", f"{stripped!r} is not an e-mail address: " + (
                NOT_AN_ADDRESS
                if stripped.casefold() == "anonymous"
                else "is the mapping's respondent the column with the addresses?"
            )
        if not found:
            return "", f"no one in {where} has this {what}{shown}; {fix}"
        if len(found) > 1:
            return (
                "",
                f"{len(found)} people in {where} have the {what}{shown} "
                f"({', '.join(sorted(found))}); give ids instead",
            )
        return next(iter(found)), ""

    return find


def occasions_in(mapping: ImportMapping, table: ImportedTable) -> frozenset[str]:
    """Return the occasions of ``mapping`` that rows of ``table`` are for (every occasion
    of a mapping with one occasion; for an occasion column, those its values name)."""
    if isinstance(mapping.occasion, str):
        return frozenset((mapping.occasion,))
    found, error = _Columns(table).find(mapping.occasion)
    if error:
        return frozenset()
    values = mapping.occasion.values
    return frozenset(
        values[row[found[0]].strip()]
        for row in table.rows
        if len(row) > found[0] and row[found[0]].strip() in values
    )


def forget_tokens(root: str | os.PathLike[str], person: str) -> int:
    """Remove the participant ``person``'s lines from the workspace's token list; return how
    many were removed. The other lines keep their bytes, whatever the file's encoding (a
    list saved by Excel is not UTF-8); the file is replaced atomically."""
    path = Path(root) / TOKENS_FILE
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return 0
    lines = data.splitlines(keepends=True)
    wanted = [person]

    def owner(line: bytes) -> list[str]:
        text = line.decode("utf-8", errors="replace")  # an id is ASCII; a token may not be
        return [cell.strip() for cell in next(csv.reader([text]), [])][1:2]

    kept = [line for number, line in enumerate(lines) if number == 0 or owner(line) != wanted]
    if len(kept) == len(lines):
        return 0
    with atomic_open(path, "wb") as stream:
        stream.write(b"".join(kept))
    return len(lines) - len(kept)

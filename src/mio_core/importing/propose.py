"""Proposing a mapping from a survey export's headers and an instrument's item texts.

A proposal is a starting point for a person to check, never an import: it matches each
column's header (or the tool's key) against every item's text in every language the
instrument has — case, spaces, punctuation and numbering such as ``1.`` or ``Q3.`` left
aside — and guesses the respondent and date columns from their names. What it guessed is
marked in the file it writes with a ``# check:`` comment.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import unicodedata
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from ..io import layout
from ..io.atomic import atomic_open
from ..io.cells import CellError, parse_date
from ..io.workspace import load_workspace
from ..io.yamlio import DEFAULT_LIMITS, Limits
from ..model import Instrument, Item, ItemKind, is_occasion
from ..model.common import Translations, is_slug
from ..plugins.interfaces import ImportedTable
from ..plugins.registry import Registry
from ..problems import MioError
from ..textsafety import one_line
from .choices import normalise
from .mapping import (
    ColumnRef,
    DateColumn,
    ImportMapping,
    OptionColumns,
    RespondentColumn,
    RespondentMatch,
    mapping_file,
    parse_with_format,
    scale_labels,
)

#: Below this similarity a header is not proposed for an item at all.
THRESHOLD = 0.75
#: From this similarity on a match is not marked for checking.
CERTAIN = 0.97

_NUMBERING = re.compile(r"^\s*(?:q(?:uestion)?\s*)?\d+(?:[._]\d+)*\s*[.):\-]?\s+", re.IGNORECASE)
_PUNCTUATION = re.compile(r"[^\w\s]|_", re.UNICODE)
#: What separates a grid question's text from its row or statement in a column header:
#: ``Question - Statement`` (Qualtrics), ``Question / Statement`` (the surveymonkey reader);
#: ``Question [Statement]`` (Google Forms, LimeSurvey's question text headings) is the other.
_STATEMENT_SEPARATORS = (" - ", " / ")

#: Header names of respondent columns, best first, and how each matches a participant.
RESPONDENT_NAMES: tuple[tuple[str, RespondentMatch], ...] = (
    ("respondent", RespondentMatch.ID),
    ("participant", RespondentMatch.ID),
    ("deltagare", RespondentMatch.ID),
    ("email", RespondentMatch.EMAIL),
    ("e mail", RespondentMatch.EMAIL),
    ("email address", RespondentMatch.EMAIL),
    ("emailaddress", RespondentMatch.EMAIL),
    ("recipient email", RespondentMatch.EMAIL),
    ("recipientemail", RespondentMatch.EMAIL),
    ("e mail address", RespondentMatch.EMAIL),
    ("e post", RespondentMatch.EMAIL),
    ("epost", RespondentMatch.EMAIL),
    ("e postadress", RespondentMatch.EMAIL),
    ("mejl", RespondentMatch.EMAIL),
    ("token", RespondentMatch.TOKEN),
    ("access token", RespondentMatch.TOKEN),
    ("id", RespondentMatch.ID),
    ("record id", RespondentMatch.ID),
)
#: Header names of the column with the date answered, best first.
DATE_NAMES = (
    "date",
    "datum",
    "completion time",
    "slutförandetid",
    "submitdate",
    "date submitted",
    "submission time",
    "submitted",
    "timestamp",
    "tidsstämpel",
    "tidstämpel",
    "survey timestamp",
    "end date",
    "enddate",
    "recorded date",
    "recordeddate",
)
#: Date formats tried on a date column that is not ISO 8601, as survey tools write them.
DATE_FORMATS = (
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%m/%d/%y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %I:%M:%S %p",
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %I:%M %p",
    "%d/%m/%Y %I:%M:%S %p",
    "%m/%d/%Y",
    "%d/%m/%Y",
    "%d.%m.%Y",
)


#: A checkbox choice's column in REDCap's labels export: ``Field label (choice=Choice label)``.
_REDCAP_CHOICE = re.compile(r"(.+?)\s*\(choice=(.+)\)", re.DOTALL)


def match_text(text: str) -> str:
    """Return ``text`` as headers and item texts are compared: NFC, casefolded, without
    numbering (``1.``, ``Q3.``), punctuation or repeated spaces."""
    text = unicodedata.normalize("NFC", text)
    text = _NUMBERING.sub("", text)
    return " ".join(_PUNCTUATION.sub(" ", text.casefold()).split())


def statement_text(header: str) -> str:
    """Return the row or statement of a grid question's column header (``Question -
    Statement``, ``Question / Statement``, ``Question [Statement]``, REDCap's ``Question
    (choice=Choice)``) as compared, or ""."""
    text = header.strip()
    choice = _REDCAP_CHOICE.fullmatch(text)
    if choice:
        return match_text(choice.group(2))
    opening = text.rfind("[")
    if text.endswith("]") and opening > 0:
        return match_text(text[opening + 1 : -1])
    for separator in _STATEMENT_SEPARATORS:
        at = text.rfind(separator)
        if at > 0:
            return match_text(text[at + len(separator) :])
    return ""


def _question_part(header: str) -> str:
    """Return a grid column's header without its statement (see :func:`statement_text`)."""
    text = header.strip()
    choice = _REDCAP_CHOICE.fullmatch(text)
    if choice:
        return choice.group(1)
    opening = text.rfind("[")
    if text.endswith("]") and opening > 0:
        return text[:opening]
    for separator in _STATEMENT_SEPARATORS:
        at = text.rfind(separator)
        if at > 0:
            return text[:at]
    return ""


def option_columns(
    item: Item, header: Sequence[str], index: int, taken: set[int]
) -> dict[str, int]:
    """Return option code → column of a multi-choice ``item`` exported as a column per
    option, found from the column ``index`` chosen for it: the columns of the same question
    whose statement is an option's label (another language's too), ``index`` among them or
    not (a choice no option is, "Other", can be the most alike to the item's text). Empty
    when ``item`` is not multi-choice, or fewer than two such columns are there."""
    if item.kind is not ItemKind.MULTI_CHOICE:
        return {}
    question = _question_part(header[index])
    if not question:
        return {}
    labels = {
        option.code: [match_text(text) for text in _all_texts(option.text)]
        for option in item.options
    }
    found: dict[str, int] = {}
    for column, text in enumerate(header):
        if column in taken or _question_part(text) != question:
            continue
        statement = statement_text(text)
        scores = sorted(
            ((max(similarity(statement, label) for label in texts), code)
             for code, texts in labels.items()),
            reverse=True,
        )  # fmt: skip
        if scores and scores[0][0] >= CERTAIN and scores[0][1] not in found:
            found[scores[0][1]] = column
    return found if len(found) > 1 else {}


def _all_texts(text: object) -> list[str]:
    return list(text.values()) if isinstance(text, Translations) else [str(text)]


def _names_item(key: str, item: str) -> bool:
    """Whether the tool's column id ``key`` is ``item``'s id, alone or at the end of a
    group path (KoboToolbox ``group/item``, ODK Central ``group-item``)."""
    return key == item or key.endswith((f"/{item}", f"-{item}"))


def similarity(a: str, b: str) -> float:
    """Return how alike two compared texts are, 0 to 1 (1: equal)."""
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


@attrs.frozen(kw_only=True)
class MappingProposal:
    """A proposed mapping and, per part of it, why it should be checked.

    ``notes`` maps ``respondent``, ``date`` or an item id to what was uncertain about it;
    ``unmatched`` lists the items no column was found for; ``unknown_labels`` the answers
    seen in an item's column that are neither a label of its scale nor a number.
    """

    mapping: ImportMapping
    source: str
    notes: Mapping[str, str] = attrs.field(factory=dict)
    unmatched: tuple[str, ...] = ()
    unknown_labels: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)

    @property
    def uncertain(self) -> bool:
        """Whether anything of the proposal was guessed or left open."""
        return bool(self.notes or self.unmatched or self.unknown_labels)

    def render(self) -> str:
        """Return the proposal as the text of ``imports/<name>.yaml``, with comments."""
        m = self.mapping
        q = _quote
        out = [
            f"# Mapping proposed by mio from {_comment(self.source)} for {m.instrument}.",
            "# Check it before importing: lines marked 'check:' were guessed.",
            "# The reference of every key: docs/importing.md.",
            f"importer: {q(m.importer)}",
            f"instrument: {q(m.instrument)}",
            f"occasion: {q(str(m.occasion))}",
            f"respondent: {{{_ref(m.respondent)}, match: {m.respondent.match.value}}}"
            + _note(self.notes.get("respondent")),
        ]
        if m.date is not None:
            out.append(
                f"date: {{{_ref(m.date)}, format: {q(m.date.format)}}}"
                + _note(self.notes.get("date"))
            )
        out.append("items:" if m.items else "items: {}")
        for item, ref in m.items.items():
            out.append(f"  {item}: {{{_ref(ref)}}}" + _note(self.notes.get(item)))
        if self.unmatched:
            out.append(f"# check: no column found for {_comment(', '.join(self.unmatched))}")
        if self.unknown_labels:
            out.append("labels:")
            for scale, texts in self.unknown_labels.items():
                out.append(f"  {scale}: {{}}")
                out.append(f"  # check: answers seen that {scale} has no label for; give each its")
                out.append('  # code ("Text": 4), or list it under missing: if it means no answer:')
                out.append(f"  # {', '.join(q(text) for text in texts)}")
        if m.ignore:
            out.append("ignore:")
            out.extend(
                f"  - {q(ref.column)}" if ref.column is not None else f"  - {{{_ref(ref)}}}"
                for ref in m.ignore
            )
        out.append(f"ignore_unmapped: {'true' if m.ignore_unmapped else 'false'}")
        return "\n".join(out) + "\n"


def _quote(text: str) -> str:
    # A JSON string is a YAML double-quoted scalar; YAML also wants every character that is
    # not printable escaped, with \U for those beyond the first plane.
    return "".join(
        char
        if char.isprintable()
        else f"\\u{ord(char):04x}"
        if ord(char) <= 0xFFFF
        else f"\\U{ord(char):08x}"
        for char in json.dumps(text, ensure_ascii=False)
    )


#: A column key that is a question's place among the questions (``ms:q7``, ``google:q2``).
_PLACE_KEY = re.compile(r"[a-z]+:q[0-9]+")


def _ref(ref: ColumnRef | OptionColumns) -> str:
    if isinstance(ref, OptionColumns):
        each = ", ".join(f"{code}: {{{_ref(column)}}}" for code, column in ref.options.items())
        return f"options: {{{each}}}"
    if ref.key is not None:
        return f"key: {_quote(ref.key)}"
    if ref.pattern is not None:
        return f"pattern: {_quote(ref.pattern)}"
    return f"column: {_quote(ref.column or '')}"


def _comment(text: str) -> str:
    # Text in a comment ends at a line break: YAML breaks lines on \r, \x85, U+2028 and
    # U+2029 too, and a file name holding one would add keys of its own to the mapping.
    return "".join(char if char.isprintable() else f"\\u{ord(char):04x}" for char in one_line(text))


def _note(note: str | None) -> str:
    return f"  # check: {_comment(note)}" if note else ""


def _item_texts(instrument: Instrument) -> dict[str, list[str]]:
    texts: dict[str, list[str]] = {}
    for item in instrument.items:
        values = item.text.values() if isinstance(item.text, Translations) else [item.text]
        texts[item.id] = [match_text(v) for v in values] + [match_text(item.id)]
    return texts


def propose_mapping(
    table: ImportedTable,
    instrument: Instrument,
    occasion: str,
    importer: str = "csv",
    source: str = "the export",
) -> MappingProposal:
    """Return a mapping of ``table``'s columns to ``instrument`` on ``occasion``, with what
    a person must check: every column is an item, the respondent, the date or left out."""
    header = [h.strip() for h in table.header]
    keys = list(table.keys) if table.keys else [""] * len(header)
    compared = [match_text(h) for h in header]
    notes: dict[str, str] = {}
    taken: set[int] = set()

    unique_keys = {k for k in keys if k and keys.count(k) == 1}

    def stable(index: int) -> ColumnRef:
        # A tool's own id of a column (``ms:email``, ``RecipientEmail``) is the same in every
        # UI language, where its header text (``Email``, ``E-post``) is not; a question's
        # place among the questions (``ms:q7``) is not kept when a question is added.
        key = keys[index]
        if key in unique_keys and not _PLACE_KEY.fullmatch(key):
            return ColumnRef(key=key)
        return ColumnRef(column=header[index])

    # by the header, else by the reader's key (a plugin's importer may name its columns'
    # roles, ``email`` or ``date``, under headers in any language)
    keyed = [match_text(key) for key in keys]
    # A column empty in every row names no one: SurveyMonkey's Email Address of a web link
    # collector, a Qualtrics RecipientEmail of an anonymous link.
    answered = (
        {i for row in table.rows for i, cell in enumerate(row) if cell.strip()}
        if table.rows
        else None  # a header-only export (no answers yet) is proposed for by its headers
    )
    respondent_index, match = _guess(compared, RESPONDENT_NAMES, answered)
    if respondent_index is None:
        respondent_index, match = _guess(keyed, RESPONDENT_NAMES, answered)
    if respondent_index is None:
        respondent = RespondentColumn(column="", match=RespondentMatch.ID)
        notes["respondent"] = "no column with the respondents was found; name it"
    else:
        taken.add(respondent_index)
        where = stable(respondent_index)
        respondent = RespondentColumn(column=where.column, key=where.key, match=match)
        notes["respondent"] = f"guessed from the header; respondents match by {match.value}" + (
            " (a tool's row number is not a participant id)" if match.value == "id" else ""
        )
    date = None
    date_names = tuple((name, None) for name in DATE_NAMES)
    date_index, _ = _guess(compared, date_names)
    if date_index is None:
        date_index, _ = _guess(keyed, date_names)
    if date_index is not None and date_index not in taken:
        taken.add(date_index)
        values = [row[date_index] for row in table.rows if len(row) > date_index]
        date_format, note = _date_format(values)
        where = stable(date_index)
        date = DateColumn(column=where.column, key=where.key, format=date_format)
        notes["date"] = note

    texts = _item_texts(instrument)
    pairs = []
    for index, text in enumerate(compared):
        if index in taken:
            continue
        statement = statement_text(header[index])
        for item, candidates in texts.items():
            score = max(similarity(text, c) for c in candidates)
            if statement:
                score = max(score, *(similarity(statement, c) for c in candidates))
            if keys[index] and (
                match_text(keys[index]) in candidates or _names_item(keys[index], item)
            ):
                score = max(score, 1.0)
            if score >= THRESHOLD:
                pairs.append((score, index, item))
    pairs.sort(key=lambda pair: (-pair[0], pair[1]))
    chosen: dict[str, tuple[int, float]] = {}
    for score, index, item in pairs:
        if item in chosen or index in taken:
            continue
        chosen[item] = (index, score)
        taken.add(index)
    items: dict[str, ColumnRef | OptionColumns] = {}
    undecided: set[int] = set()  # left out of ignore: a person must decide on them
    for entry in instrument.items:
        if entry.id not in chosen:
            continue
        index, score = chosen[entry.id]
        per_option = option_columns(entry, header, index, taken - {index})
        if per_option:
            # A checkbox question as a column per choice (SurveyMonkey, Qualtrics' split
            # columns): one of them alone would lose the other choices.
            if index not in per_option.values():
                taken.discard(index)  # left out, and named in the note if it holds answers
            taken.update(per_option.values())
            items[entry.id] = OptionColumns(
                options={code: stable(i) for code, i in per_option.items()}
            )
            notes[entry.id] = "a column per option: check the column of each option"
            continue
        ref = stable(index)
        # A column that answers the item as well as the chosen one (Qualtrics' Loop & Merge
        # copies 1_Q1, 2_Q1; a question asked twice) is neither mapped nor ignored: the import
        # stops at it until a person says which one is meant.
        rivals = [
            other
            for rival_score, other, rival_item in pairs
            if rival_item == entry.id
            and other != index
            and rival_score >= score
            and other not in taken
            and (answered is None or other in answered)  # an empty copy loses nothing
        ]
        if ref.column is not None and compared.count(compared[index]) > 1:
            notes[entry.id] = "two columns have this header text; tell them apart by key:"
        elif rivals:
            undecided.update(rivals)
            one = len(rivals) == 1
            named = ", ".join(_column_named(header, keys, other) for other in rivals[:3])
            notes[entry.id] = (
                f"{named} also answer{'s' if one else ''} this item (a Loop & Merge loop, or a "
                f"question asked twice?) and {'is' if one else 'are'} neither mapped nor "
                f"ignored, so the import stops at {'it' if one else 'them'}: map the one you "
                "mean and list the other under ignore:"
            )
        elif score < CERTAIN:
            notes[entry.id] = f"{round(score * 100)}% alike: {header[index]!r}"
        items[entry.id] = ref
    kinds = {entry.id: entry.kind for entry in instrument.items}
    for item in items:
        # A column of a choice question no option is (SurveyMonkey's "Other (please
        # specify)", Qualtrics' Other column) that holds answers is neither mapped nor
        # ignored: its answers must not be left out unnoticed.
        if kinds[item] not in (ItemKind.CHOICE, ItemKind.MULTI_CHOICE):
            continue
        index = chosen[item][0]
        question = _question_part(header[index]) or header[index]
        for other in range(len(header)):
            if (
                other in taken
                or _question_part(header[other]) != question
                or keys[other].endswith("_DO")  # Qualtrics' display order, no answer
                # the columns a reader made the chosen one of (LimeSurvey's Q from Q[SQ001]…)
                or (keys[index] and keys[other].startswith(f"{keys[index]}["))
            ):
                continue
            rows = sum(1 for row in table.rows if len(row) > other and row[other].strip())
            if not rows:
                continue
            fix = (
                "map it to an option under options:"
                if isinstance(items[item], OptionColumns)
                else "move those answers into the mapped column (labels: can name their option)"
            )
            undecided.add(other)
            also = (
                f"{_column_named(header, keys, other)} of the same question holds answers in "
                f"{rows} row{'s' if rows > 1 else ''} (an 'Other' text?) and is neither mapped "
                f"nor ignored, so the import stops at it: {fix}, list it under ignore: to leave "
                "those answers out, or clear those cells"
            )
            notes[item] = f"{notes[item]}; {also}" if notes.get(item) else also
    unmatched = tuple(item.id for item in instrument.items if item.id not in chosen)
    ignore = tuple(
        stable(index)
        for index in range(len(header))
        if index not in taken and index not in undecided
    )
    mapping = ImportMapping(
        importer=importer,
        instrument=instrument.id,
        occasion=occasion,
        respondent=respondent,
        date=date,
        items=items,
        ignore=ignore,
    )
    renamed = _renamed_columns(table, instrument, mapping, chosen, taken)
    if renamed:
        # Neither mapped nor ignored, so that the import stops at it until a person decides.
        undecided.update(renamed.values())
        mapping = attrs.evolve(
            mapping,
            ignore=tuple(
                stable(index)
                for index in range(len(header))
                if index not in taken and index not in undecided
            ),
        )
    for item, column in renamed.items():
        also = (
            f"{header[column]!r} answers this scale in the rows this column is empty (a "
            "question renamed in the form after answers came in?) and is neither mapped nor "
            "ignored, so the import stops at it: move those answers into this column in the "
            "file, or list it under ignore: to leave them out"
        )
        notes[item] = f"{notes[item]}; {also}" if notes.get(item) else also
    return MappingProposal(
        mapping=mapping,
        source=source,
        notes={k: v for k, v in notes.items() if v},
        unmatched=unmatched,
        unknown_labels=_unknown_labels(table, instrument, mapping, chosen),
    )


def _column_named(header: Sequence[str], keys: Sequence[str], index: int) -> str:
    """Return how a proposal's note names a column: its key, else its header text."""
    return repr(keys[index]) if keys[index] else repr(header[index])


def _guess(
    compared: list[str],
    names: tuple[tuple[str, RespondentMatch | None], ...],
    answered: set[int] | None = None,
) -> tuple[int | None, RespondentMatch]:
    """Return the first column (among ``answered`` when given) named one of ``names``, in
    their order, and how it matches."""
    for name, match in names:
        for index, text in enumerate(compared):
            if text == name and (answered is None or index in answered):
                return index, match or RespondentMatch.ID
    return None, RespondentMatch.ID


def _date_format(values: list[str]) -> tuple[str, str]:
    filled = [v.strip() for v in values if v.strip()]
    try:
        for value in filled:
            parse_date(value)
    except CellError:
        pass
    else:
        return "iso", ""
    fitting = []
    for date_format in DATE_FORMATS:
        try:
            for value in filled:
                _strptime(value, date_format)
        except ValueError:
            continue
        fitting.append(date_format)
    if not fitting:
        return "iso", "the dates are neither ISO nor in a format mio knows: give format:"
    if len(fitting) > 1:
        return fitting[0], f"the dates fit several formats ({', '.join(fitting)}): check"
    return fitting[0], "the date format was guessed from the answers"


def _strptime(value: str, date_format: str) -> None:
    parse_with_format(value, date_format)


def _renamed_columns(
    table: ImportedTable,
    instrument: Instrument,
    mapping: ImportMapping,
    chosen: Mapping[str, tuple[int, float]],
    taken: set[int],
) -> dict[str, int]:
    """Return item → a column left out that looks like the item's question before it was
    renamed: answered, with labels of the item's scale, only in rows where the item's
    column is empty (Google Forms and Microsoft Forms keep a renamed question's old answers
    in a column of their own)."""

    def filled(index: int) -> set[int]:
        return {n for n, row in enumerate(table.rows) if len(row) > index and row[index].strip()}

    labels = scale_labels(instrument, mapping)
    found: dict[str, int] = {}
    # REDCap's form status (<form>_complete, 0/1/2) is no answer of a renamed question.
    left_out = [
        index
        for index in range(len(table.header))
        if index not in taken and not table.header[index].strip().endswith("_complete")
    ]
    for item in instrument.items:
        scale = instrument.scale_of(item)
        if item.id not in chosen or scale is None:
            continue
        answers = {
            *labels[scale.id],
            *(code for code in labels[scale.id].values() if code),
            *(str(value) for value in range(scale.min, scale.max + 1)),
        }
        answered = filled(chosen[item.id][0])
        for index in left_out:
            rows = filled(index)
            if (
                answered
                and rows
                and not rows & answered
                and all(normalise(table.rows[n][index].strip()) in answers for n in rows)
            ):
                found[item.id] = index
                break
    return found


def _unknown_labels(
    table: ImportedTable,
    instrument: Instrument,
    mapping: ImportMapping,
    chosen: Mapping[str, tuple[int, float]],
) -> dict[str, tuple[str, ...]]:
    from .mapping import _is_number

    labels = scale_labels(instrument, mapping)
    unknown: dict[str, dict[str, None]] = {}
    for item in instrument.items:
        if item.id not in chosen:
            continue
        scale = instrument.scale_of(item)
        if scale is None:
            continue
        index = chosen[item.id][0]
        for row in table.rows:
            text = row[index].strip() if len(row) > index else ""
            if text and normalise(text) not in labels[scale.id] and not _is_number(text):
                unknown.setdefault(scale.id, {})[text] = None
    return {scale: tuple(texts) for scale, texts in unknown.items()}


def save_mapping(
    root: str | os.PathLike[str], name: str, proposal: MappingProposal, *, force: bool = False
) -> Path:
    """Write ``proposal`` as the workspace's ``imports/<name>.yaml``; return its path.

    Refuses (:class:`~mio_core.MioError`) to replace a mapping already there unless
    ``force``. The write is atomic.
    """
    if not is_slug(name):
        raise MioError(f"{name!r} is not a mapping name (lowercase letters, digits, '-' and '_')")
    if layout.is_device_name(name):
        raise MioError(
            f"{name!r} is a device name on Windows, where imports/{name}.yaml cannot be made "
            "or opened; choose another mapping name"
        )
    path = Path(root) / mapping_file(name)
    if path.exists() and not force:
        raise MioError(f"{path} exists already; give --force (Python: force=True) to replace it")
    path.parent.mkdir(exist_ok=True)
    with atomic_open(path, "w", newline="\n") as stream:
        stream.write(proposal.render())
    return path


def propose_for_file(
    workspace_path: str | os.PathLike[str],
    file: str | os.PathLike[str],
    registry: Registry,
    *,
    instrument: str,
    occasion: str,
    importer: str = "csv",
    limits: Limits = DEFAULT_LIMITS,
) -> MappingProposal:
    """Return a mapping proposed for the survey export ``file`` read by ``importer``, to
    ``instrument`` (an instrument of the workspace or a plugin) on ``occasion``."""
    from .run import _read_table

    workspace = load_workspace(workspace_path, limits, registry=registry)
    instruments = registry.instruments_for(workspace)
    if instrument not in instruments:
        raise MioError(
            f"no instrument {instrument!r}; known: {', '.join(sorted(instruments)) or 'none'}"
        )
    chosen = instruments[instrument]
    if not is_occasion(occasion) or not workspace.concept.allows(chosen, occasion):
        raise MioError(f"the instrument {instrument!r} is not made for the occasion {occasion!r}")
    table = _read_table(Path(file), registry, importer, limits)
    return propose_mapping(table, chosen, occasion, importer, Path(file).name)


def describe_importers(registry: Registry) -> list[dict[str, Any]]:
    """Return every importer (survey-tool reader) with its title, suffixes and description."""
    return [
        {
            "name": name,
            "title": importer.title,
            "suffixes": list(importer.suffixes),
            "description": importer.description,
        }
        for name, importer in sorted(registry.importers.items())
    ]

"""mio-redcap: an instrument as a REDCap data dictionary, and a data dictionary as an instrument.

The dictionary is the CSV REDCap's *Dictionary* page uploads and downloads (18 columns). Each
item becomes a ``radio`` field whose choices are ``code, label | code, label``; items on the
same scale that follow each other form one matrix (Matrix Group Name); mio's own structure
(the item's id when REDCap cannot spell it, its scale, the "no answer" codes, subscales and
reverse keys) goes in the Field Annotation as ``@MIO-...`` words, which REDCap keeps and
never shows to a respondent.

REDCap shows labels as HTML, so workspace text is written HTML-escaped (a ``<`` is ``&lt;``)
and every character a spreadsheet would start a formula with is written as a character
reference (``=`` is ``&#61;``), and so is every square bracket, which REDCap would pipe
(``[record-name]``): REDCap shows the text as it is, and a spreadsheet that opens the file
runs nothing. Reading strips HTML tags and resolves the references again.
"""

from __future__ import annotations

import csv
import html
import io
import itertools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from html.parser import HTMLParser
from typing import IO

import attrs

import mio_core as m
from mio_core.importing import kept_subscales
from mio_core.model import (
    EvaluationLevel,
    Instrument,
    InvalidField,
    Item,
    ItemKind,
    Option,
    ResponseScale,
    ScaleLabel,
    Subscale,
    Text,
    text_in,
)
from mio_core.textsafety import show_controls

__version__ = "0.1.0"

__all__ = [
    "COLUMNS",
    "LOST",
    "RedcapOptions",
    "as_kept",
    "dictionary_rows",
    "form_name",
    "instrument_from_redcap_dictionary",
    "write_redcap_dictionary",
]

#: The 18 columns of a REDCap data dictionary, as REDCap writes them.
COLUMNS = (
    "Variable / Field Name",
    "Form Name",
    "Section Header",
    "Field Type",
    "Field Label",
    "Choices, Calculations, OR Slider Labels",
    "Field Note",
    "Text Validation Type OR Show Slider Number",
    "Text Validation Min",
    "Text Validation Max",
    "Identifier?",
    "Branching Logic (Show field only if...)",
    "Required Field?",
    "Custom Alignment",
    "Question Number (surveys only)",
    "Matrix Group Name",
    "Matrix Ranking?",
    "Field Annotation",
)

#: What a data dictionary cannot hold of an instrument, field by field: the round trip
#: ``instrument_from_redcap_dictionary(write(instrument))`` equals :func:`as_kept`.
LOST: Mapping[str, str] = {
    "id": "the form name is the id with '-' written '_' ('form_' before a leading digit)",
    "title": "REDCap keeps a form's title in the project: read as the form name",
    "version": "not in the dictionary: read as '1'",
    "description": "not in the dictionary: read as none",
    "level": "not in the dictionary: given when reading (default reaction)",
    "target": "not in the dictionary: read as participant",
    "occasions": "REDCap events are set in the project: read as none",
    "source": "not in the dictionary: read as none",
    "licence": "not in the dictionary: read as none",
    "texts": "one language, the one exported (--language): every text reads back as plain text",
    "scales": "scales in the order the items first use them; a scale no item uses is not written; "
    "a value label that is the value's own number reads as no label",
    "items.scale": "an item on the first scale reads back without naming it",
    "subscales.title": "read as the subscale's id",
    "subscales.method": "read as mean",
    "subscales.min_answered": "read as 2/3",
    "subscales.order": "subscales, their items and reverse keys follow the item order; "
    "a subscale without items is not written",
}

_ACTION = re.compile(r"@MIO-([A-Z]+)(?:=(\S+))?")
_FIELD_TYPES = {
    ItemKind.TEXT: "notes",
    ItemKind.CHOICE: "radio",
    ItemKind.MULTI_CHOICE: "checkbox",
}
_CHOICE_TYPES = ("radio", "dropdown")
_FIXED_CHOICES = {
    "yesno": ((1, "Yes"), (0, "No")),
    "truefalse": ((1, "True"), (0, "False")),
}
# A character that starts a formula, at the start of a cell or after a separator a
# spreadsheet may split on (with spaces or quotes between).
_FORMULA = re.compile(r'(^|[,;])([ "]*)([=+\-@\uff1d\uff0b\uff0d\uff20])')
_VARIABLE = re.compile(r"[a-z][a-z0-9_]*")


@attrs.frozen
class RedcapOptions:
    """Options of the REDCap data dictionary export: which instrument."""

    instrument: str = ""


# --- writing ---------------------------------------------------------------------------------


def _reference(char: str) -> str:
    return f"&#{ord(char)};"


def html_text(text: str) -> str:
    """Return ``text`` as a REDCap label shows it: HTML-escaped, line breaks as ``<br>``,
    control characters visible, no formula start, no choice separator (``|``) and no
    square brackets, which REDCap pipes (``[record-name]``, ``[q2]``: another answer)."""
    text = html.escape(show_controls(text), quote=False)
    text = text.replace("|", "&#124;").replace("\r", "&#13;").replace("\t", "&#9;")
    text = text.replace("[", "&#91;").replace("]", "&#93;")
    text = text.replace("\n", "<br>")
    lead = len(text) - len(text.lstrip())
    trail = len(text.rstrip())
    if lead or trail < len(text):  # REDCap trims labels and choices: keep edge spaces as refs
        text = (
            "".join(map(_reference, text[:lead]))
            + text[lead:trail]
            + "".join(map(_reference, text[trail:]))
        )
    while True:
        changed = _FORMULA.sub(lambda g: g[1] + g[2] + _reference(g[3]), text)
        if changed == text:
            return text
        text = changed


def form_name(instrument_id: str) -> str:
    """Return the REDCap form name of an instrument: lowercase letters, digits and ``_``."""
    name = instrument_id.replace("-", "_")
    return name if name[0].isalpha() else f"form_{name}"


def _variables(items: Sequence[Item]) -> dict[str, str]:
    names: dict[str, str] = {}
    for item in items:
        name = item.id.replace("-", "_")
        name = name if name[0].isalpha() else f"v{name}"
        stem, n = name, 1
        while name in names.values() or name == "record_id":
            n += 1
            name = f"{stem}_{n}"
        names[item.id] = name
    return names


def _choices(scale: ResponseScale, language: str) -> str:
    values = [*range(scale.min, scale.max + 1), *(label.value for label in scale.missing)]
    parts = []
    for value in values:
        label = scale.label(value)
        parts.append(f"{value}, {html_text(text_in(label, language)) if label else value}")
    return " | ".join(parts)


def _option_choices(item: Item, language: str) -> str:
    return " | ".join(
        f"{option.code}, {html_text(text_in(option.text, language))}" for option in item.options
    )


def _other_field(item: Item, variable: str, form: str, language: str) -> list[str]:
    """The field of a text (``notes``), choice (``radio``) or multi-choice (``checkbox``) item."""
    tags = ["MIO", f"@MIO-KIND={item.kind.value}"]
    if variable != item.id:
        tags.append(f"@MIO-ID={item.id}")
    row = [""] * len(COLUMNS)
    row[0], row[1], row[3] = variable, form, _FIELD_TYPES[item.kind]
    row[4] = html_text(text_in(item.text, language))
    row[5] = _option_choices(item, language) if item.options else ""
    row[17] = " ".join(tags)
    return row


def dictionary_rows(instrument: Instrument, language: str) -> list[list[str]]:
    """Return the data dictionary of ``instrument`` in ``language``: the header and a row
    per field (``record_id`` first, then a ``radio`` field per item on a scale, a ``notes``
    field per text item, a ``radio`` field per choice item and a ``checkbox`` field per
    multi-choice item, each marked ``@MIO-KIND``)."""
    form = form_name(instrument.id)
    rows = [list(COLUMNS), ["record_id", form, "", "text", "Record ID", *[""] * 13]]
    variables = _variables(instrument.items)
    previous: str | None = None
    runs: dict[str, int] = {}
    for item in instrument.items:
        if item.kind is not ItemKind.SCALE:
            rows.append(_other_field(item, variables[item.id], form, language))
            previous = None
            continue
        scale = instrument.scale_of(item)
        if scale is None:
            continue
        if scale.id != previous:
            runs[scale.id] = runs.get(scale.id, 0) + 1
            previous = scale.id
        matrix = scale.id.replace("-", "_")
        matrix = matrix if matrix[0].isalpha() else f"m{matrix}"
        if runs[scale.id] > 1:
            matrix += f"_{runs[scale.id]}"
        tags = ["MIO"]
        if variables[item.id] != item.id:
            tags.append(f"@MIO-ID={item.id}")
        tags.append(f"@MIO-SCALE={scale.id}")
        if scale.missing:
            tags += [f"@MIO-MISSING={label.value}" for label in scale.missing]
        for subscale in instrument.subscales:
            if item.id in subscale.items:
                tags.append(f"@MIO-SUBSCALE={subscale.id}")
            if item.id in subscale.reverse:
                tags.append(f"@MIO-REVERSE={subscale.id}")
        row = [""] * len(COLUMNS)
        row[0], row[1], row[3] = variables[item.id], form, "radio"
        row[4] = html_text(text_in(item.text, language))
        row[5] = _choices(scale, language)
        row[15] = matrix
        row[17] = " ".join(tags)
        rows.append(row)
    return rows


def write_redcap_dictionary(
    source: m.ExportSource, stream: IO[bytes], options: RedcapOptions | None
) -> None:
    """Write the instrument named in the options as a REDCap data dictionary (UTF-8 CSV)."""
    name = options.instrument if options else ""
    if not name:
        raise m.MioError("the redcap-dictionary format needs an instrument: --instrument ID")
    instruments = source.instruments()
    if name not in instruments:
        raise m.MioError(f"no instrument {name!r}; known: {', '.join(sorted(instruments))}")
    text = io.StringIO(newline="")
    csv.writer(text, lineterminator="\r\n").writerows(
        dictionary_rows(instruments[name], source.language)
    )
    stream.write(text.getvalue().encode("utf-8"))


# --- reading ---------------------------------------------------------------------------------


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def plain_text(label: str) -> str:
    """Return the text a REDCap label shows: tags stripped, ``<br>`` a line break,
    character references resolved, edges trimmed as REDCap trims them."""
    parser = _Text()
    parser.feed(label.strip())
    parser.close()
    return "".join(parser.parts)


def _split_scale(values: Iterable[int]) -> tuple[int, int, list[int]]:
    """Return the longest run of consecutive values as (min, max), and the values off it
    (the 'no answer' codes such as 99, 777 or -1)."""
    ordered = sorted(set(values))
    best = (ordered[0], ordered[0])
    start = ordered[0]
    for previous, value in itertools.pairwise(ordered):
        if value != previous + 1:
            start = value
        if value - start > best[1] - best[0]:
            best = (start, value)
    return best[0], best[1], [v for v in ordered if not best[0] <= v <= best[1]]


def _slug(name: str) -> str:
    name = re.sub(r"[^a-z0-9_-]+", "_", name.lower()).strip("_-")
    return name[:64].strip("_-") or "item"


@attrs.frozen
class _Field:
    row: int
    variable: str
    label: str
    choices: tuple[tuple[int, str], ...]
    matrix: str
    tags: tuple[tuple[str, str], ...]
    kind: ItemKind = ItemKind.SCALE
    options: tuple[tuple[str, str], ...] = ()

    def tag(self, name: str) -> list[str]:
        return [value for key, value in self.tags if key == name]


def _other_kind(field_type: str, marked: str | None) -> ItemKind | None:
    """The kind of item a field is when it is no scale item: a ``notes`` field is a text
    item, a ``checkbox`` field a multi-choice item, a ``radio`` or ``dropdown`` field
    marked ``@MIO-KIND=choice`` a choice item (None: a scale item, or no item)."""
    if marked in ("text", "choice", "multi-choice"):
        return ItemKind(marked)
    if field_type == "notes":
        return ItemKind.TEXT
    if field_type == "checkbox":
        return ItemKind.MULTI_CHOICE
    return None


def _parse_options(text: str) -> tuple[tuple[tuple[str, str], ...], str | None]:
    options = []
    for part in text.split("|"):
        if not part.strip():
            continue
        code, comma, label = part.partition(",")
        options.append((code.strip(), plain_text(label) if comma else code.strip()))
    if not options:
        return (), "a choice field needs choices 'code, label | code, label'"
    return tuple(options), None


def _parse_choices(text: str) -> tuple[tuple[tuple[int, str], ...], str | None]:
    choices = []
    for part in text.split("|"):
        if not part.strip():
            continue
        code, comma, label = part.partition(",")
        try:
            value = int(code.strip())
        except ValueError:
            return (), f"choice {part.strip()!r} is not 'code, label' with a whole-number code"
        choices.append((value, plain_text(label) if comma else str(value)))
    if not choices:
        return (), "a radio or dropdown field needs choices 'code, label | code, label'"
    return tuple(choices), None


def instrument_from_redcap_dictionary(
    data: bytes,
    *,
    form: str | None = None,
    instrument_id: str | None = None,
    title: Text | None = None,
    level: EvaluationLevel | str = EvaluationLevel.REACTION,
    file: str = "data dictionary",
) -> Instrument:
    """Return the instrument a REDCap data dictionary describes (one form of it).

    Every ``radio``, ``dropdown``, ``yesno`` or ``truefalse`` field of the form is an item;
    fields with the same choices share a scale (named by ``@MIO-SCALE``, else by the
    matrix group, else ``scale1``, ``scale2``...). Codes off the longest run of consecutive
    codes (999, 777, -1 beside 1-5) are the scale's "no answer" codes, unless
    ``@MIO-MISSING`` names them. Other fields (text, notes, checkboxes, calculations) are
    not items and are left out. HTML in labels is stripped to its text.

    Raises :class:`mio_core.WorkspaceError` listing every problem with its row and column.
    """
    text = data.decode("utf-8-sig") if _is_utf8(data) else data.decode("cp1252")
    table = list(csv.reader(io.StringIO(text, newline="")))
    problems: list[m.Problem] = []

    def problem(row: int, column: int, message: str) -> None:
        problems.append(
            m.Problem(
                file=file, code="redcap-dictionary", message=message, line=row,
                path=(COLUMNS[column],),
            )
        )  # fmt: skip

    if not table or len(table[0]) < len(COLUMNS):
        raise m.WorkspaceError(
            [m.Problem(file=file, code="redcap-dictionary", line=1,
                       message=f"not a REDCap data dictionary: it needs the {len(COLUMNS)} "
                       f"columns {', '.join(COLUMNS)}")],
            summary=f"{file} is not a REDCap data dictionary",
        )  # fmt: skip
    fields: dict[str, list[_Field]] = {}
    for number, row in enumerate(table[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        row = [*row, *[""] * (len(COLUMNS) - len(row))]
        kind = row[3].strip().lower()
        tags = tuple((key, value or "") for key, value in _ACTION.findall(row[17]))
        marked = [value for key, value in tags if key == "KIND"]
        other = _other_kind(kind, marked[0] if marked else None)
        if other is None and kind in _CHOICE_TYPES and _parse_choices(row[5])[1] is not None:
            other = ItemKind.CHOICE  # codes that are not whole numbers: not a scale
        if other is not None:
            options: tuple[tuple[str, str], ...] = ()
            if other is not ItemKind.TEXT:
                options, error = _parse_options(row[5])
                if error:
                    problem(number, 5, error)
                    continue
            fields.setdefault(row[1].strip(), []).append(
                _Field(number, row[0].strip(), plain_text(row[4]), (), "", tags, other, options)
            )
            continue
        if kind in _CHOICE_TYPES:
            choices, error = _parse_choices(row[5])
            if error:
                problem(number, 5, error)
                continue
        elif kind in _FIXED_CHOICES:
            choices = _FIXED_CHOICES[kind]
        else:
            continue
        fields.setdefault(row[1].strip(), []).append(
            _Field(number, row[0].strip(), plain_text(row[4]), choices, row[15].strip(), tags)
        )
    if form is None and len(fields) > 1:
        problems.append(
            m.Problem(file=file, code="redcap-dictionary",
                      message=f"the dictionary has several forms ({', '.join(fields)}): "
                      "choose one (form=...)")
        )  # fmt: skip
    chosen = form if form is not None else next(iter(fields), "")
    if not problems and chosen not in fields:
        problems.append(
            m.Problem(file=file, code="redcap-dictionary",
                      message=f"no form {chosen!r} with radio, dropdown, yes/no or true/false "
                      f"fields; forms: {', '.join(fields) or 'none'}")
        )  # fmt: skip
    if problems:
        raise m.WorkspaceError(problems, summary=f"{len(problems)} problem(s) in {file}")
    instrument = _instrument(fields[chosen], problem, level)
    if problems:
        raise m.WorkspaceError(problems, summary=f"{len(problems)} problem(s) in {file}")
    assert instrument is not None
    return attrs.evolve(
        instrument,
        id=instrument_id or _slug(chosen),
        title=title if title is not None else chosen,
    )


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _instrument(
    fields: list[_Field], report: Callable[[int, int, str], None], level: EvaluationLevel | str
) -> Instrument | None:
    scales: dict[str, ResponseScale] = {}
    by_choices: dict[tuple[tuple[int, str], ...], str] = {}
    items: list[Item] = []
    subscales: dict[str, tuple[list[str], list[str]]] = {}
    for field in fields:
        if field.kind is not ItemKind.SCALE:
            ids = field.tag("ID")
            try:
                items.append(
                    Item(
                        id=ids[0] if ids else _slug(field.variable),
                        text=field.label or field.variable,
                        kind=field.kind,
                        options=[Option(code=c, text=t or c) for c, t in field.options],
                    )
                )
            except (ValueError, InvalidField) as error:
                report(field.row, 5, str(error))
            continue
        named = field.tag("SCALE")
        scale_id = named[0] if named else by_choices.get(field.choices)
        if scale_id is None:
            scale_id = _slug(field.matrix) if field.matrix else f"scale{len(scales) + 1}"
            while scale_id in scales:
                scale_id += "x"
        try:
            scale = _scale(scale_id, field.choices, field.tag("MISSING") or None)
        except (ValueError, InvalidField) as error:
            report(field.row, 5, str(error))
            continue
        if scale_id in scales and scales[scale_id] != scale:
            report(field.row, 5, f"choices differ from the other fields of scale {scale_id!r}")
            continue
        scales.setdefault(scale_id, scale)
        by_choices.setdefault(field.choices, scale_id)
        ids = field.tag("ID")
        item_id = ids[0] if ids else _slug(field.variable)
        items.append(
            Item(
                id=item_id,
                text=field.label or field.variable,
                scale=None if scale_id == next(iter(scales)) else scale_id,
            )
        )
        for name in field.tag("SUBSCALE"):
            subscales.setdefault(name, ([], []))[0].append(item_id)
        for name in field.tag("REVERSE"):
            subscales.setdefault(name, ([], []))[1].append(item_id)
    if not items:
        return None
    try:
        return Instrument(
            id="redcap",
            title="redcap",
            level=level,
            scales=list(scales.values()),
            items=items,
            subscales=tuple(
                Subscale(id=name, title=name, items=members, reverse=tuple(reverse))
                for name, (members, reverse) in subscales.items()
            ),
        )
    except (ValueError, InvalidField) as error:
        report(fields[0].row, 17, f"the form does not make an instrument: {error}")
        return None


def _scale(
    scale_id: str, choices: tuple[tuple[int, str], ...], missing_tags: list[str] | None
) -> ResponseScale:
    codes = [value for value, _ in choices]
    if len(set(codes)) != len(codes):
        raise ValueError("a code appears twice in the choices")
    if missing_tags is not None:
        missing = [int(code) for code in missing_tags]
        on_scale = [code for code in codes if code not in missing]
        low, high = min(on_scale), max(on_scale)
    else:
        low, high, missing = _split_scale(codes)
    if high == low:
        raise ValueError("a scale needs at least two values")
    labels = dict(choices)
    return ResponseScale(
        id=scale_id,
        min=low,
        max=high,
        labels=[
            ScaleLabel(value=v, text=labels[v])
            for v in range(low, high + 1)
            if v in labels and labels[v] != str(v)
        ],
        missing=[ScaleLabel(value=v, text=labels[v]) for v in missing if v in labels],
    )


# --- what the round trip keeps ---------------------------------------------------------------


def as_kept(instrument: Instrument, language: str) -> Instrument:
    """Return ``instrument`` as a data dictionary in ``language`` keeps it (see :data:`LOST`):
    what :func:`instrument_from_redcap_dictionary` reads back from what this plugin wrote."""

    def plain(text: Text) -> str:
        return text_in(text, language)

    used: list[ResponseScale] = []
    for item in instrument.items:
        scale = instrument.scale_of(item)
        if scale is not None and scale not in used:
            used.append(scale)
    scales = [
        attrs.evolve(
            scale,
            labels=[
                ScaleLabel(value=label.value, text=plain(label.text))
                for label in sorted(scale.labels, key=lambda label: label.value)
                if plain(label.text) != str(label.value)
            ],
            missing=[ScaleLabel(value=x.value, text=plain(x.text)) for x in scale.missing],
        )
        for scale in used
    ]
    items = []
    for item in instrument.items:
        if item.kind is not ItemKind.SCALE:
            options = [Option(code=o.code, text=plain(o.text)) for o in item.options]
            items.append(Item(id=item.id, text=plain(item.text), kind=item.kind, options=options))
        elif (scale := instrument.scale_of(item)) is not None:
            items.append(
                Item(
                    id=item.id, text=plain(item.text), scale=None if scale is used[0] else scale.id
                )
            )
    return Instrument(
        id=_slug(form_name(instrument.id)),
        title=form_name(instrument.id),
        level=EvaluationLevel.REACTION,
        scales=scales,
        items=items,
        subscales=kept_subscales(instrument.subscales, [item.id for item in items]),
    )


REDCAP_DICTIONARY = m.Exporter(
    name="redcap-dictionary",
    title="REDCap data dictionary of an instrument",
    suffix=".csv",
    media_type="text/csv",
    kind="binary",
    write=write_redcap_dictionary,
    options_type=RedcapOptions,
    description="the 18-column CSV REDCap's Dictionary page uploads: a radio field per item, "
    "a matrix per scale, subscales and reverse keys as @MIO- tags in the Field Annotation; "
    "needs --instrument ID",
)


@m.hookimpl
def mio_register_exporters() -> list[m.Exporter]:
    return [REDCAP_DICTIONARY]

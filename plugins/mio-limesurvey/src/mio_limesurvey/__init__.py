"""mio-limesurvey: an instrument as a LimeSurvey survey structure (``.lss``), and back.

The ``.lss`` is the XML document LimeSurvey 4/5/6 exports and imports (*Import survey*):
``<document>`` with ``<LimeSurveyDocType>Survey</LimeSurveyDocType>``, ``<DBVersion>``, the
survey's languages, and one table per element (``<groups>``, ``<questions>``,
``<subquestions>``, ``<answers>``, their ``*_l10ns`` texts per language, ``<surveys>``,
``<surveys_languagesettings>``), each as ``<fields>`` and ``<rows>``.

Each run of items on one scale becomes an array question (type ``F``) whose subquestions
``SQ001``, ``SQ002``... are the items and whose answer options ``A1``, ``A2``... are the
scale's values, each carrying the value as its *assessment value*. Reading maps an answer
code to a value through that structure (the assessment value, else the option's place in
the order LimeSurvey shows them), never by stripping the letter from the code.

A text item becomes a long free text question (type ``T``), a choice item a list (radio)
question (``L``) whose answer codes are the option codes, a multi-choice item a multiple
choice question (``M``) whose subquestions are the options (answered ``Y`` or empty in
``Q[code]`` columns of the responses). Each is its own question, titled by the item's id
(its letters and digits); a run of scale items around it is split into two arrays.

LimeSurvey shows texts as HTML: workspace text is written HTML-escaped (curly braces too,
which its ExpressionScript would run), and reading strips tags and resolves references.
The XML is read with defusedxml: no entities, no DTDs.
"""

from __future__ import annotations

import html
import itertools
import re
import zlib
from collections.abc import Callable, Iterable, Mapping
from html.parser import HTMLParser
from typing import IO
from xml.etree import ElementTree as ET

import attrs
import defusedxml.ElementTree as SafeET

import mio_core as m
from mio_core.model import (
    EvaluationLevel,
    Instrument,
    Item,
    ItemKind,
    Option,
    ResponseScale,
    ScaleLabel,
    Text,
    Translations,
    text_in,
)
from mio_core.textsafety import show_controls

__version__ = "0.1.0"

__all__ = [
    "LOST",
    "LimesurveyOptions",
    "answer_values",
    "as_kept",
    "instrument_from_lss",
    "lss_document",
    "write_lss",
]

#: The database version of LimeSurvey 5/6 structures (what ``<DBVersion>`` says).
DB_VERSION = "495"

#: What a LimeSurvey structure cannot hold of an instrument, field by field: the round trip
#: ``instrument_from_lss(write(instrument))`` equals :func:`as_kept`.
LOST: Mapping[str, str] = {
    "id": "a survey has a number, not a name: read as 'limesurvey-<survey id>' unless "
    "instrument_id= is given",
    "version": "not in the structure: read as '1'",
    "level": "not in the structure: given when reading (default reaction)",
    "target": "not in the structure: read as participant",
    "occasions": "not in the structure: read as none",
    "source": "not in the structure: read as none",
    "licence": "not in the structure: read as none",
    "subscales": "LimeSurvey has no subscales or reverse keys: read as none",
    "texts": "every text in each of the survey's languages (a plain text in all of them); "
    "one language reads back as plain text",
    "scales": "a scale's id is its question code (letters and digits); scales in the order "
    "the items first use them, a scale no item uses is not written; a value label that is "
    "the value's own number reads as no label; a 'no answer' code next to the scale reads "
    "as a scale value",
    "items.id": "scale items are the subquestions SQ001, SQ002...: read as sq001, sq002...; "
    "a text or choice item is a question titled by its id's letters and digits: read as "
    "those, lowercased ('Q' first when the id starts with a digit)",
    "items.options": "an option code is the answer (list) or subquestion (multiple choice) "
    "code when every code of the item is letters and digits, at most 5 (list) or 20, "
    "starting with a letter (multiple choice); else the codes are A1, A2... (list) or "
    "SQ001, SQ002... (multiple choice), read as a1... or sq001...",
    "items.scale": "an item on the first scale reads back without naming it",
}

_QUESTION_FIELDS = (
    "qid", "parent_qid", "sid", "gid", "type", "title", "preg", "other", "mandatory",
    "encrypted", "question_order", "scale_id", "same_default", "relevance",
    "question_theme_name", "modulename", "same_script",
)  # fmt: skip


@attrs.frozen
class LimesurveyOptions:
    """Options of the LimeSurvey structure export: which instrument."""

    instrument: str = ""


# --- writing ---------------------------------------------------------------------------------


def html_text(text: str) -> str:
    """Return ``text`` as LimeSurvey shows it: HTML-escaped, line breaks as ``<br />``,
    control characters visible, edge spaces kept as references, and curly braces as
    references: LimeSurvey's ExpressionScript runs ``{...}`` in every text it shows
    (``{TOKEN:EMAIL}``, ``{7*7}``), and a reference is not a brace to it."""
    text = html.escape(show_controls(text), quote=False).replace("\r", "&#13;")
    text = text.replace("{", "&#123;").replace("}", "&#125;")
    text = text.replace("\t", "&#9;").replace("\n", "<br />")
    lead = len(text) - len(text.lstrip())
    trail = len(text.rstrip())
    if lead or trail < len(text):
        text = (
            "".join(f"&#{ord(c)};" for c in text[:lead])
            + text[lead:trail]
            + "".join(f"&#{ord(c)};" for c in text[trail:])
        )
    return text


def languages(instrument: Instrument, fallback: str) -> list[str]:
    """Return the languages the instrument's texts are in (``[fallback]`` if all are plain)."""
    texts = [instrument.title, *(i.text for i in instrument.items)]
    if instrument.description is not None:
        texts.append(instrument.description)
    for scale in instrument.scales:
        texts += [label.text for label in (*scale.labels, *scale.missing)]
    texts += [option.text for item in instrument.items for option in item.options]
    found: list[str] = []
    for text in texts:
        if isinstance(text, Translations):
            found += [language for language in text if language not in found]
    return found or [fallback]


def _code(scale_id: str) -> str:
    code = re.sub(r"[^A-Za-z0-9]", "", scale_id)
    return code if code[:1].isalpha() else f"Q{code}"


_LIST_CODE = re.compile(r"[a-z0-9]{1,5}")
_SUBQUESTION_CODE = re.compile(r"[a-z][a-z0-9]{0,19}")
#: The question type of each kind of item that is not on a scale.
QUESTION_TYPES = {ItemKind.TEXT: "T", ItemKind.CHOICE: "L", ItemKind.MULTI_CHOICE: "M"}


def option_codes(item: Item) -> list[str]:
    """Return the LimeSurvey codes of a choice item's options: the option codes when all
    are letters and digits LimeSurvey takes (an answer code: at most 5; a subquestion code:
    a letter first, at most 20), else ``A1, A2...`` (list) or ``SQ001...`` (multiple choice)."""
    codes = [option.code for option in item.options]
    if item.kind is ItemKind.MULTI_CHOICE:
        if all(_SUBQUESTION_CODE.fullmatch(code) for code in codes):
            return codes
        return [f"SQ{n:03d}" for n in range(1, len(codes) + 1)]
    if all(_LIST_CODE.fullmatch(code) for code in codes):
        return codes
    return [f"A{n}" for n in range(1, len(codes) + 1)]


def _table(
    parent: ET.Element, name: str, fields: Iterable[str], rows: list[dict[str, str]]
) -> None:
    table = ET.SubElement(parent, name)
    names = ET.SubElement(table, "fields")
    fields = list(fields)
    for field in fields:
        ET.SubElement(names, "fieldname").text = field
    body = ET.SubElement(table, "rows")
    for row in rows:
        element = ET.SubElement(body, "row")
        for field in fields:
            if field in row:
                ET.SubElement(element, field).text = row[field]


def survey_id(instrument: Instrument) -> int:
    """Return the survey id written for ``instrument``: six digits that follow from its id."""
    return 100000 + zlib.crc32(instrument.id.encode("utf-8")) % 900000


def lss_document(instrument: Instrument, language: str) -> ET.Element:
    """Return the ``.lss`` document of ``instrument``; ``language`` is the base language when
    the instrument has texts in it (the others become additional languages)."""
    langs = languages(instrument, language)
    if language in langs:
        langs.remove(language)
        langs.insert(0, language)
    sid = str(survey_id(instrument))
    root = ET.Element("document")
    ET.SubElement(root, "LimeSurveyDocType").text = "Survey"
    ET.SubElement(root, "DBVersion").text = DB_VERSION
    element = ET.SubElement(root, "languages")
    for lang in langs:
        ET.SubElement(element, "language").text = lang

    def l10n(text: Text | None, lang: str) -> str:
        return html_text(text_in(text, lang)) if text is not None else ""

    questions: list[dict[str, str]] = []
    subquestions: list[dict[str, str]] = []
    question_texts: list[dict[str, str]] = []

    def add_texts(qid: int, text: Text | None) -> None:
        """Add the question (or subquestion) ``qid``'s text in every language."""
        for lang in langs:
            question_texts.append(
                {"id": str(len(question_texts) + 1), "qid": str(qid),
                 "question": l10n(text, lang), "help": "", "script": "", "language": lang}
            )  # fmt: skip

    answers: list[dict[str, str]] = []
    answer_texts: list[dict[str, str]] = []
    codes: list[str] = []
    qid = 0
    number = 0
    base = {"sid": sid, "gid": "1", "preg": "", "other": "N", "mandatory": "N",
            "encrypted": "N", "scale_id": "0", "same_default": "0", "relevance": "1",
            "modulename": "", "same_script": "0"}  # fmt: skip
    for order, (scale, items) in enumerate(_blocks(instrument), start=1):
        code = _code(scale.id if scale is not None else items[0].id)
        while code in codes:
            code += "x"
        codes.append(code)
        qid += 1
        question = qid
        if scale is None:  # a text, choice or multi-choice item: a question of its own
            item = items[0]
            questions.append(
                {**base, "qid": str(question), "parent_qid": "0",
                 "type": QUESTION_TYPES[item.kind], "title": code,
                 "question_order": str(order), "question_theme_name": ""}
            )  # fmt: skip
            add_texts(question, item.text)
            written = option_codes(item)
            for position, (option, option_code) in enumerate(
                zip(item.options, written, strict=True), start=1
            ):
                if item.kind is ItemKind.CHOICE:
                    aid = str(len(answers) + 1)
                    answers.append(
                        {"aid": aid, "qid": str(question), "code": option_code,
                         "sortorder": str(position), "assessment_value": "0",
                         "scale_id": "0"}
                    )  # fmt: skip
                    for lang in langs:
                        answer_texts.append(
                            {"id": str(len(answer_texts) + 1), "aid": aid,
                             "answer": l10n(option.text, lang), "language": lang}
                        )  # fmt: skip
                    continue
                qid += 1
                subquestions.append(
                    {**base, "qid": str(qid), "parent_qid": str(question), "type": "T",
                     "title": option_code, "question_order": str(position),
                     "question_theme_name": ""}
                )  # fmt: skip
                add_texts(qid, option.text)
            continue
        questions.append(
            {**base, "qid": str(question), "parent_qid": "0", "type": "F", "title": code,
             "question_order": str(order), "question_theme_name": "arrays/array"}
        )  # fmt: skip
        add_texts(question, scale.id)
        for position, item in enumerate(items, start=1):
            qid += 1
            number += 1
            subquestions.append(
                {**base, "qid": str(qid), "parent_qid": str(question), "type": "T",
                 "title": f"SQ{number:03d}", "question_order": str(position),
                 "question_theme_name": ""}
            )  # fmt: skip
            add_texts(qid, item.text)
        values = [*range(scale.min, scale.max + 1), *(label.value for label in scale.missing)]
        for sortorder, value in enumerate(values, start=1):
            aid = str(len(answers) + 1)
            answers.append(
                {"aid": aid, "qid": str(question), "code": f"A{sortorder}",
                 "sortorder": str(sortorder), "assessment_value": str(value), "scale_id": "0"}
            )  # fmt: skip
            label = scale.label(value)
            for lang in langs:
                answer_texts.append(
                    {"id": str(len(answer_texts) + 1), "aid": aid,
                     "answer": l10n(label, lang) if label is not None else str(value),
                     "language": lang}
                )  # fmt: skip

    _table(root, "answers", ("aid", "qid", "code", "sortorder", "assessment_value", "scale_id"),
           answers)  # fmt: skip
    _table(root, "answer_l10ns", ("id", "aid", "answer", "language"), answer_texts)
    _table(root, "groups", ("gid", "sid", "group_order", "randomization_group", "grelevance"),
           [{"gid": "1", "sid": sid, "group_order": "1", "randomization_group": "",
             "grelevance": "1"}])  # fmt: skip
    _table(root, "group_l10ns", ("id", "gid", "group_name", "description", "language"),
           [{"id": str(n), "gid": "1", "group_name": l10n(instrument.title, lang),
             "description": "", "language": lang} for n, lang in enumerate(langs, start=1)]
           )  # fmt: skip
    _table(root, "questions", _QUESTION_FIELDS, questions)
    _table(root, "subquestions", _QUESTION_FIELDS, subquestions)
    _table(root, "question_l10ns", ("id", "qid", "question", "help", "script", "language"),
           question_texts)  # fmt: skip
    _table(root, "surveys", ("sid", "gsid", "admin", "adminemail", "anonymized", "format",
                             "language", "additional_languages", "datestamp", "assessments",
                             "usetokens", "showprogress"),
           [{"sid": sid, "gsid": "1", "admin": "inherit", "adminemail": "inherit",
             "anonymized": "N", "format": "G", "language": langs[0],
             "additional_languages": " ".join(langs[1:]), "datestamp": "Y",
             "assessments": "N", "usetokens": "N", "showprogress": "Y"}])  # fmt: skip
    _table(root, "surveys_languagesettings",
           ("surveyls_survey_id", "surveyls_language", "surveyls_title", "surveyls_description"),
           [{"surveyls_survey_id": sid, "surveyls_language": lang,
             "surveyls_title": l10n(instrument.title, lang),
             "surveyls_description": l10n(instrument.description, lang)} for lang in langs]
           )  # fmt: skip
    ET.indent(root, space=" ")
    return root


def _blocks(instrument: Instrument) -> list[tuple[ResponseScale | None, list[Item]]]:
    """The questions of the structure in order: (scale, its run of items) for an array,
    (None, [item]) for a text, choice or multi-choice item."""
    blocks: list[tuple[ResponseScale | None, list[Item]]] = []
    for item in instrument.items:
        if item.kind is not ItemKind.SCALE:
            blocks.append((None, [item]))
            continue
        scale = instrument.scale_of(item)
        if scale is None:
            continue
        if blocks and blocks[-1][0] is scale:
            blocks[-1][1].append(item)
        else:
            blocks.append((scale, [item]))
    return blocks


def write_lss(source: m.ExportSource, stream: IO[bytes], options: LimesurveyOptions | None) -> None:
    """Write the instrument named in the options as a LimeSurvey survey structure (.lss)."""
    name = options.instrument if options else ""
    if not name:
        raise m.MioError("the limesurvey format needs an instrument: --instrument ID")
    instruments = source.instruments()
    if name not in instruments:
        raise m.MioError(f"no instrument {name!r}; known: {', '.join(sorted(instruments))}")
    document = lss_document(instruments[name], source.language)
    stream.write(b'<?xml version="1.0" encoding="UTF-8"?>\n')
    stream.write(ET.tostring(document, encoding="utf-8", xml_declaration=False))
    stream.write(b"\n")


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
    """Return the text an HTML label shows: tags stripped, ``<br>`` a line break,
    references resolved, edges trimmed (line breaks in the HTML source are not text)."""
    parser = _Text()
    parser.feed(" ".join(label.strip().splitlines()) if "<" in label else label.strip())
    parser.close()
    return "".join(parser.parts)


def _rows(root: ET.Element, table: str) -> list[dict[str, str]]:
    return [
        {child.tag: child.text or "" for child in row}
        for row in root.findall(f"./{table}/rows/row")
    ]


def _split_scale(values: Iterable[int]) -> tuple[int, int, list[int]]:
    ordered = sorted(set(values))
    best = (ordered[0], ordered[0])
    start = ordered[0]
    for previous, value in itertools.pairwise(ordered):
        if value != previous + 1:
            start = value
        if value - start > best[1] - best[0]:
            best = (start, value)
    return best[0], best[1], [v for v in ordered if not best[0] <= v <= best[1]]


def _int(text: str) -> int | None:
    try:
        return int(float(text))
    except ValueError:
        return None


def answer_values(data: bytes) -> dict[str, dict[str, int]]:
    """Return, per array question code, its answer codes and the scale value each means:
    the assessment values when they tell the options apart, else 1, 2... in the order
    LimeSurvey shows the options (``sortorder``)."""
    root = _parse(data, "survey structure")
    return {code: values for code, (values, _) in _answer_options(root).items()}


def _parse(data: bytes, file: str) -> ET.Element:
    try:
        root: ET.Element = SafeET.fromstring(data)
    except Exception as error:  # defusedxml's refusals and ParseError alike
        raise m.MioError(f"{file}: not a LimeSurvey survey structure (.lss): {error}") from None
    if root.tag != "document" or (root.findtext("LimeSurveyDocType") or "").strip() != "Survey":
        raise m.MioError(
            f"{file}: not a LimeSurvey survey structure: it needs "
            "<document><LimeSurveyDocType>Survey</LimeSurveyDocType>"
        )
    return root


def _answer_options(
    root: ET.Element,
) -> dict[str, tuple[dict[str, int], dict[str, str]]]:
    """Per question code: answer code → value, and answer id → answer code."""
    titles = {q["qid"]: q.get("title", "") for q in _rows(root, "questions")}
    by_question: dict[str, list[dict[str, str]]] = {}
    for answer in _rows(root, "answers"):
        if answer.get("scale_id", "0") in ("", "0"):
            by_question.setdefault(answer["qid"], []).append(answer)
    result = {}
    for qid, options in by_question.items():
        options.sort(key=lambda a: _int(a.get("sortorder", "")) or 0)
        assessed = [_int(a.get("assessment_value", "")) for a in options]
        numbers = [value for value in assessed if value is not None]
        distinct = len(numbers) == len(set(numbers)) == len(assessed) and any(numbers)
        values = {a["code"]: (numbers[n] if distinct else n + 1) for n, a in enumerate(options)}
        result[titles.get(qid, qid)] = (values, {a["aid"]: a["code"] for a in options})
    return result


def _slug(name: str) -> str:
    name = re.sub(r"[^a-z0-9_-]+", "-", name.lower()).strip("_-")
    return name[:64].strip("_-") or "x"


def instrument_from_lss(
    data: bytes,
    *,
    instrument_id: str | None = None,
    level: EvaluationLevel | str = EvaluationLevel.REACTION,
    file: str = "survey structure",
) -> Instrument:
    """Return the instrument a LimeSurvey ``.lss`` describes: each array question (types
    ``F``, ``A``, ``B``, ``E``, ``H``) gives a scale from its answer options and an item per
    subquestion; texts in each of the survey's languages. Other questions are left out.

    Codes map to values through the structure (see :func:`answer_values`); values off the
    longest run of consecutive values are the scale's "no answer" codes.
    """
    root = _parse(data, file)
    langs = [e.text or "" for e in root.findall("./languages/language")]
    if not langs:
        raise m.MioError(f"{file}: the survey structure names no language (<languages>)")

    def text(texts: dict[str, str]) -> Text:
        if len(langs) == 1:
            return plain_text(texts.get(langs[0], ""))
        return Translations({lang: plain_text(texts.get(lang, "")) for lang in langs})

    l10n: dict[str, dict[str, str]] = {}
    for row in _rows(root, "question_l10ns"):
        l10n.setdefault(row["qid"], {})[row.get("language", "")] = row.get("question", "")
    answer_l10n: dict[str, dict[str, str]] = {}
    for row in _rows(root, "answer_l10ns"):
        answer_l10n.setdefault(row["aid"], {})[row.get("language", "")] = row.get("answer", "")
    options = _answer_options(root)
    questions = sorted(
        (q for q in _rows(root, "questions") if q.get("parent_qid", "0") in ("", "0")),
        key=lambda q: _int(q.get("question_order", "")) or 0,
    )
    subquestions = _rows(root, "subquestions") + [
        q for q in _rows(root, "questions") if q.get("parent_qid", "0") not in ("", "0")
    ]
    scales: list[ResponseScale] = []
    items: list[Item] = []
    for question in questions:
        code = question.get("title", "")
        kind = _KINDS.get(question.get("type", ""))
        if kind is not None:
            item = _other_item(
                kind, question, text, l10n, answer_l10n, _rows(root, "answers"), subquestions
            )
            if item is not None:
                while any(i.id == item.id for i in items):
                    item = attrs.evolve(item, id=_slug(f"{item.id}-x"))
                items.append(item)
            continue
        if question.get("type") not in ("F", "A", "B", "E", "H") or code not in options:
            continue
        values, codes = options[code]
        if len(values) < 2:
            continue
        labels = {values[codes[aid]]: text(answer_l10n.get(aid, {})) for aid in codes}
        low, high, missing = _split_scale(values.values())
        scale = ResponseScale(
            id=_slug(code),
            min=low,
            max=high,
            labels=[
                ScaleLabel(value=v, text=labels[v])
                for v in range(low, high + 1)
                if v in labels and not _is_number_label(labels[v], v)
            ],
            missing=[ScaleLabel(value=v, text=labels[v]) for v in missing],
        )
        same = next((s for s in scales if attrs.evolve(s, id=scale.id) == scale), None)
        if same is None:
            scales.append(scale)
            same = scale
        rows = sorted(
            (s for s in subquestions if s.get("parent_qid") == question["qid"]
             and s.get("scale_id", "0") in ("", "0")),
            key=lambda s: _int(s.get("question_order", "")) or 0,
        )  # fmt: skip
        for row in rows:
            item_id = _slug(row.get("title", ""))
            while any(i.id == item_id for i in items):
                item_id = _slug(f"{code}-{item_id}")
            items.append(
                Item(
                    id=item_id,
                    text=text(l10n.get(row["qid"], {})),
                    scale=None if same is scales[0] else same.id,
                )
            )
    if not items:
        raise m.MioError(f"{file}: the survey has no array, text, list or multiple choice question")
    settings = _rows(root, "surveys_languagesettings")
    titles = {r.get("surveyls_language", ""): r.get("surveyls_title", "") for r in settings}
    descriptions = {
        r.get("surveyls_language", ""): r.get("surveyls_description", "") for r in settings
    }
    sid = (_rows(root, "surveys") or [{}])[0].get("sid", "")
    return Instrument(
        id=instrument_id or _slug(f"limesurvey-{sid}"),
        title=text(titles) if any(titles.values()) else f"LimeSurvey {sid}",
        description=text(descriptions) if any(descriptions.values()) else None,
        level=level,
        scales=scales,
        items=items,
    )


#: The question types read as items that are not on a scale: free text (short, long,
#: huge), list (radio, dropdown, with comment), multiple choice (with comments).
_KINDS = {
    "S": ItemKind.TEXT, "T": ItemKind.TEXT, "U": ItemKind.TEXT,
    "L": ItemKind.CHOICE, "!": ItemKind.CHOICE, "O": ItemKind.CHOICE,
    "M": ItemKind.MULTI_CHOICE, "P": ItemKind.MULTI_CHOICE,
}  # fmt: skip


def _other_item(
    kind: ItemKind,
    question: dict[str, str],
    text: Callable[[dict[str, str]], Text],
    l10n: dict[str, dict[str, str]],
    answer_l10n: dict[str, dict[str, str]],
    answers: list[dict[str, str]],
    subquestions: list[dict[str, str]],
) -> Item | None:
    """The text, choice or multi-choice item of a question (None: a list without options)."""
    qid = question["qid"]
    if kind is ItemKind.CHOICE:
        rows = [a for a in answers if a.get("qid") == qid and a.get("scale_id", "0") in ("", "0")]
        rows.sort(key=lambda a: _int(a.get("sortorder", "")) or 0)
        options = [
            Option(code=_slug(a.get("code", "")), text=text(answer_l10n.get(a["aid"], {})))
            for a in rows
        ]
    elif kind is ItemKind.MULTI_CHOICE:
        rows = [s for s in subquestions if s.get("parent_qid") == qid]
        rows.sort(key=lambda s: _int(s.get("question_order", "")) or 0)
        options = [
            Option(code=_slug(s.get("title", "")), text=text(l10n.get(s["qid"], {}))) for s in rows
        ]
    else:
        options = []
    if kind is not ItemKind.TEXT and not options:
        return None
    return Item(
        id=_slug(question.get("title", "")),
        text=text(l10n.get(qid, {})),
        kind=kind,
        options=options,
    )


def _is_number_label(label: Text, value: int) -> bool:
    texts = [label] if isinstance(label, str) else list(label.values())
    return all(t == str(value) for t in texts)


# --- what the round trip keeps ---------------------------------------------------------------


def as_kept(instrument: Instrument, language: str) -> Instrument:
    """Return ``instrument`` as a ``.lss`` written with base ``language`` keeps it (see
    :data:`LOST`): what :func:`instrument_from_lss` reads back from what this plugin wrote."""
    langs = languages(instrument, language)

    def kept(text: Text) -> Text:
        if len(langs) == 1:
            return text_in(text, langs[0])
        return Translations({lang: text_in(text, lang) for lang in langs})

    codes: list[str] = []
    scales: list[ResponseScale] = []
    items: list[Item] = []
    previous: ResponseScale | None = None
    number = 0
    array_code = ""
    for item in instrument.items:
        if item.kind is not ItemKind.SCALE:
            code = _code(item.id)
            while code in codes:
                code += "x"
            codes.append(code)
            previous = None
            written = option_codes(item)
            item_id = _slug(code)
            while any(i.id == item_id for i in items):
                item_id = _slug(f"{item_id}-x")
            items.append(
                Item(
                    id=item_id,
                    text=kept(item.text),
                    kind=item.kind,
                    options=[
                        Option(code=_slug(c), text=kept(o.text))
                        for o, c in zip(item.options, written, strict=True)
                    ],
                )
            )
            continue
        original = instrument.scale_of(item)
        if original is None:
            continue
        if original is not previous:
            code = _code(original.id)
            array_code = code
            while code in codes:
                code += "x"
            codes.append(code)
            previous = original
            texts = {v: kept(t) for v in range(original.min, original.max + 1)
                     if (t := original.label(v)) is not None}  # fmt: skip
            texts.update({x.value: kept(x.text) for x in original.missing})
            values = [*range(original.min, original.max + 1), *(x.value for x in original.missing)]
            low, high, missing = _split_scale(values)
            scale = ResponseScale(
                id=_slug(code), min=low, max=high,
                labels=[ScaleLabel(value=v, text=texts[v]) for v in range(low, high + 1)
                        if v in texts and not _is_number_label(texts[v], v)],
                missing=[ScaleLabel(value=v, text=texts.get(v, str(v))) for v in missing],
            )  # fmt: skip
            same = next((s for s in scales if attrs.evolve(s, id=scale.id) == scale), None)
            if same is None:
                scales.append(scale)
            current = scale if same is None else same
        number += 1
        item_id = f"sq{number:03d}"
        while any(i.id == item_id for i in items):
            item_id = _slug(f"{array_code}-{item_id}")
        items.append(
            Item(
                id=item_id,
                text=kept(item.text),
                scale=None if current is scales[0] else current.id,
            )
        )
    return Instrument(
        id=f"limesurvey-{survey_id(instrument)}",
        title=kept(instrument.title),
        description=None if instrument.description is None else kept(instrument.description),
        level=EvaluationLevel.REACTION,
        scales=scales,
        items=items,
    )


LIMESURVEY = m.Exporter(
    name="limesurvey",
    title="LimeSurvey survey structure of an instrument (.lss)",
    suffix=".lss",
    media_type="application/xml",
    kind="binary",
    write=write_lss,
    options_type=LimesurveyOptions,
    description="the XML LimeSurvey imports as a survey: an array question per scale, "
    "subquestions SQ001... for the items, answer codes A1... with the value as assessment "
    "value, every language of the instrument; needs --instrument ID",
)


@m.hookimpl
def mio_register_exporters() -> list[m.Exporter]:
    return [LIMESURVEY]

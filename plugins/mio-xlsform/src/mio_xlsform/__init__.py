"""mio-xlsform: an instrument as an XLSForm (survey, choices and settings sheets).

Every text is written as a string cell, never a formula (docs/security.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import IO, Any

import attrs

import mio_core as m
from mio_core.model import Instrument, Text, Translations, text_in
from mio_core.textsafety import workbook_text

__version__ = "0.1.0"

LANGUAGE_NAMES = {"sv": "Svenska", "en": "English", "fi": "Suomi", "no": "Norsk", "da": "Dansk"}


@attrs.frozen
class XlsformOptions:
    """Options of the XLSForm export: which instrument."""

    instrument: str = ""


def _languages(instrument: Instrument, fallback: str) -> list[str]:
    texts = [instrument.title, *(i.text for i in instrument.items)]
    for scale in instrument.scales:
        texts += [label.text for label in (*scale.labels, *scale.missing)]
    found: list[str] = []
    for text in texts:
        if isinstance(text, Translations):
            found += [language for language in text if language not in found]
    return found or [fallback]


def _column(language: str) -> str:
    return f"label::{LANGUAGE_NAMES.get(language, language)} ({language})"


def _save(workbook: Any, stream: IO[bytes]) -> None:
    """Save ``workbook`` so that its bytes follow from its content and the generation date.

    openpyxl stamps the document properties and every zip member with the current time;
    here they carry :func:`~mio_core.export.reproducible.generation_time` instead, which
    ``SOURCE_DATE_EPOCH`` fixes.
    """
    from openpyxl.writer.excel import ExcelWriter

    from mio_core.export import ReproducibleZipFile, generation_time, zip_date_time

    when = generation_time()
    workbook.properties.created = workbook.properties.modified = when.replace(tzinfo=None)
    archive = ReproducibleZipFile(stream, date_time=zip_date_time(when))
    ExcelWriter(workbook, archive).save()  # closes the archive


def _append(sheet: Any, row: Sequence[object]) -> None:
    """Append ``row``; text becomes a string cell (openpyxl makes ``=...`` a formula)."""
    sheet.append([workbook_text(v) if isinstance(v, str) else v for v in row])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"


def write_xlsform(
    source: m.ExportSource, stream: IO[bytes], options: XlsformOptions | None
) -> None:
    """Write the instrument named in the options as an XLSForm workbook."""
    from openpyxl import Workbook

    name = options.instrument if options else ""
    if not name:
        raise m.MioError("the xlsform format needs an instrument: --instrument ID")
    instruments = source.instruments()
    if name not in instruments:
        raise m.MioError(f"no instrument {name!r}; known: {', '.join(sorted(instruments))}")
    instrument = instruments[name]
    languages = _languages(instrument, source.language)
    labels = [_column(language) for language in languages]

    def texts(text: Text | None) -> list[str]:
        return [text_in(text, language) for language in languages]

    workbook = Workbook()
    survey = workbook.active
    survey.title = "survey"
    _append(survey, ["type", "name", *labels, "required", "hint::English (en)"])
    respondent = {"sv": "Ditt deltagar-id", "en": "Your participant id"}
    _append(
        survey,
        [
            "text",
            "respondent",
            *(respondent.get(lang, respondent["en"]) for lang in languages),
            "yes",
            "As given by the programme team",
        ],
    )
    _append(survey, ["today", "date", *([""] * len(languages)), "", ""])
    for item in instrument.items:
        scale = instrument.scale_of(item)
        if scale is None:
            continue
        _append(survey, [f"select_one {scale.id}", item.id, *texts(item.text), "no", ""])

    choices = workbook.create_sheet("choices")
    _append(choices, ["list_name", "name", *labels])
    for scale in instrument.scales:
        for value in range(scale.min, scale.max + 1):
            label = scale.label(value)
            _append(
                choices,
                [scale.id, str(value), *(texts(label) if label else [str(value)] * len(languages))],
            )
        for missing in scale.missing:
            _append(choices, [scale.id, str(missing.value), *texts(missing.text)])

    settings = workbook.create_sheet("settings")
    _append(settings, ["form_title", "form_id", "version", "default_language"])
    _append(
        settings,
        [
            text_in(instrument.title, source.language),
            instrument.id,
            instrument.version,
            LANGUAGE_NAMES.get(source.language, source.language) + f" ({source.language})"
            if source.language in languages
            else LANGUAGE_NAMES.get(languages[0], languages[0]) + f" ({languages[0]})",
        ],
    )
    _save(workbook, stream)


XLSFORM = m.Exporter(
    name="xlsform",
    title="XLSForm of an instrument (KoboToolbox, ODK)",
    suffix=".xlsx",
    media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    kind="binary",
    write=write_xlsform,
    options_type=XlsformOptions,
    description="survey, choices and settings sheets with a label column per language; "
    "needs --instrument ID",
)


@m.hookimpl
def mio_register_exporters() -> list[m.Exporter]:
    return [XLSFORM]

"""mio-xlsform: an instrument as an XLSForm (survey, choices and settings sheets), and an
XLSForm as an instrument.

The form never asks a respondent to type an id: either they pick themselves from the
cohort's participants (``respondent="choice"``) or a hidden ``token`` question is filled
from the survey link (``respondent="token"``, matched through ``imports/tokens.csv``).
Every text is written as a string cell, never a formula (docs/security.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO

import attrs

import mio_core as m
from mio_core.importing import kept_subscales
from mio_core.model import (
    Instrument,
    Item,
    ItemKind,
    Option,
    Participant,
    ScaleLabel,
    Text,
    Translations,
    text_in,
)
from mio_core.textsafety import workbook_text

from ._form import (
    LANGUAGE_NAMES,
    RESPONDENT_MODES,
    Sheets,
    language_column,
    languages,
    sheets,
    xml_name,
)
from ._read import instrument_from_xlsform

__version__ = "0.2.0"

__all__ = [
    "LANGUAGE_NAMES",
    "LOST",
    "RESPONDENT_MODES",
    "Sheets",
    "XlsformOptions",
    "as_kept",
    "instrument_from_xlsform",
    "language_column",
    "languages",
    "sheets",
    "workbook_bytes",
    "write_xlsform",
    "xml_name",
]

#: What an XLSForm cannot hold of an instrument, field by field: the round trip
#: ``instrument_from_xlsform(written)`` equals :func:`as_kept`.
LOST: Mapping[str, str] = {
    "title": "form_title has one language: read as the title in the form's default language",
    "description": "not in the form: read as none",
    "source": "not in the form: read as none",
    "texts": "a text the same in every language of the form reads as plain text; a language "
    "a text lacks reads as the text in English, else its first language; control "
    "characters read as \\uXXXX",
    "subscales.title": "read as the subscale's id",
    "subscales.method": "read as mean",
    "subscales.min_answered": "read as 2/3",
    "subscales.order": "subscales, their items and reverse keys follow the item order; "
    "a subscale without items is not written",
}


@attrs.frozen
class XlsformOptions:
    """Options of the XLSForm export: which instrument, and how the form knows who answered:
    ``respondent=token`` (a hidden question the survey link fills) or ``respondent=choice``
    (the cohort's participants pick their name; needs ``cohort`` and
    ``mio export --identified``)."""

    instrument: str = ""
    respondent: str = "token"
    cohort: str = ""


def _participants(source: m.ExportSource, cohort_id: str) -> list[Participant]:
    if not cohort_id:
        raise m.MioError("respondent=choice lists a cohort's participants: --option cohort=ID")
    if not source.identified:
        raise m.MioError(
            "respondent=choice shows the participants' names: export with --identified "
            "(the form then holds personal data; share it only with the survey tool)"
        )
    cohorts = {cohort.id: cohort for cohort in source.workspace.cohorts}
    if cohort_id not in cohorts:
        raise m.MioError(f"no cohort {cohort_id!r}; known: {', '.join(sorted(cohorts)) or 'none'}")
    people = {person.id: person for person in source.workspace.participants}
    return [people[p] for p in cohorts[cohort_id].participants if p in people]


def workbook_bytes(form: Sheets, stream: IO[bytes]) -> None:
    """Save ``form`` as an xlsx workbook whose bytes follow from its content and the
    generation date: every text a string cell, never a formula."""
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet
    from openpyxl.writer.excel import ExcelWriter

    from mio_core.export import ReproducibleZipFile, generation_time, zip_date_time

    workbook = Workbook()
    first = True
    for title, rows in (
        ("survey", form.survey),
        ("choices", form.choices),
        ("settings", form.settings),
    ):
        sheet = workbook.active if first else workbook.create_sheet(title)
        if not isinstance(sheet, Worksheet):  # a new workbook's active sheet is a worksheet
            raise TypeError(f"openpyxl gave a {type(sheet).__name__} for the {title} sheet")
        first = False
        sheet.title = title
        for row in rows:
            sheet.append(list(row))
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # openpyxl makes "=..." a formula
    # openpyxl stamps the properties and every zip member with the current time; here
    # they carry generation_time(), which SOURCE_DATE_EPOCH fixes.
    when = generation_time()
    workbook.properties.created = workbook.properties.modified = when.replace(tzinfo=None)
    archive = ReproducibleZipFile(stream, date_time=zip_date_time(when))
    ExcelWriter(workbook, archive).save()  # closes the archive


def write_xlsform(
    source: m.ExportSource, stream: IO[bytes], options: XlsformOptions | None
) -> None:
    """Write the instrument named in the options as an XLSForm workbook."""
    options = options or XlsformOptions()
    name = options.instrument
    if not name:
        raise m.MioError("the xlsform format needs an instrument: --instrument ID")
    if options.respondent not in RESPONDENT_MODES:
        raise m.MioError(
            f"respondent={options.respondent!r}: choose {' or '.join(RESPONDENT_MODES)}"
        )
    instruments = source.instruments()
    if name not in instruments:
        raise m.MioError(f"no instrument {name!r}; known: {', '.join(sorted(instruments))}")
    participants = _participants(source, options.cohort) if options.respondent == "choice" else []
    form = sheets(instruments[name], source.language, options.respondent, participants)
    workbook_bytes(form, stream)


# --- what the round trip keeps ---------------------------------------------------------------


def as_kept(instrument: Instrument, language: str) -> Instrument:
    """Return ``instrument`` as an XLSForm with default ``language`` keeps it (see :data:`LOST`):
    what :func:`instrument_from_xlsform` reads back from what this plugin wrote."""
    spoken = languages(instrument, language)

    def kept(text: Text) -> Text:
        values = [workbook_text(text_in(text, x)) for x in spoken]
        if len(set(values)) == 1:
            return values[0]
        return Translations(dict(zip(spoken, values, strict=True)))

    default = language if language in spoken else spoken[0]
    scales = [
        attrs.evolve(
            scale,
            labels=[
                ScaleLabel(value=label.value, text=kept(label.text))
                for label in sorted(scale.labels, key=lambda label: label.value)
            ],
            missing=[ScaleLabel(value=x.value, text=kept(x.text)) for x in scale.missing],
        )
        for scale in instrument.scales
    ]
    items = [
        Item(
            id=item.id,
            text=kept(item.text),
            scale=item.scale,
            kind=item.kind,
            options=[Option(code=o.code, text=kept(o.text)) for o in item.options],
        )
        for item in instrument.items
        if item.kind is not ItemKind.SCALE or instrument.scale_of(item) is not None
    ]
    return attrs.evolve(
        instrument,
        title=workbook_text(text_in(instrument.title, default)),
        description=None,
        source=None,
        scales=scales,
        items=items,
        subscales=kept_subscales(instrument.subscales, [item.id for item in items]),
    )


XLSFORM = m.Exporter(
    name="xlsform",
    title="XLSForm of an instrument (KoboToolbox, ODK)",
    suffix=".xlsx",
    media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    kind="binary",
    write=write_xlsform,
    options_type=XlsformOptions,
    description="survey, choices and settings sheets with a label column per language; "
    "the respondent is a hidden token the survey link fills (--option respondent=token) or "
    "picks their name from the cohort's list (--option respondent=choice --option cohort=ID, "
    "with --identified); needs --instrument ID",
)


@m.hookimpl
def mio_register_exporters() -> list[m.Exporter]:
    return [XLSFORM]

"""mio-xlsx: the tidy tables of a mio_core export as an Excel workbook.

Text is always written as a string cell, never as a formula, whatever it starts with: a
participant named ``=1+2`` is the text ``=1+2`` (docs/security.md).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import IO, Any

import mio_core as m
from mio_core.export import CODEBOOK_FIELDS, Field, Table, codebook_rows, tables
from mio_core.textsafety import workbook_text

__version__ = "0.1.0"

#: Excel allows 31 characters in a sheet name.
MAX_SHEET_NAME = 31


def _cell(value: Any, field_type: str) -> Any:
    if value is None or value == "":
        return None
    if field_type == "date" and isinstance(value, dt.date):
        return value
    if field_type in ("integer", "number") and isinstance(value, int | float):
        return value
    return workbook_text(str(value))


def _string_cell(sheet: Any, value: Any) -> Any:
    """Return a write-only cell; text stays text (openpyxl makes ``=...`` a formula)."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def _sheet(workbook: Any, name: str, table_fields: tuple[Field, ...], rows: Any) -> None:
    from openpyxl.styles import Font

    sheet = workbook.create_sheet(title=name[:MAX_SHEET_NAME])
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for field in table_fields:
        cell = _string_cell(sheet, field.name)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    types = [field.type for field in table_fields]
    for row in rows:
        cells = []
        for value, field_type in zip(row, types, strict=True):
            cell = _string_cell(sheet, _cell(value, field_type))
            if field_type == "date" and isinstance(value, dt.date):
                cell.number_format = "yyyy-mm-dd"
            elif type(cell.value) is float and math.isfinite(cell.value):
                # openpyxl writes a number as "%.16g", which is another float for about one
                # in five (3.6666666666666665 became 3.666666666666667): the stored text
                # is the shortest repr instead, read back as the very float (a number cell)
                cell._value = repr(cell.value)
            cells.append(cell)
        sheet.append(cells)


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


def write_workbook(source: m.ExportSource, stream: IO[bytes], options: object) -> None:
    """Write one sheet per table and a codebook sheet."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    described: list[Table] = list(tables(source))
    for table in described:
        _sheet(workbook, table.name, table.fields, table.rows(source))
    _sheet(workbook, "codebook", CODEBOOK_FIELDS, codebook_rows(source, described))
    _save(workbook, stream)


XLSX = m.Exporter(
    name="xlsx",
    title="Excel workbook",
    suffix=".xlsx",
    media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    kind="binary",
    write=write_workbook,
    description="one sheet per table with a frozen header row and typed cells, and a codebook",
)


@m.hookimpl
def mio_register_exporters() -> list[m.Exporter]:
    return [XLSX]

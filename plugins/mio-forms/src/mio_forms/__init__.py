"""mio-forms: importers for the exports of Microsoft Forms, Google Forms, Qualtrics,
SurveyMonkey, and of any .xlsx sheet.

Each reader turns the tool's file into a :class:`mio_core.ImportedTable`: the header text
people see, the tool's own column ids as ``keys``, the cells as text exactly as exported
(label text stays label text: a mapping turns it into codes) and each row's line or
spreadsheet row. A broken, truncated or wrong kind of file gives problems, never an
exception.
"""

from __future__ import annotations

from mio_core import Importer, hookimpl
from mio_core.io import cell_text, number_text

from .tools import (
    read_google_forms,
    read_microsoft_forms,
    read_qualtrics,
    read_surveymonkey,
    read_xlsx,
)

__version__ = "0.1.0"

__all__ = [
    "IMPORTERS",
    "cell_text",
    "mio_register_importers",
    "number_text",
    "read_google_forms",
    "read_microsoft_forms",
    "read_qualtrics",
    "read_surveymonkey",
    "read_xlsx",
]

IMPORTERS = (
    Importer(
        name="xlsx",
        title="Excel workbook (.xlsx): the first sheet, one header row",
        read=read_xlsx,
        suffixes=(".xlsx", ".xlsm"),
        description="Dates as ISO text, numbers as Excel shows them; .xls is refused.",
    ),
    Importer(
        name="microsoft-forms",
        title="Microsoft Forms responses (Open in Excel: .xlsx, or .csv)",
        read=read_microsoft_forms,
        suffixes=(".xlsx", ".csv"),
        description="ID, Start time, Completion time, Email, Name, then one column per question.",
    ),
    Importer(
        name="google-forms",
        title="Google Forms responses (Download responses: .csv)",
        read=read_google_forms,
        suffixes=(".csv", ".xlsx"),
        description="Timestamp, Email Address, question columns; grids as 'Question [Row]'.",
    ),
    Importer(
        name="qualtrics",
        title="Qualtrics data export (CSV or TSV, three header rows)",
        read=read_qualtrics,
        suffixes=(".csv", ".tsv", ".xlsx"),
        description="Row 1 the tags (keys), row 2 the question text, row 3 the ImportIds.",
    ),
    Importer(
        name="surveymonkey",
        title="SurveyMonkey all responses data (CSV or XLSX, two header rows)",
        read=read_surveymonkey,
        suffixes=(".csv", ".xlsx"),
        description="Row 1 the question, row 2 the row or choice label ('question / label').",
    ),
)


@hookimpl
def mio_register_importers() -> list[Importer]:
    """The readers of the survey tools' own export formats."""
    return list(IMPORTERS)

"""mio-survey-tools: importers for LimeSurvey, REDCap and KoboToolbox / ODK Central exports.

Each reader turns the tool's own export into an :class:`mio_core.ImportedTable` — the
header text a person sees, the tool's own column ids as ``keys``, the cells as the file has
them — and a mapping (``imports/<name>.yaml``) says which column is which item and how
answer codes or labels become values. Helpers read the answer codes a LimeSurvey ``.lss``
defines (:func:`answer_codes`) and the choice lists of an XLSForm (:func:`choice_lists`).
"""

from __future__ import annotations

from mio_core import Importer, hookimpl

from .kobo import RESPONDENT_NAMES, choice_lists, read_kobo
from .limesurvey import answer_codes, read_limesurvey, split_headings
from .redcap import read_redcap

__version__ = "0.1.0"

__all__ = [
    "RESPONDENT_NAMES",
    "answer_codes",
    "choice_lists",
    "read_kobo",
    "read_limesurvey",
    "read_redcap",
    "split_headings",
]

LIMESURVEY = Importer(
    name="limesurvey",
    title="LimeSurvey responses export (CSV or xlsx)",
    read=read_limesurvey,
    suffixes=(".csv", ".xlsx"),
    description="Headings as question codes, code & text, or text; answers as codes or text.",
)
REDCAP = Importer(
    name="redcap",
    title="REDCap records export, raw or labels (CSV or xlsx)",
    read=read_redcap,
    suffixes=(".csv", ".xlsx"),
    description="Longitudinal events kept as a column; rows with no data on their event dropped.",
)
KOBO = Importer(
    name="kobo",
    title="KoboToolbox or ODK Central submissions export (CSV or xlsx)",
    read=read_kobo,
    suffixes=(".csv", ".xlsx"),
    description="XML-path or label headers; choice names kept as they are.",
)


@hookimpl
def mio_register_importers() -> list[Importer]:
    """The LimeSurvey, REDCap and KoboToolbox / ODK Central readers."""
    return [LIMESURVEY, REDCAP, KOBO]

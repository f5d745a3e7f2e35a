"""What the tests that run every installed export format need to know about the formats."""

from __future__ import annotations

#: Formats that write one instrument and need ``--instrument`` (``--option instrument=ID``).
INSTRUMENT_FORMATS = ("xlsform", "redcap-dictionary", "limesurvey")

"""The one date an export may carry: when it was generated, fixed by ``SOURCE_DATE_EPOCH``.

Every other byte of an export follows from the workspace and the options. The generation
date (the data package's ``created``, the HTML report's date, a workbook's document
properties and zip member times, the export manifest) is the current time, unless the
environment variable ``SOURCE_DATE_EPOCH`` holds a number of seconds since 1970-01-01 UTC,
the convention of https://reproducible-builds.org/specs/source-date-epoch/.
"""

from __future__ import annotations

import datetime as dt
import os

from ..problems import MioError

__all__ = ["generation_time", "zip_date_time"]

_ZIP_FIRST = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)
_ZIP_LAST = dt.datetime(2107, 12, 31, 23, 59, 58, tzinfo=dt.UTC)


def generation_time() -> dt.datetime:
    """Return when an export is generated: ``SOURCE_DATE_EPOCH`` if set, else now (UTC).

    Raises :class:`MioError` when ``SOURCE_DATE_EPOCH`` is set but is not a whole, non-negative
    number of seconds.
    """
    text = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not text:
        return dt.datetime.now(dt.UTC).replace(microsecond=0)
    if not text.isdigit() or not text.isascii():
        raise MioError(
            f"SOURCE_DATE_EPOCH must be a whole number of seconds since 1970-01-01 UTC, "
            f"not {text!r}"
        )
    try:
        return dt.datetime.fromtimestamp(int(text), dt.UTC)
    except (OverflowError, OSError, ValueError):
        raise MioError(
            f"SOURCE_DATE_EPOCH={text} is beyond the dates this system can show"
        ) from None


def zip_date_time(when: dt.datetime) -> tuple[int, int, int, int, int, int]:
    """Return ``when`` (UTC) as a zip member's date and time, within the years zip can hold."""
    moment = min(max(when.astimezone(dt.UTC), _ZIP_FIRST), _ZIP_LAST)
    return (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)

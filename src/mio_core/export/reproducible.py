"""The one date an export may carry: when it was generated, fixed by ``SOURCE_DATE_EPOCH``.

Every other byte of an export follows from the workspace and the options. The generation
date (the data package's ``created``, the HTML report's date, a workbook's document
properties and zip member times, the export manifest) is the current time, unless the
environment variable ``SOURCE_DATE_EPOCH`` holds a number of seconds since 1970-01-01 UTC,
the convention of https://reproducible-builds.org/specs/source-date-epoch/.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import zipfile
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING

from ..problems import MioError

if TYPE_CHECKING:
    from _typeshed import SizedBuffer

__all__ = ["ReproducibleZipFile", "generation_date", "generation_time", "zip_date_time"]

_ZIP_FIRST = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)
_ZIP_LAST = dt.datetime(2107, 12, 31, 23, 59, 58, tzinfo=dt.UTC)


#: While :func:`time_used` watches an export: how precisely it used the generation time.
_USED: list[set[str]] = []


@contextlib.contextmanager
def time_used() -> Iterator[set[str]]:
    """Collect, while the block runs, how an export used the generation time: ``"date"``
    (only :func:`generation_date`) and ``"time"`` (:func:`generation_time`). A kept export
    (:mod:`mio_core.export.kept`) is reused only when what it used is the same now."""
    used: set[str] = set()
    _USED.append(used)
    try:
        yield used
    finally:
        _USED.remove(used)


def generation_date() -> dt.date:
    """Return the day an export is generated (UTC), for an export that shows only the day:
    ``generation_time().date()``, and a kept copy of it stays valid all that day."""
    for used in _USED:
        used.add("date")
    return _now().date()


def generation_time() -> dt.datetime:
    """Return when an export is generated: ``SOURCE_DATE_EPOCH`` if set, else now (UTC).

    Raises :class:`MioError` when ``SOURCE_DATE_EPOCH`` is set but is not a whole, non-negative
    number of seconds.
    """
    for used in _USED:
        used.add("time")
    return _now()


def _now() -> dt.datetime:
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


class ReproducibleZipFile(zipfile.ZipFile):
    """A zip archive to write whose bytes follow from its members alone.

    Every member gets the same ``date_time`` (see :func:`zip_date_time`), permissions 0600
    and Unix as its system, whatever the clock, the umask or the platform; members added by
    file name are streamed, not read whole. openpyxl's writer takes one in place of its own
    ``ZipFile``, which stamps each member with the current time.
    """

    def __init__(
        self,
        file: str | os.PathLike[str] | IO[bytes],
        *,
        date_time: tuple[int, int, int, int, int, int],
        compression: int = zipfile.ZIP_DEFLATED,
    ) -> None:
        super().__init__(file, "w", compression, allowZip64=True)
        self.date_time = date_time

    def _member(self, name: str, compress_type: int | None) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, date_time=self.date_time)
        info.compress_type = self.compression if compress_type is None else compress_type
        info.external_attr = 0o600 << 16
        info.create_system = 3
        return info

    def writestr(
        self,
        zinfo_or_arcname: str | zipfile.ZipInfo,
        data: SizedBuffer | str,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        """Add ``data`` as a member named ``zinfo_or_arcname`` (a name gets the fixed date)."""
        if isinstance(zinfo_or_arcname, str):
            zinfo_or_arcname = self._member(zinfo_or_arcname, compress_type)
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(
        self,
        filename: str | os.PathLike[str],
        arcname: str | os.PathLike[str] | None = None,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        """Add the file ``filename`` as the member ``arcname``, with the fixed date."""
        name = os.fspath(arcname if arcname is not None else filename).lstrip("/")
        info = self._member(name, compress_type)
        info.file_size = os.path.getsize(filename)  # decides whether zip64 is needed
        with open(filename, "rb") as source, self.open(info, "w") as member:
            shutil.copyfileobj(source, member, 1 << 20)

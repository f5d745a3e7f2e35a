"""Writers of the wide analysis table: CSV with a codebook, SPSS, Stata and R.

Every format gets the same table (:func:`mio_core.export.wide_table`). What each keeps:

- ``.sav`` (SPSS): variable labels (≤ 256 bytes), value labels (≤ 120 bytes) on integer
  codes 1…k, measurement level (nominal, ordinal, scale).
- ``.dta`` (Stata 15, release 119): variable labels (≤ 80 characters), value labels on
  integer codes 1…k.
- ``.rds`` (R): categories as factors whose levels are the labels (in code order, so
  ``as.integer()`` gives the same codes as SPSS and Stata; ``ordered`` where the category
  is), every column's variable label as its attribute ``label`` (haven, labelled, Hmisc),
  written with rdata since pyreadr writes no attributes; ``codebook.csv`` next to it.

Text is data: control and bidirectional-override characters are shown as ``\\uXXXX`` in
every value and label of a .sav, .dta and .rds, and a label longer than its format allows
is cut with a visible `` […]``. A label starting with ``=`` stays as it is: these files are
not spreadsheets. The CSV is spreadsheet-safe unless the option ``exact`` is set.
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import attrs

from mio_core.export import WideColumn, WideTable, generation_time, wide_table
from mio_core.textsafety import show_controls, spreadsheet_text

if TYPE_CHECKING:
    import pandas

#: SPSS limits, in UTF-8 bytes.
SAV_VARIABLE_LABEL = 256
SAV_VALUE_LABEL = 120
#: Stata limits: characters for a variable label, bytes for a value label.
DTA_VARIABLE_LABEL = 80
DTA_VALUE_LABEL = 32_000

_CUT = " […]"
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

CODEBOOK_HEADER = (
    "variable",
    "type",
    "label",
    "instrument",
    "subscale",
    "item",
    "occasion",
    "change_from",
    "value",
    "code",
    "value_label",
)


@attrs.frozen
class WideCsvOptions:
    """Options of the wide-csv format.

    ``exact``: write text exactly as it is in the workspace, for R, pandas and other
    programs. By default a text that a spreadsheet would run as a formula gets a leading
    ``'`` and control characters are shown as ``\\uXXXX`` (as the ``csv`` format does).
    """

    exact: bool = False


def cut(text: str, *, max_bytes: int | None = None, max_chars: int | None = None) -> str:
    """Return ``text`` with controls shown as ``\\uXXXX``, cut visibly to fit the limits."""
    text = show_controls(text)

    def fits(candidate: str) -> bool:
        too_many_bytes = max_bytes is not None and len(candidate.encode("utf-8")) > max_bytes
        return not too_many_bytes and (max_chars is None or len(candidate) <= max_chars)

    if fits(text):
        return text
    keep = min(len(text), max_chars or len(text), max_bytes or len(text))
    while keep > 0 and not fits(text[:keep] + _CUT):
        keep -= 1
    return text[:keep] + _CUT


def codebook_rows(table: WideTable) -> Iterator[tuple[Any, ...]]:
    """Yield the codebook: a row per variable (where it comes from), one per value label."""
    for c in table.columns:
        variable = (
            *(c.name, c.kind, c.label, c.instrument, c.subscale, c.item),
            *(c.occasion, c.change_from),
        )
        yield (*variable, None, None, None)
        yield from (
            (c.name, c.kind, "", None, None, None, None, None, value, code, label)
            for code, (value, label) in enumerate(c.categories, start=1)
        )


def _write_csv(path: Path, header: tuple[str, ...], rows: Any, *, safe: bool) -> None:
    def cell(value: Any) -> Any:
        if value.__class__ is float:
            return int(value) if value.is_integer() else repr(value)
        if safe and isinstance(value, str):
            return spreadsheet_text(value)
        return value

    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow([cell(value) for value in row])


def write_wide_csv(source: Any, folder: Path, options: object) -> None:
    """Write ``wide.csv`` (categories as their ids) and ``codebook.csv``."""
    safe = not (isinstance(options, WideCsvOptions) and options.exact)
    table = wide_table(source)
    _write_csv(folder / "wide.csv", tuple(c.name for c in table.columns), table.rows, safe=safe)
    _write_csv(folder / "codebook.csv", CODEBOOK_HEADER, codebook_rows(table), safe=safe)


def _unique(labels: list[str]) -> list[str]:
    """Labels made distinct (a factor's levels must be): a repeat gets `` (2)``, ..."""
    seen: set[str] = set()
    unique = []
    for label in labels:
        candidate, number = label, 1
        while candidate in seen:
            number += 1
            candidate = f"{label} ({number})"
        seen.add(candidate)
        unique.append(candidate)
    return unique


def _frame(table: WideTable, *, factors: bool) -> pandas.DataFrame:
    """The table as a data frame: categories as integer codes, or as factors (R)."""
    import numpy
    import pandas

    data: dict[str, Any] = {}
    for index, column in enumerate(table.columns):
        values = [row[index] for row in table.rows]
        if column.kind == "string":
            data[column.name] = pandas.Series(
                [None if v is None else show_controls(str(v)) for v in values], dtype=object
            )
        elif column.kind == "category" and factors:
            levels = _unique([show_controls(label) for _, label in column.categories])
            by_value = dict(zip((v for v, _ in column.categories), levels, strict=True))
            data[column.name] = pandas.Categorical(
                [None if v is None else by_value[v] for v in values],
                categories=levels,
                ordered=column.ordered,
            )
        else:
            if column.kind == "category":
                values = [column.code(v) for v in values]
            data[column.name] = numpy.array(
                [numpy.nan if v is None else float(v) for v in values], dtype="float64"
            )
    return pandas.DataFrame(data, columns=[c.name for c in table.columns])


def variable_label(column: WideColumn, **limits: int) -> str:
    """Return the column's label within ``limits``: the label without the instrument's title
    when the whole does not fit (the instrument is in the name), cut visibly if need be."""
    label = cut(column.label, **limits)
    if label.endswith(_CUT) and column.short_label:
        label = cut(column.short_label, **limits)
    return label


def _labels(
    table: WideTable, *, variable: dict[str, int], value: dict[str, int]
) -> tuple[dict[str, str | None], dict[str, dict[int | float, str]]]:
    variable_labels: dict[str, str | None] = {
        c.name: variable_label(c, **variable) for c in table.columns
    }
    value_labels: dict[str, dict[int | float, str]] = {
        c.name: {code: cut(label, **value) for code, (_, label) in enumerate(c.categories, 1)}
        for c in table.columns
        if c.categories
    }
    return variable_labels, value_labels


def _measure(column: WideColumn) -> str:
    if column.kind == "category":
        return "ordinal" if column.ordered else "nominal"
    return "nominal" if column.kind == "string" else "scale"


def _sav_format(column: WideColumn) -> str | None:
    """The SPSS display format: codes and counts without decimals (``F8.2`` shows ``1.00``)."""
    if column.kind == "category":
        return f"F{len(str(len(column.categories)))}.0"
    return "F8.0" if column.kind == "integer" else None


def _stamp_sav(path: Path, when: dt.datetime) -> None:
    # The header's creation date ("dd Mon yy", offset 92) and time ("hh:mm:ss", offset 101).
    stamp = f"{when.day:02d} {_MONTHS[when.month - 1]} {when.year % 100:02d}"
    stamp += when.strftime("%H:%M:%S")
    with path.open("r+b") as stream:
        stream.seek(92)
        stream.write(stamp.encode("ascii"))


def _stamp_dta(path: Path, when: dt.datetime) -> None:
    # <timestamp> holds a length byte (17) and "dd Mon yyyy hh:mm".
    data = bytearray(path.read_bytes())
    at = data.index(b"<timestamp>", 0, 512) + len("<timestamp>")
    if data[at] == 17:
        stamp = f"{when.day:02d} {_MONTHS[when.month - 1]} {when.year:04d} {when:%H:%M}"
        data[at + 1 : at + 18] = stamp.encode("ascii")
        path.write_bytes(bytes(data))


def _via_file(suffix: str, write: Any, stream: IO[bytes]) -> None:
    """Run ``write(path)`` (the libraries write to a path only), then copy it to ``stream``."""
    with tempfile.TemporaryDirectory(prefix="mio-research-") as folder:
        path = Path(folder) / f"wide{suffix}"
        write(path)
        with path.open("rb") as written:
            shutil.copyfileobj(written, stream)


def write_sav(source: Any, stream: IO[bytes], options: object) -> None:
    """Write the wide table as an SPSS .sav file with variable and value labels."""
    import pyreadstat

    table = wide_table(source)
    variable_labels, value_labels = _labels(
        table, variable={"max_bytes": SAV_VARIABLE_LABEL}, value={"max_bytes": SAV_VALUE_LABEL}
    )
    when = generation_time()

    def write(path: Path) -> None:
        pyreadstat.write_sav(
            _frame(table, factors=False),
            str(path),
            column_labels=variable_labels,
            variable_value_labels=value_labels,
            variable_measure={c.name: _measure(c) for c in table.columns},
            variable_format={c.name: f for c in table.columns if (f := _sav_format(c))},
        )
        _stamp_sav(path, when)

    _via_file(".sav", write, stream)


def write_dta(source: Any, stream: IO[bytes], options: object) -> None:
    """Write the wide table as a Stata .dta file with variable and value labels."""
    import pyreadstat

    table = wide_table(source)
    variable_labels, value_labels = _labels(
        table, variable={"max_chars": DTA_VARIABLE_LABEL}, value={"max_bytes": DTA_VALUE_LABEL}
    )
    when = generation_time()

    def write(path: Path) -> None:
        pyreadstat.write_dta(
            _frame(table, factors=False),
            str(path),
            column_labels=variable_labels,
            variable_value_labels=value_labels,
        )
        _stamp_dta(path, when)

    _via_file(".dta", write, stream)


def _r_column(converter: Any, column: WideColumn, values: list[Any], label: str) -> Any:
    """One column as an R vector with the attribute ``label`` (and factor attributes)."""
    import numpy
    from rdata.conversion.to_r import build_r_object
    from rdata.missing import R_FLOAT_NA, R_INT_NA
    from rdata.parser import RObjectType

    attributes: dict[str, Any] = {}
    if column.kind == "category":
        levels = _unique([show_controls(label) for _, label in column.categories])
        codes = [R_INT_NA if v is None else column.code(v) for v in values]
        base = build_r_object(RObjectType.INT, value=numpy.array(codes, dtype=numpy.int32))
        attributes["levels"] = numpy.array(levels, dtype=object)
        attributes["class"] = (
            numpy.array(["ordered", "factor"], dtype=object) if column.ordered else "factor"
        )
    elif column.kind == "integer":  # an R integer vector, as the codebook's type says
        counts = [R_INT_NA if v is None else int(v) for v in values]
        base = build_r_object(RObjectType.INT, value=numpy.array(counts, dtype=numpy.int32))
    elif column.kind == "string":
        texts = [None if v is None else show_controls(str(v)) for v in values]
        base = converter.convert_to_r_object(numpy.array(texts, dtype=object))
    else:
        numbers = [R_FLOAT_NA if v is None else float(v) for v in values]  # NA_real_
        base = converter.convert_to_r_object(numpy.array(numbers, dtype=numpy.float64))
    # Symbols are written once and referred to after: the attributes are converted in the
    # order R reads them (a vector's attributes follow its values).
    attributes["label"] = label
    return build_r_object(
        base.info.type,
        value=base.value,
        is_object=column.kind == "category",
        attributes=converter.convert_to_r_attributes(attributes),
        gp=base.info.gp,
    )


def r_data_frame(table: WideTable) -> tuple[Any, Any]:
    """Return rdata's converter and the table as its R object: a data.frame whose columns
    carry ``label``.

    Categories are factors (``ordered`` where the column is), levels the value labels in
    code order; every column has its variable label as the attribute ``label``, as haven,
    labelled and Hmisc read it.
    """
    import numpy
    from rdata.conversion.to_r import ConverterFromPythonToR, build_r_object
    from rdata.missing import R_INT_NA
    from rdata.parser import RObjectType

    converter = ConverterFromPythonToR(encoding="utf-8", format_version=3)
    labels = {c.name: variable_label(c) for c in table.columns}
    columns = [
        _r_column(converter, column, [row[i] for row in table.rows], labels[column.name])
        for i, column in enumerate(table.columns)
    ]
    row_names = numpy.ma.array(
        [R_INT_NA, -len(table.rows)], mask=[True, False], fill_value=R_INT_NA, dtype=numpy.int32
    )
    attributes = converter.convert_to_r_attributes(
        {
            "names": numpy.array([c.name for c in table.columns], dtype=object),
            "class": "data.frame",
            "row.names": row_names,
        }
    )
    frame = build_r_object(RObjectType.VEC, value=columns, is_object=True, attributes=attributes)
    return converter, frame


def write_rds(source: Any, folder: Path, options: object) -> None:
    """Write ``wide.rds`` (an R data frame: factors, variable labels as ``label``) and
    ``codebook.csv``.

    Written with rdata (a maintained pure-Python reader and writer of R's serialization
    format): pyreadr writes no attributes. Gzip-compressed like ``saveRDS()``, its header
    time is the generation time, so that the same workspace gives the same bytes.
    """
    import gzip

    from rdata.parser import RData, RExtraInfo, RVersions
    from rdata.unparser import unparse_fileobj

    table = wide_table(source)
    converter, frame = r_data_frame(table)
    data = RData(
        versions=RVersions(3, converter.r_version_serialized, 0x30500),
        extra=RExtraInfo(encoding="UTF-8"),
        object=frame,
    )
    when = int(generation_time().timestamp())
    with (
        (folder / "wide.rds").open("wb") as raw,
        gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=when) as stream,
    ):
        unparse_fileobj(stream, data, file_format="xdr", file_type="rds")
    _write_csv(folder / "codebook.csv", CODEBOOK_HEADER, codebook_rows(table), safe=True)

"""What many tests share: the example workspace, a snapshot of a folder, the text of an
export, and what the tests that run every installed export format need to know."""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any
from unittest import mock

import attrs

from .readback import STATS_SUFFIXES, stats_file_text

#: The bundled MIO example workspace (read only: copy it before changing it).
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "mio"

#: Formats that write one instrument and need ``--instrument`` (``--option instrument=ID``).
INSTRUMENT_FORMATS = ("xlsform", "redcap-dictionary", "limesurvey")


def count_calls(
    monkeypatch: Any, places: Mapping[str, Sequence[tuple[object, str]]]
) -> dict[str, int]:
    """Count the calls of functions by name: ``places`` maps a name to the (module,
    attribute) pairs to wrap (a function imported into two modules is wrapped in both).
    Return the counts, which the wrapped functions update as they are called."""
    calls = {name: 0 for name in places}
    for name, pairs in places.items():
        for module, attribute in pairs:
            real = getattr(module, attribute)

            def wrapper(*args: Any, _real: Any = real, _name: str = name, **kwargs: Any) -> Any:
                calls[_name] += 1
                return _real(*args, **kwargs)

            monkeypatch.setattr(module, attribute, wrapper)
    return calls


def files(folder: Path) -> dict[str, bytes]:
    """Return an export's bytes: each file below ``folder`` by its relative path, or the
    file itself under ``""``."""
    if folder.is_file():
        return {"": folder.read_bytes()}
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def snapshot(folder: Path) -> dict[str, str]:
    """Return the hash of every file below ``folder``, to prove a command changed nothing."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def all_text(path: Path) -> str:
    """The text of an export: every file of a folder, a statistics file read back."""
    if path.is_dir():
        return "\n".join(all_text(p) for p in sorted(path.rglob("*")) if p.is_file())
    if path.suffix in STATS_SUFFIXES:
        return stats_file_text(path)
    if path.suffix == ".docx":
        return docx_text(path)
    return path.read_text(encoding="utf-8")


def docx_text(path: Path) -> str:
    """Every text of a Word file: each XML part of the package (body, headers, footers,
    document properties) with its markup removed and its character references resolved."""
    import html
    import re
    import zipfile

    with zipfile.ZipFile(path) as package:
        parts = [
            package.read(name).decode("utf-8")
            for name in package.namelist()
            if name.endswith((".xml", ".rels"))
        ]
    return "\n".join(html.unescape(re.sub(r"<[^>]+>", " ", part)) for part in parts)


def readable(path: Path) -> str:
    """The text of an export: files, folders, and the cells of a workbook."""
    if path.suffix == ".xlsx":
        import openpyxl

        workbook = openpyxl.load_workbook(path, read_only=True)
        return "\n".join(
            str(cell)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell is not None
        )
    return all_text(path)


@contextlib.contextmanager
def mixed_models_fitted_once(fits: dict[tuple[str, ...], Any]) -> Iterator[None]:
    """Within the block, mio-analyse fits each of its mixed models once per exact input.

    The tests that export every format once per Hypothesis example change only texts, which
    never reach a model: with one pseudonymisation key across the examples, each model gets
    the same data frame every time. ``fits`` (kept by the caller across examples) maps the
    model's whole input — formula, groups, variance components and every cell of the data —
    to the fit that statsmodels returned for it, so the export code around the fit runs as
    ever, and an input that differs in any cell is fitted afresh. Without mio-analyse
    installed this does nothing.
    """
    try:
        from mio_analyse import models
    except ImportError:
        yield
        return
    fit_mixed = models._fit_mixed

    def fitted_once(formula: str, data: Any, groups: str, vc: dict[str, str] | None = None) -> Any:
        key = (formula, groups, repr(sorted((vc or {}).items())), data.to_csv())
        if key not in fits:
            fits[key] = fit_mixed(formula, data, groups, vc)
        return fits[key]

    with mock.patch.object(models, "_fit_mixed", fitted_once):
        yield


def _signed_rank_sum(d: Any, axis: int = -1) -> Any:
    """SciPy's Wilcoxon statistic (``zero_method="wilcox"``), vectorised: the sum of the
    average ranks of ``|d|`` among the nonzero ``d`` over the positive ones. Zeros rank
    after every nonzero value (SciPy makes them NaN, ranked last), so they leave those
    ranks as they are and add nothing."""
    import numpy as np
    from scipy import stats as scipy_stats

    magnitudes = np.where(d == 0, np.inf, np.abs(d))
    ranks = scipy_stats.rankdata(magnitudes, axis=axis)
    return np.sum((d > 0) * ranks, axis=axis)


def scipy_wilcoxon(d: list[float]) -> tuple[float, float]:
    """``scipy.stats.wilcoxon(d)`` (its statistic and p), faster for small samples.

    With ties or zeros and at most 13 differences SciPy runs ``permutation_test`` over all
    2^n sign flips, evaluating its statistic once per flip in Python (about 2 s at
    n = 13). This runs the same SciPy ``permutation_test`` with the same statistic
    evaluated for all flips at once; tests/evaluation/test_statistics.py
    checks that it gives SciPy's p.
    """
    import numpy as np
    from scipy import stats as scipy_stats

    reference = scipy_stats.wilcoxon(d, method="asymptotic")  # the statistic: no p yet
    values = np.asarray(d, dtype=float)
    tied = len(np.unique(np.abs(values[values != 0]))) < np.count_nonzero(values)
    if len(d) <= 13 and (tied or not np.all(values)):
        p = scipy_stats.permutation_test(
            (values,),
            _signed_rank_sum,
            permutation_type="samples",
            vectorized=True,
            n_resamples=np.inf,
            alternative="two-sided",
        ).pvalue
        return float(reference.statistic), float(p)
    exact = scipy_stats.wilcoxon(d)
    return float(exact.statistic), float(exact.pvalue)


def same_values(a: Any, b: Any, where: str = "") -> None:
    """Assert ``a`` and ``b`` hold the same values of the same types all the way down: every
    field of an attrs instance (those left out of ``==`` too), every member of a tuple or a
    mapping; stricter than ``==``, which takes ``1`` for ``1.0`` and skips ``eq=False``."""
    assert type(a) is type(b), f"{where}: {type(a).__name__} != {type(b).__name__}"
    if attrs.has(type(a)):
        for field in attrs.fields(type(a)):
            same_values(getattr(a, field.name), getattr(b, field.name), f"{where}.{field.name}")
    elif isinstance(a, tuple | list):
        assert len(a) == len(b), f"{where}: {len(a)} != {len(b)} members"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            same_values(x, y, f"{where}[{i}]")
    elif isinstance(a, Mapping):
        assert list(a) == list(b), f"{where}: keys {list(a)} != {list(b)}"
        for key in a:
            same_values(a[key], b[key], f"{where}[{key!r}]")
    else:
        assert a == b, f"{where}: {a!r} != {b!r}"

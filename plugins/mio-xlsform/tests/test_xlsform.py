"""Every instrument converts with pyxform, the real XLSForm compiler, without errors."""

from __future__ import annotations

import io
from pathlib import Path
from xml.etree import ElementTree

import mio_xlsform
import openpyxl
import pytest
from pyxform.xls2xform import convert

import mio_core as m
from mio_core.testing import copy_workspace, make_registry

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "mio"
REGISTRY = make_registry(mio_xlsform, builtins=True)


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> m.ExportSource:
    folder = tmp_path_factory.mktemp("ws") / "mio"
    copy_workspace(EXAMPLE, folder)
    return m.prepare_source(m.load_workspace(folder), REGISTRY, language="sv")


def form(source: m.ExportSource, instrument: str) -> bytes:
    stream = io.BytesIO()
    mio_xlsform.write_xlsform(source, stream, mio_xlsform.XlsformOptions(instrument=instrument))
    return stream.getvalue()


@pytest.mark.parametrize("instrument", sorted(REGISTRY.instruments))
def test_pyxform_converts_it_without_errors(source: m.ExportSource, instrument: str) -> None:
    warnings: list[str] = []
    result = convert(xlsform=form(source, instrument), warnings=warnings, file_type=".xlsx")
    root = ElementTree.fromstring(result.xform)
    assert root.tag.endswith("html")
    item = REGISTRY.instrument(instrument).items[0].id
    assert f"/{item}" in result.xform
    assert not [w for w in warnings if "error" in w.lower()]


def test_labels_in_swedish_and_english_and_choices_for_every_value(source: m.ExportSource) -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(form(source, "mio-module-evaluation")))
    header = [c.value for c in workbook["survey"][1]]
    assert header[:4] == ["type", "name", "label::Svenska (sv)", "label::English (en)"]
    rel1 = next(r for r in workbook["survey"].iter_rows(values_only=True) if r[1] == "rel1")
    assert rel1[0] == "select_one agree5" and rel1[3].startswith("The content of the day")
    choices = [r for r in workbook["choices"].iter_rows(values_only=True)][1:]
    assert [c[1] for c in choices if c[0] == "agree5"] == ["1", "2", "3", "4", "5", "9"]
    assert ("agree5", "9", "Vet ej", "Don't know") in choices
    settings = list(workbook["settings"].iter_rows(values_only=True))
    assert settings[1][1] == "mio-module-evaluation" and settings[1][3] == "Svenska (sv)"


def test_the_cli_needs_an_instrument(source: m.ExportSource, tmp_path: Path) -> None:
    exporter = REGISTRY.exporter("xlsform")
    with pytest.raises(m.MioError, match="--instrument"):
        m.run_export(exporter, source, tmp_path / "f.xlsx")
    assert not (tmp_path / "f.xlsx").exists()
    out = m.run_export(
        exporter,
        source,
        tmp_path / "f.xlsx",
        m.export.make_options(exporter, {"instrument": "mio-utilisation"}),
    )
    assert openpyxl.load_workbook(out).sheetnames == ["survey", "choices", "settings"]

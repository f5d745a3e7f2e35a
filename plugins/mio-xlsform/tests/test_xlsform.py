"""The XLSForm export: pyxform compiles every form, and no form asks a respondent for an id."""

from __future__ import annotations

import io
from pathlib import Path

import mio_xlsform
import openpyxl
import pytest
from pyxform.xls2xform import convert

import mio_core as m
from mio_core.testing import copy_workspace, make_registry

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "mio"
REGISTRY = make_registry(mio_xlsform, builtins=True)
COHORT = "ostergotland-2017"


def _source(tmp_path_factory: pytest.TempPathFactory, identified: bool) -> m.ExportSource:
    folder = tmp_path_factory.mktemp("ws") / "mio"
    copy_workspace(EXAMPLE, folder)
    workspace = m.load_workspace(folder)
    return m.prepare_source(workspace, REGISTRY, language="sv", identified=identified)


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> m.ExportSource:
    return _source(tmp_path_factory, identified=False)


@pytest.fixture(scope="module")
def identified(tmp_path_factory: pytest.TempPathFactory) -> m.ExportSource:
    return _source(tmp_path_factory, identified=True)


def form(source: m.ExportSource, instrument: str, **options: str) -> bytes:
    stream = io.BytesIO()
    chosen = mio_xlsform.XlsformOptions(instrument=instrument, **options)
    mio_xlsform.write_xlsform(source, stream, chosen)
    return stream.getvalue()


def rows(data: bytes, sheet: str) -> list[tuple[object, ...]]:
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    return list(workbook[sheet].iter_rows(values_only=True))


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("mode", ["token", "choice"])
@pytest.mark.parametrize("instrument", sorted(REGISTRY.instruments))
def test_pyxform_compiles_every_form_in_both_modes_and_languages(
    identified: m.ExportSource, instrument: str, mode: str, language: str
) -> None:
    source = m.ExportSource(
        workspace=identified.workspace, registry=REGISTRY, language=language, identified=True
    )
    warnings: list[str] = []
    data = form(source, instrument, respondent=mode, cohort=COHORT)
    xform = convert(xlsform=data, warnings=warnings, file_type=".xlsx").xform
    assert warnings == []
    for item in REGISTRY.instrument(instrument).items:
        assert f'<select1 ref="/data/{item.id}">' in xform
    assert 'lang="Svenska (sv)"' in xform and 'lang="English (en)"' in xform
    assert "<input " not in xform  # nothing to type: no text question at all


def test_the_token_is_a_hidden_field_the_link_fills_with_no_control_to_type_in(
    source: m.ExportSource,
) -> None:
    xform = convert(xlsform=form(source, "mio-utilisation"), file_type=".xlsx").xform
    assert "<token/>" in xform and 'nodeset="/data/token"' in xform
    assert 'ref="/data/token"' not in xform  # no body control: the respondent never sees it
    assert "/data/respondent" not in xform


def test_choice_mode_lists_the_cohorts_participants_by_id_with_their_names(
    identified: m.ExportSource,
) -> None:
    data = form(identified, "mio-utilisation", respondent="choice", cohort=COHORT)
    survey = rows(data, "survey")
    assert survey[1][:2] == ("select_one participants", "respondent")
    assert survey[1][survey[0].index("required")] == "yes"
    cohort = next(c for c in identified.workspace.cohorts if c.id == COHORT)
    names = {p.id: p.name for p in identified.workspace.participants}
    listed = [r for r in rows(data, "choices") if r[0] == "participants"]
    assert sorted(r[1] for r in listed) == sorted(cohort.participants)
    assert all(r[2] == r[3] == names[str(r[1])] for r in listed)


def test_choice_mode_needs_an_identified_export(source: m.ExportSource) -> None:
    with pytest.raises(m.MioError, match="--identified"):
        form(source, "mio-utilisation", respondent="choice", cohort=COHORT)


def test_choice_mode_needs_a_known_cohort(identified: m.ExportSource) -> None:
    with pytest.raises(m.MioError, match="cohort=ID"):
        form(identified, "mio-utilisation", respondent="choice")
    with pytest.raises(m.MioError, match="ostergotland-2018"):
        form(identified, "mio-utilisation", respondent="choice", cohort="nowhere")


def test_an_unknown_respondent_mode_names_the_two(source: m.ExportSource) -> None:
    with pytest.raises(m.MioError, match="token or choice"):
        form(source, "mio-utilisation", respondent="typed")


def test_labels_in_swedish_and_english_and_choices_for_every_value(source: m.ExportSource) -> None:
    data = form(source, "mio-module-evaluation")
    header = rows(data, "survey")[0]
    assert header[:4] == ("type", "name", "label::Svenska (sv)", "label::English (en)")
    rel1 = next(r for r in rows(data, "survey") if r[1] == "rel1")
    assert rel1[0] == "select_one agree5"
    assert str(rel1[3]).startswith("The content of the day")
    choices = rows(data, "choices")[1:]
    assert [c[1] for c in choices if c[0] == "agree5"] == ["1", "2", "3", "4", "5", "9"]
    assert choices[5][:4] == ("agree5", "9", "Vet ej", "Don't know")
    settings = rows(data, "settings")
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


def test_an_item_id_that_is_no_xlsform_name_is_written_with_an_underscore_and_read_back() -> None:
    from mio_core.model import Instrument, Item, ResponseScale

    instrument = Instrument(
        id="x",
        title="X",
        level="reaction",
        scales=[ResponseScale(id="1to4", min=1, max=4)],
        items=[Item(id="1a", text="Första"), Item(id="token", text="Andra")],
    )
    sheets = mio_xlsform.sheets(instrument, "sv")
    assert [r[:2] for r in sheets.survey[3:]] == [
        ["select_one _1to4", "_1a"],
        ["select_one _1to4", "_token"],
    ]
    stream = io.BytesIO()
    mio_xlsform.workbook_bytes(sheets, stream)
    assert convert(xlsform=stream.getvalue(), file_type=".xlsx").xform
    assert mio_xlsform.instrument_from_xlsform(stream.getvalue()) == mio_xlsform.as_kept(
        instrument, "sv"
    )


def test_mio_export_writes_the_choice_form_and_refuses_it_unidentified(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from mio_core.cli import main

    folder = copy_workspace(EXAMPLE, tmp_path / "mio")
    out = tmp_path / "form.xlsx"
    args = ["export", str(folder), "--format", "xlsform", "--instrument", "mio-utilisation"]
    args += ["--option", "respondent=choice", "--option", f"cohort={COHORT}", "--out", str(out)]
    refused = CliRunner().invoke(main, args)
    assert refused.exit_code != 0 and "--identified" in refused.output
    assert "Traceback" not in refused.output and not out.exists()
    written = CliRunner().invoke(main, [*args, "--identified"])
    assert written.exit_code == 0, written.output
    assert rows(out.read_bytes(), "survey")[1][:2] == ("select_one participants", "respondent")

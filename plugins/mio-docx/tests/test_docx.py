"""The funder's Word report: opens in python-docx (and LibreOffice), every figure traces to
the tidy export, the template is replaceable, workspace text stays text, bytes reproduce."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import zipfile
from collections import Counter
from pathlib import Path

import docx
import mio_docx
import pytest
import yaml
from click.testing import CliRunner

import mio_core as m
from mio_core.cli import main
from mio_core.render.formats import format_value
from mio_core.testing import copy_workspace, make_registry

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "mio"
REGISTRY = make_registry(mio_docx, builtins=True)
#: the types of the tidy export's columns, so a CSV cell can be formatted as a figure
NUMERIC = ("integer", "number")


def export(folder: Path, out: Path, language: str = "sv", **options: str) -> Path:
    source = m.prepare_source(m.load_workspace(folder), REGISTRY, language=language)
    made = m.export.make_options(REGISTRY.exporter("docx"), options) if options else None
    return m.run_export(REGISTRY.exporter("docx"), source, out, made)


def tidy(folder: Path, out: Path, language: str = "sv") -> Path:
    source = m.prepare_source(m.load_workspace(folder), REGISTRY, language=language)
    return m.run_export(REGISTRY.exporter("csv"), source, out)


def table_texts(path: Path) -> list[list[list[str]]]:
    document = docx.Document(str(path))
    return [[[cell.text for cell in row.cells] for row in t.rows] for t in document.tables]


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_workspace(EXAMPLE, tmp_path_factory.mktemp("ws") / "mio")


@pytest.fixture(scope="module")
def report(workspace: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return export(workspace, tmp_path_factory.mktemp("out") / "report.docx")


@pytest.fixture(scope="module")
def csv_folder(workspace: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tidy(workspace, tmp_path_factory.mktemp("out") / "tidy")


def read_csv(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / f"{name}.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def formatted_figures(folder: Path) -> set[str]:
    """Every numeric cell of the tidy CSV export as the report may write it (sv)."""
    types: dict[tuple[str, str], str] = {}
    for row in read_csv(folder, "codebook"):
        if not row["value"]:
            types[(row["table"], row["variable"])] = row["type"]
    figures: set[str] = set()
    for path in folder.glob("*.csv"):
        if path.stem == "codebook":
            continue
        for row in read_csv(folder, path.stem):
            for column, text in row.items():
                if types.get((path.stem, column)) not in NUMERIC or not text:
                    continue
                value = float(text)
                figures.add(format_value(value, "number", "sv", 2))
                figures.add(format_value(value, "share", "sv"))
                if value == int(value):
                    figures.add(format_value(int(value), "count", "sv"))
    return figures


def test_the_report_opens_with_python_docx_with_every_section(report: Path) -> None:
    document = docx.Document(str(report))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:1] == ["Mål och indikatorer"]
    for heading in (
        "Deltagande",
        "Resultat per utvärderingsnivå",
        "Innovationsprojekt",
        "Räckvidd per kommun",
    ):
        assert heading in headings
    assert not any("{{" in p.text for p in document.paragraphs)


def test_every_figure_in_the_report_is_a_figure_of_the_tidy_export(
    report: Path, csv_folder: Path
) -> None:
    figures = formatted_figures(csv_folder)
    projects = read_csv(csv_folder, "projects")
    counted = {  # projects per stage and per facet: counts of the projects table's rows
        format_value(n, "count", "sv")
        for counter in (
            Counter(p["stage"] for p in projects),
            Counter(p["facet"] for p in projects),
        )
        for n in (*counter.values(), 0)
    }
    number = re.compile(r"^-?[0-9][0-9 ,]*( %)?$")
    checked = 0
    for table in table_texts(report):
        for row in table[1:]:
            for text in row:
                if number.match(text) and not re.fullmatch(r"\d{4}", text):
                    assert text in figures | counted, text
                    checked += 1
    assert checked > 100


def test_the_goals_table_is_the_goal_indicators_table(report: Path, csv_folder: Path) -> None:
    goals = table_texts(report)[0]
    rows = read_csv(csv_folder, "goal_indicators")
    assert len(goals) == 1 + len(rows)
    for shown, row in zip(goals[1:], rows, strict=True):
        kind = "share" if row["unit"] == "share" else "number"
        assert shown[2] == format_value(float(row["target"]), kind, "sv")
        assert shown[3] == format_value(float(row["value"]), kind, "sv")
        assert shown[4] == row["n"]
        assert shown[5] == ("ja" if row["met"] == "1" else "nej")


def test_reach_lists_each_municipality_with_its_published_hours(
    report: Path, csv_folder: Path
) -> None:
    reach = table_texts(report)[-1]
    kinds = {o["organisation"]: o for o in read_csv(csv_folder, "organisations")}
    hours = [
        h
        for h in read_csv(csv_folder, "participant_hours")
        if kinds.get(h["organisation"], {}).get("kind") == "municipality"
    ]
    assert [r[1] for r in reach[1:]] == [
        kinds[h["organisation"]]["municipality_code"] for h in hours
    ]
    for shown, row in zip(reach[1:], hours, strict=True):
        if row["suppressed"]:
            assert shown[2:] == ["dold", "dold"]
        else:
            assert shown[2:] == [
                row["participants"],
                format_value(float(row["total_hours"]), "number", "sv"),
            ]


def test_the_english_template_gives_an_english_report(workspace: Path, tmp_path: Path) -> None:
    document = docx.Document(str(export(workspace, tmp_path / "en.docx", language="en")))
    texts = [p.text for p in document.paragraphs]
    assert "Report to the funder" in texts
    assert "Goals and indicators" in texts


def test_a_template_of_the_users_own_is_used(workspace: Path, tmp_path: Path) -> None:
    template = docx.Document()
    template.add_paragraph("Till styrelsen: {{concept}}")
    template.add_paragraph("{{body}}")
    template.add_paragraph("Slut på rapporten.")
    template.save(str(tmp_path / "own.docx"))
    out = export(workspace, tmp_path / "r.docx", template=str(tmp_path / "own.docx"))
    texts = [p.text for p in docx.Document(str(out)).paragraphs]
    concept = m.load_workspace(workspace).concept.title
    assert texts[0] == f"Till styrelsen: {m.model.text_in(concept, 'sv')}"
    assert texts[1] == "Mål och indikatorer"  # the report stands where {{body}} was
    assert texts[-1] == "Slut på rapporten."


def test_a_missing_template_is_a_clear_error_without_a_traceback(
    workspace: Path, tmp_path: Path
) -> None:
    result = CliRunner().invoke(
        main,
        [
            "export",
            str(workspace),
            "--format",
            "docx",
            "--out",
            str(tmp_path / "r.docx"),
            "--option",
            f"template={tmp_path / 'nowhere.docx'}",
        ],
    )
    assert result.exit_code != 0
    assert "nowhere.docx: no such template" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "r.docx").exists()


def test_workspace_text_is_written_as_text_never_as_a_field(tmp_path: Path) -> None:
    folder = copy_workspace(EXAMPLE, tmp_path / "ws")
    hostile = (
        '{ DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/c calc" } <w:fldSimple w:instr="X"/>\x07'
    )
    concept = yaml.safe_load((folder / "concept.yaml").read_text(encoding="utf-8"))
    concept["title"] = {"sv": hostile, "en": hostile}
    (folder / "concept.yaml").write_text(
        yaml.safe_dump(concept, allow_unicode=True), encoding="utf-8"
    )
    out = export(folder, tmp_path / "r.docx")
    with zipfile.ZipFile(out) as archive:
        xml = "".join(
            archive.read(n).decode("utf-8") for n in archive.namelist() if n.endswith(".xml")
        )
        assert not any(n.endswith("vbaProject.bin") for n in archive.namelist())
    assert "fldSimple" not in xml.replace("&lt;w:fldSimple", "")
    assert "instrText" not in xml and "fldChar" not in xml
    subtitle = docx.Document(str(out)).paragraphs[1].text
    assert subtitle == hostile.replace("\x07", "\\u0007")


def test_the_bytes_reproduce_with_source_date_epoch(
    workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first = export(workspace, tmp_path / "a.docx").read_bytes()
    second = export(workspace, tmp_path / "b.docx").read_bytes()
    assert first == second
    with zipfile.ZipFile(tmp_path / "a.docx") as archive:
        assert {i.date_time for i in archive.infolist()} == {(2023, 11, 14, 22, 13, 20)}
    assert docx.Document(str(tmp_path / "a.docx")).core_properties.created.year == 2023


def test_an_existing_file_of_another_kind_is_not_overwritten(
    workspace: Path, tmp_path: Path
) -> None:
    target = tmp_path / "notes.docx"
    target.write_text("my own notes", encoding="utf-8")
    with pytest.raises(m.MioError):
        export(workspace, target)
    assert target.read_text(encoding="utf-8") == "my own notes"


def test_the_shipped_templates_hold_the_placeholders() -> None:
    for language in ("sv", "en"):
        text = "\n".join(
            p.text for p in docx.Document(str(mio_docx.default_template(language))).paragraphs
        )
        for name in ("title", "concept", "date", "people", "body"):
            assert "{{" + name + "}}" in text


@pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"
)
def test_libreoffice_converts_the_report_to_pdf(report: Path, tmp_path: Path) -> None:
    profile = tmp_path / "profile"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(report),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = tmp_path / "report.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    assert pdf.stat().st_size > 10_000


def test_a_template_that_is_no_word_document_is_a_clear_error(
    workspace: Path, tmp_path: Path
) -> None:
    (tmp_path / "t.docx").write_text("not a zip", encoding="utf-8")
    with pytest.raises(m.MioError, match=r"t\.docx: not a Word document"):
        export(workspace, tmp_path / "r.docx", template=str(tmp_path / "t.docx"))
    assert not (tmp_path / "r.docx").exists()


def test_a_programme_without_municipalities_has_no_reach_section(tmp_path: Path) -> None:
    # before: the heading "Reach by municipality" over an empty table of SCB codes
    english = EXAMPLE.parent / "leading-nursing-teams"
    folder = copy_workspace(english, tmp_path / "ltn")
    document = docx.Document(str(export(folder, tmp_path / "report.docx", language="en")))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Participation" in headings and "Reach by municipality" not in headings


def test_the_swedish_report_says_when_it_was_made_in_swedish(
    workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1709640000")  # 2024-03-05T12:00:00Z
    paragraphs = [
        p.text for p in docx.Document(str(export(workspace, tmp_path / "r.docx"))).paragraphs
    ]
    assert any(p.startswith("Genererad 5 mars 2024.") for p in paragraphs)

"""The tidy tables' codebook in the export's language: Swedish descriptions and value labels
with ``--language sv``, English as before otherwise, and a Swedish text for every text a
table defines (a table that gains an English-only description fails here)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

import mio_core as m
from mio_core.export.swedish import SWEDISH
from mio_core.export.tables import CODEBOOK_FIELDS, _tables, subscale_rule
from mio_core.testing import copy_workspace, make_registry

from ..helpers import EXAMPLE

REGISTRY = make_registry(builtins=True)


@pytest.mark.parametrize(
    ("identified", "with_text"), [(False, False), (False, True), (True, False)]
)
def test_every_text_of_the_tables_has_a_swedish_one(
    tmp_path: Path, identified: bool, with_text: bool
) -> None:
    folder = copy_workspace(EXAMPLE, tmp_path / "mio")
    source = m.prepare_source(
        m.load_workspace(folder),
        REGISTRY,
        language="en",
        identified=identified,
        with_text=with_text,
        key_file=tmp_path / "test.key",  # outside the workspace: one inside is refused
    )
    texts = {f.description for f in CODEBOOK_FIELDS}
    for table in _tables(source):
        texts.add(table.description)
        for field in table.fields:
            texts.add(field.description)
            texts.update(label for _, label in field.categories)
    assert sorted(texts - set(SWEDISH)) == []


def _codebook(folder: Path) -> dict[tuple[str, str, str], str]:
    with (folder / "codebook.csv").open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    return {(r["table"], r["variable"], r["value"]): r["description"] or r["label"] for r in rows}


def _export(folder: Path, out: Path, language: str, name: str = "csv") -> Path:
    source = m.prepare_source(m.load_workspace(folder), REGISTRY, language=language)
    return m.run_export(REGISTRY.exporter(name), source, out)


def test_a_swedish_codebook_describes_the_variables_in_swedish(tmp_path: Path) -> None:
    folder = copy_workspace(EXAMPLE, tmp_path / "mio")
    book = _codebook(_export(folder, tmp_path / "sv", "sv"))
    assert book[("coaching_sessions", "minutes", "")] == "längd i minuter"
    assert book[("coaching_sessions", "mode", "phone")] == "telefon"
    assert book[("attendance", "present", "0")] == "frånvarande"
    assert book[("group_results", "suppressed", "secondary")] == (
        "dold för att skydda en annan grupp"
    )
    assert book[("organisations", "kind", "municipality")] == "kommun"


def test_an_english_codebook_is_as_before(tmp_path: Path) -> None:
    folder = copy_workspace(EXAMPLE, tmp_path / "mio")
    book = _codebook(_export(folder, tmp_path / "en", "en"))
    assert book[("coaching_sessions", "minutes", "")] == "length in minutes"
    assert book[("coaching_sessions", "mode", "phone")] == "phone"


def test_a_swedish_score_rule_says_how_the_score_is_made_in_swedish() -> None:
    instrument = REGISTRY.instruments["mio-innovation-leadership"]
    subscale = next(s for s in instrument.subscales if s.reverse)
    rule = subscale_rule(instrument, subscale, "sv")
    assert rule.startswith("medelvärdet av frågorna ")
    assert f"; {subscale.reverse[0]} omvänt kodad (min + max − värde = 6 − värde)" in rule
    assert rule.endswith("frågor är besvarade, annars tomt")


def test_a_swedish_data_package_titles_its_resources_in_swedish(tmp_path: Path) -> None:
    folder = copy_workspace(EXAMPLE, tmp_path / "mio")
    out = _export(folder, tmp_path / "package", "sv", "datapackage")
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    titles = {r["name"]: r["title"] for r in package["resources"]}
    assert titles["coaching_sessions"] == "Coachningssamtal"
    assert titles["codebook"].startswith("Varje variabel i varje tabell")


def test_a_swedish_data_package_describes_itself_in_swedish(tmp_path: Path) -> None:
    folder = copy_workspace(EXAMPLE, tmp_path / "mio")
    out = _export(folder, tmp_path / "package", "sv", "datapackage")
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    assert package["description"].startswith(
        "Utvärderingsdata för Utvecklingskonceptet MIO – Mer Innovation"
    )
    assert "offentlig sektor" in package["keywords"]


def test_an_english_data_package_describes_itself_as_before(tmp_path: Path) -> None:
    folder = copy_workspace(EXAMPLE, tmp_path / "mio")
    out = _export(folder, tmp_path / "package", "en", "datapackage")
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    assert package["description"] == (
        "Evaluation data of the development concept The MIO development concept – More "
        "Innovation in the Public Sector, exported by mio_core. People are pseudonymised with "
        "keyed pseudonyms; names and emails are left out."
    )
    assert package["keywords"] == ["mio_core", "evaluation", "innovation", "public sector"]

"""The analysis files read back (pyreadstat, pyreadr) with every value, variable label and
value label equal to what the workspace says, computed here independently of the writer."""

from __future__ import annotations

import csv
import math
from collections import defaultdict
from pathlib import Path
from typing import Any

import attrs
import mio_research_files
import pyreadr
import pyreadstat
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

import mio_core as m
from mio_core.export.wide import MAX_NAME, _Names
from mio_core.model import text_in
from mio_core.privacy.pseudonyms import Pseudonymiser, key_path, load_or_create_key
from mio_core.testing import copy_workspace, make_registry

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "mio"
LEVELS = {
    "first-line": "first-line manager",
    "middle": "middle manager",
    "senior": "senior manager",
}
REFUSING = "p02"  # research_consent: false in the fixture
HOSTILE_TITLE = '=HYPERLINK("http://x")\x01\u202eevil'


def registry() -> m.Registry:
    return make_registry(mio_research_files, builtins=True)


def workspace_copy(folder: Path, cohort_title: str | None = None) -> Path:
    copy_workspace(EXAMPLE, folder)
    loaded = m.load_workspace(folder)
    people = tuple(
        attrs.evolve(p, research_consent=False) if p.id == REFUSING else p
        for p in loaded.participants
    )
    cohorts = loaded.cohorts
    if cohort_title is not None:
        cohorts = (attrs.evolve(cohorts[0], title=cohort_title), *cohorts[1:])
    m.save_workspace(attrs.evolve(loaded, participants=people, cohorts=cohorts), folder)
    return folder


def export(folder: Path, out: Path, name: str, language: str = "en") -> Path:
    plugins = registry()
    source = m.prepare_source(m.load_workspace(folder), plugins, language=language)
    exporter = plugins.exporter(name)
    return m.run_export(exporter, source, out / f"{name}{exporter.suffix}")


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = workspace_copy(tmp_path_factory.mktemp("ws") / "mio")
    out = tmp_path_factory.mktemp("out")
    written = {name: export(folder, out, name) for name in ("wide-csv", "spss", "stata", "rds")}
    return {**written, "workspace": folder}


def expected(folder: Path) -> dict[str, dict[str, Any]]:
    """Every participant's row, from the workspace's own files, with labels for categories."""
    loaded = m.load_workspace(folder)
    pseudonym = Pseudonymiser(load_or_create_key(key_path(folder)))
    organisations = {o.id: o for o in loaded.organisations}
    stages = {s.id: text_in(s.title, "en") for s in registry().lifecycle("opsi").stages}
    order = list(stages)
    # the concept's declared sectors, read from its file: a sector's label, else its id
    concept = yaml.safe_load((folder / "concept.yaml").read_text(encoding="utf-8"))
    declared = concept.get("vocabularies", {}).get("sectors", [])
    sectors = {t["id"]: t["label"]["en"] for t in declared}
    rows = {}
    for p in loaded.participants:
        if not p.research_consent:
            continue
        cohort = next(c for c in loaded.cohorts if p.id in c.participants)
        engagements = [e for e in loaded.engagements if e.participant == p.id]
        owned = [x.stage for x in loaded.projects if x.owner == p.id]
        rows[pseudonym("participant", p.id)] = {
            "organisation": p.organisation,
            "organisation_name": organisations[p.organisation].name,
            "municipality_code": organisations[p.organisation].municipality_code,
            "cohort": text_in(cohort.title, "en"),
            "level": LEVELS[p.level],
            "sector": sectors.get(p.sector, p.sector) if p.sector else None,
            "modules_held": len({s.module for s in cohort.sessions}),
            "modules_attended": len({s.module for s in cohort.sessions if p.id in s.attended}),
            "coaching_sessions": sum(len(e.sessions) for e in engagements),
            "coaching_hours": sum(s.minutes for e in engagements for s in e.sessions) / 60,
            "projects": len(owned),
            "project_stage": stages[max(owned, key=order.index)] if owned else None,
        }
    return rows


def scores(folder: Path) -> dict[tuple[str, str, str, str], float]:
    """The evaluation's scores of the research workspace, by (person, instrument, subscale,
    occasion)."""
    source = m.prepare_source(m.load_workspace(folder), registry(), language="en")
    assert source.evaluation is not None
    return {
        (s.respondent, s.instrument, s.subscale, s.occasion): s.value
        for s in source.evaluation.scores
        if s.value is not None
    }


def codebook(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(path.open(encoding="utf-8")))


def same(a: Any, b: Any) -> bool:
    missing = (a is None or (isinstance(a, float) and math.isnan(a)), b is None)
    if any(missing):
        return all(missing)
    if isinstance(b, int | float) and not isinstance(b, bool):
        return math.isclose(float(a), float(b), rel_tol=1e-12, abs_tol=1e-12)
    return bool(a == b)


def check_rows(read: dict[str, dict[str, Any]], folder: Path, book: list[dict[str, str]]) -> None:
    """``read``: person → variable → value with categories as labels."""
    want = expected(folder)
    assert set(read) == set(want)
    for person, row in want.items():
        for variable, value in row.items():
            assert same(read[person][variable], value), (person, variable)
    found = scores(folder)
    measures = [r for r in book if r["instrument"] and not r["item"] and not r["value"]]
    assert measures
    for r in measures:
        for person in want:
            key = (person, r["instrument"], r["subscale"])
            if r["change_from"]:
                before, after = found.get((*key, "pre")), found.get((*key, r["occasion"]))
                value = None if before is None or after is None else after - before
            else:
                value = found.get((*key, r["occasion"]))
            assert same(read[person][r["variable"]], value), (person, r["variable"])


def decoded(frame: Any, value_labels: dict[str, dict[Any, str]]) -> dict[str, dict[str, Any]]:
    rows = {}
    for record in frame.to_dict("records"):
        row = {}
        for name, value in record.items():
            if name in value_labels and not (isinstance(value, float) and math.isnan(value)):
                value = value_labels[name][value]
            row[name] = value
        rows[row["participant"]] = row
    return rows


# --- values ---------------------------------------------------------------------------


def test_every_value_of_the_sav_file_equals_the_workspace(exported: dict[str, Path]) -> None:
    frame, meta = pyreadstat.read_sav(exported["spss"])
    book = codebook(exported["wide-csv"] / "codebook.csv")
    check_rows(decoded(frame, meta.variable_value_labels), exported["workspace"], book)


def test_every_value_of_the_dta_file_equals_the_workspace(exported: dict[str, Path]) -> None:
    frame, meta = pyreadstat.read_dta(exported["stata"])
    book = codebook(exported["wide-csv"] / "codebook.csv")
    check_rows(decoded(frame, meta.variable_value_labels), exported["workspace"], book)


def test_every_value_of_the_rds_file_equals_the_workspace(exported: dict[str, Path]) -> None:
    frame = pyreadr.read_r(exported["rds"] / "wide.rds")[None]
    rows = {
        r["participant"]: {k: (None if v is None or v != v else v) for k, v in r.items()}
        for r in frame.astype(object).to_dict("records")
    }
    check_rows(rows, exported["workspace"], codebook(exported["rds"] / "codebook.csv"))


def test_every_value_of_the_wide_csv_equals_the_workspace(exported: dict[str, Path]) -> None:
    book = codebook(exported["wide-csv"] / "codebook.csv")
    labels: dict[str, dict[str, str]] = defaultdict(dict)
    for r in book:
        if r["value"]:
            labels[r["variable"]][r["value"]] = r["value_label"]
    numeric = {r["variable"] for r in book if r["type"] in ("integer", "number")}
    rows = {}
    for record in csv.DictReader((exported["wide-csv"] / "wide.csv").open(encoding="utf-8")):
        row: dict[str, Any] = {}
        for name, text in record.items():
            value: Any = text or None
            if value is not None and name in numeric:
                value = float(value)
            elif value is not None and name in labels:
                value = labels[name][value]
            row[name] = value
        rows[row["participant"]] = row
    check_rows(rows, exported["workspace"], book)


# --- labels ---------------------------------------------------------------------------


def test_variable_and_value_labels_are_in_the_sav_and_dta(exported: dict[str, Path]) -> None:
    book = codebook(exported["wide-csv"] / "codebook.csv")
    full = {r["variable"]: r["label"] for r in book if not r["value"]}
    values: dict[str, dict[int, str]] = defaultdict(dict)
    for r in book:
        if r["value"]:
            values[r["variable"]][int(r["code"])] = r["value_label"]
    for path, read in (
        (exported["spss"], pyreadstat.read_sav),
        (exported["stata"], pyreadstat.read_dta),
    ):
        _, meta = read(path, metadataonly=True)
        fits = 256 if path.suffix == ".sav" else 80  # bytes / characters
        for variable, label in meta.column_names_to_labels.items():
            if len(full[variable].encode()) <= fits:
                assert label == full[variable], (path.suffix, variable)
            else:  # Stata: the label without the instrument's title (it is in the name)
                assert path.suffix == ".dta" and full[variable].endswith(label), variable
        assert set(meta.column_names_to_labels) == set(full)
        assert {
            k: {int(c): t for c, t in v.items()} for k, v in meta.variable_value_labels.items()
        } == values
    workspace = m.load_workspace(exported["workspace"])
    assert values["cohort"] == {
        i: text_in(c.title, "en") for i, c in enumerate(workspace.cohorts, 1)
    }
    assert values["level"] == dict(enumerate(LEVELS.values(), 1))


def _r_attributes(path: Path) -> dict[str, dict[str, list[str | None]]]:
    """Every column's character attributes (label, levels, class), as rdata parses them."""
    import rdata

    def strings(obj: Any) -> list[str | None]:
        return [None if c.value is None else c.value.decode() for c in obj.value]

    def pairs(obj: Any) -> dict[str, Any]:
        found = {}
        node = obj.attributes
        while node is not None and node.info.type == rdata.parser.RObjectType.LIST:
            tag = node.tag.referenced_object if node.tag.referenced_object else node.tag
            found[tag.value.value.decode()] = node.value[0]
            node = node.value[1]
        return found

    frame = rdata.parser.parse_file(path).object
    names = strings(pairs(frame)["names"])
    return {
        str(name): {
            key: strings(value)
            for key, value in pairs(column).items()
            if value.info.type == rdata.parser.RObjectType.STR
        }
        for name, column in zip(names, frame.value, strict=True)
    }


def test_every_rds_column_carries_its_variable_label(exported: dict[str, Path]) -> None:
    book = codebook(exported["wide-csv"] / "codebook.csv")
    full = {r["variable"]: r["label"] for r in book if not r["value"]}
    found = _r_attributes(exported["rds"] / "wide.rds")
    assert {name: a["label"] for name, a in found.items()} == {
        name: [label] for name, label in full.items()
    }


def test_rds_value_labels_are_the_factor_levels_in_code_order(
    exported: dict[str, Path],
) -> None:
    book = codebook(exported["wide-csv"] / "codebook.csv")
    values: dict[str, dict[int, str]] = defaultdict(dict)
    for r in book:
        if r["value"]:
            values[r["variable"]][int(r["code"])] = r["value_label"]
    found = _r_attributes(exported["rds"] / "wide.rds")
    assert {n: a["levels"] for n, a in found.items() if "levels" in a} == {
        name: [labels[code] for code in sorted(labels)] for name, labels in values.items()
    }
    assert found["level"]["class"] == ["ordered", "factor"]
    assert found["sector"]["class"] == ["factor"]


def test_rds_labels_are_r_character_attributes_in_the_bytes(exported: dict[str, Path]) -> None:
    """Byte-level, from R Internals ("Serialization Formats"): gzip, then XDR; a label is a
    STRSXP (16) of length 1 holding a CHARSXP (9, UTF-8 or ASCII flag) of its bytes."""
    import gzip
    import re
    import struct

    data = gzip.decompress((exported["rds"] / "wide.rds").read_bytes())
    assert data[:2] == b"X\n"  # XDR
    assert struct.unpack(">i", data[2:6]) == (3,)  # serialization format 3
    book = codebook(exported["wide-csv"] / "codebook.csv")
    for row in (r for r in book if not r["value"]):
        text = row["label"].encode()
        head = b"\x00\x00\x00\x10\x00\x00\x00\x01\x00[\x00\x04][\x00\x80]\x09"
        pattern = head + re.escape(struct.pack(">i", len(text)) + text)
        assert re.search(pattern, data, flags=re.DOTALL), row["variable"]


def test_a_missing_rds_number_is_r_na_not_nan(exported: dict[str, Path]) -> None:
    import gzip

    frame = pyreadr.read_r(exported["rds"] / "wide.rds")[None]
    assert frame.isna().to_numpy().any()  # the fixture has unanswered occasions
    data = gzip.decompress((exported["rds"] / "wide.rds").read_bytes())
    assert bytes.fromhex("7ff00000000007a2") in data  # NA_real_ (NaN with payload 1954)
    assert bytes.fromhex("7ff8000000000000") not in data  # no plain NaN


def test_scores_carry_their_instrument_subscale_and_occasion_in_the_label(
    exported: dict[str, Path],
) -> None:
    _, meta = pyreadstat.read_sav(exported["spss"], metadataonly=True)
    instruments = {i.id: i for i in registry().instruments.values()}
    for r in codebook(exported["wide-csv"] / "codebook.csv"):
        if r["instrument"] and not r["value"]:
            instrument = instruments[r["instrument"]]
            subscale = next(s for s in instrument.subscales if s.id == r["subscale"])
            label = meta.column_names_to_labels[r["variable"]]
            assert label.startswith(f"{text_in(instrument.title, 'en')}: ")
            assert text_in(subscale.title, "en") in label
    assert meta.variable_measure["level"] == "ordinal"
    assert meta.variable_measure["cohort"] == "nominal"
    assert meta.variable_measure["coaching_hours"] == "scale"


def test_rds_categories_are_factors_with_the_labels_in_code_order(
    exported: dict[str, Path],
) -> None:
    frame = pyreadr.read_r(exported["rds"] / "wide.rds")[None]
    assert list(frame["level"].cat.categories) == list(LEVELS.values())
    stages = [text_in(s.title, "en") for s in registry().lifecycle("opsi").stages]
    assert list(frame["project_stage"].cat.categories) == stages


# --- privacy --------------------------------------------------------------------------


def test_a_participant_without_research_consent_is_in_no_analysis_file(
    exported: dict[str, Path],
) -> None:
    folder = exported["workspace"]
    theirs = Pseudonymiser(load_or_create_key(key_path(folder)))("participant", REFUSING)
    for name in ("spss", "stata"):
        frame, _ = (pyreadstat.read_sav if name == "spss" else pyreadstat.read_dta)(exported[name])
        assert theirs not in set(frame["participant"])
        assert len(frame) == len(m.load_workspace(folder).participants) - 1
    for path in (exported["spss"], exported["stata"], exported["rds"] / "wide.rds"):
        assert theirs.encode() not in path.read_bytes()
    assert theirs not in (exported["wide-csv"] / "wide.csv").read_text(encoding="utf-8")


def test_no_name_email_or_person_id_is_in_any_analysis_file(exported: dict[str, Path]) -> None:
    people = m.load_workspace(exported["workspace"]).participants
    secrets = {s for p in people for s in (p.name, p.email, f",{p.id},") if s}
    for path in (exported["spss"], exported["stata"], exported["rds"] / "wide.rds"):
        data = path.read_bytes()
        assert not [s for s in secrets if s.encode() in data], path
    for path in exported["wide-csv"].glob("*.csv"):
        text = path.read_text(encoding="utf-8")
        assert not [s for s in secrets if s in text], path
    frame, _ = pyreadstat.read_sav(exported["spss"])
    assert not {p.id for p in people} & set(frame["participant"])


# --- hostile text, names, reproducibility ------------------------------------------------


@pytest.mark.parametrize("name", ["spss", "stata", "rds"])
def test_a_formula_title_is_kept_and_control_characters_are_shown(
    tmp_path: Path, name: str
) -> None:
    folder = workspace_copy(tmp_path / "ws", cohort_title=HOSTILE_TITLE)
    written = export(folder, tmp_path / "out", name)
    shown = '=HYPERLINK("http://x")\\u0001\\u202eevil'
    if name == "rds":
        frame = pyreadr.read_r(written / "wide.rds")[None]
        assert shown in list(frame["cohort"].cat.categories)
        return
    _, meta = (pyreadstat.read_sav if name == "spss" else pyreadstat.read_dta)(written)
    assert meta.variable_value_labels["cohort"][1] == shown


def test_a_label_too_long_for_spss_is_cut_visibly(tmp_path: Path) -> None:
    folder = workspace_copy(tmp_path / "ws", cohort_title="å" * 200)
    _, meta = pyreadstat.read_sav(export(folder, tmp_path / "out", "spss"), metadataonly=True)
    label = meta.variable_value_labels["cohort"][1]
    assert label.endswith(" […]") and len(label.encode("utf-8")) <= 120


@given(
    st.lists(st.from_regex(r"[a-z0-9](?:[a-z0-9_-]{0,62}[a-z0-9])?", fullmatch=True), max_size=40)
)
def test_variable_names_are_valid_and_unique_in_spss_and_stata(wanted: list[str]) -> None:
    names = _Names()
    given_names = [names(w) for w in wanted]
    for name in given_names:
        assert len(name) <= MAX_NAME and name[0].isalpha() and name.isascii()
        assert all(c.isalnum() or c == "_" for c in name)
    assert len({n.lower() for n in given_names}) == len(given_names)


@pytest.mark.parametrize("name", ["spss", "stata", "rds"])
def test_the_same_workspace_gives_the_same_bytes_with_source_date_epoch(
    exported: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "946684800")  # 2000-01-01 00:00 UTC
    first = export(exported["workspace"], tmp_path / "a", name)
    second = export(exported["workspace"], tmp_path / "b", name)
    if name == "rds":
        first, second = first / "wide.rds", second / "wide.rds"
    assert first.read_bytes() == second.read_bytes()
    if name != "rds":
        _, meta = (pyreadstat.read_sav if name == "spss" else pyreadstat.read_dta)(first)
        assert meta.creation_time.date().isoformat() == "2000-01-01"


TRAVEL = """\
id: travel
title: Travel
level: reaction
occasions: [post]
scales:
- {id: agree5, min: 1, max: 5}
items:
- {id: liked, text: I liked it}
- {id: why, kind: text, text: Why?}
- {id: mode, kind: choice, text: How did you travel?, options: {bus: By bus, car: By car}}
"""


def test_a_choice_item_is_a_labelled_variable_and_text_stays_out(tmp_path: Path) -> None:
    folder = tmp_path / "mio"
    copy_workspace(EXAMPLE, folder)
    (folder / "instruments").mkdir(exist_ok=True)
    (folder / "instruments" / "travel.yaml").write_text(TRAVEL, encoding="utf-8")
    (folder / "responses" / "travel.post.csv").write_text(
        "respondent,liked,why,mode\np01,4,My boss Anna,car\np03,5,,bus\n", encoding="utf-8"
    )
    for name in ("spss", "stata"):
        path = export(folder, tmp_path / name, name)
        reader = pyreadstat.read_sav if name == "spss" else pyreadstat.read_dta
        frame, meta = reader(path)
        labels = meta.variable_value_labels["travel_mode_post"]
        assert sorted(labels.values()) == ["By bus", "By car"]
        chosen = {labels[v] for v in frame["travel_mode_post"] if v == v}
        assert chosen == {"By bus", "By car"}
        assert "travel_why_post" not in frame.columns


def test_sav_codes_and_counts_are_shown_without_decimals(exported: dict[str, Path]) -> None:
    _, meta = pyreadstat.read_sav(exported["spss"], metadataonly=True)
    kinds = {r["variable"]: r["type"] for r in codebook(exported["wide-csv"] / "codebook.csv")}
    formats = meta.original_variable_types
    assert formats["cohort"] == "F1.0"  # two cohorts: code 1 or 2, not "1.00"
    assert formats["modules_attended"] == "F8.0"
    assert all(formats[v] == "F8.2" for v, kind in kinds.items() if kind == "number")


def test_rds_integer_columns_are_r_integers_and_numbers_doubles(exported: dict[str, Path]) -> None:
    import rdata

    kinds = {r["variable"]: r["type"] for r in codebook(exported["rds"] / "codebook.csv")}
    frame = rdata.parser.parse_file(exported["rds"] / "wide.rds").object
    names = [c.value.decode() for c in frame.attributes.value[0].value]
    types = {name: column.info.type for name, column in zip(names, frame.value, strict=True)}
    assert types["modules_attended"] == rdata.parser.RObjectType.INT
    assert all(
        types[name] == rdata.parser.RObjectType.INT
        for name, kind in kinds.items()
        if kind == "integer"
    )
    assert all(
        types[name] == rdata.parser.RObjectType.REAL
        for name, kind in kinds.items()
        if kind == "number"
    )


def test_a_swedish_sav_file_has_swedish_variable_labels(tmp_path: Path) -> None:
    folder = workspace_copy(tmp_path / "mio")
    _, meta = pyreadstat.read_sav(export(folder, tmp_path, "spss", "sv"), metadataonly=True)
    labels = meta.column_names_to_labels
    assert labels["coaching_hours"] == "coachningstimmar"
    assert labels["level"] == "chefsnivå"
    assert labels["participant"] == "deltagare (en pseudonym om exporten inte är identifierad)"
    assert labels["mil_room_pre"].endswith(": Förändring inom handlingsutrymmet (före)")
    assert labels["mil_room_chg_post"].endswith(
        ": Förändring inom handlingsutrymmet, förändring från före till efter"
    )
    assert labels["mio_utilisation_operations_fu6m"].endswith("(uppföljning efter 6 månader)")
    assert labels["mme_relevance_m_m1"].endswith("(utbildningsdag m1)")
    english = ("(pre)", "(post)", "change pre to", "follow-up", "module ", "participant", " of ")
    assert [label for label in labels.values() if any(e in label for e in english)] == []

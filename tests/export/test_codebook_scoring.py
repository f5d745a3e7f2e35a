"""The codebook says how every score is made from the answers, so that a researcher can
recompute the scores (and their reliability) from the exported files alone."""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from pathlib import Path

import pytest

import mio_core as m
from mio_core.testing import copy_workspace, make_registry

from ..helpers import EXAMPLE

RULE = re.compile(
    r"mean of the items (?P<items>[\w, -]+) answered on their scale"
    r"(?P<reversed>(; \S+ reverse-coded \(min \+ max − value = \d+ − value\))*)"
    r"; scored when at least (?P<needed>\d+) of its (?P<count>\d+) items are answered, else empty"
)
MIRROR = re.compile(r"; (\S+) reverse-coded \(min \+ max − value = (\d+) − value\)")


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    workspace = copy_workspace(EXAMPLE, tmp_path_factory.mktemp("ws") / "mio")
    registry = make_registry(builtins=True)
    source = m.prepare_source(m.load_workspace(workspace), registry, language="en")
    out = tmp_path_factory.mktemp("out") / "csv"
    return m.run_export(registry.exporter("csv"), source, out)


def rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(path.open(encoding="utf-8")))


def test_the_codebook_names_a_subscales_items_and_its_reverse_coded_item(exported: Path) -> None:
    described = {
        r["variable"]: r["description"]
        for r in rows(exported / "codebook.csv")
        if r["table"] == "scores"
    }

    assert described["mio-innovation-leadership/conditions"] == (
        "mean of the items edi1, edi2, edi3 answered on their scale; edi3 reverse-coded "
        "(min + max − value = 6 − value); scored when at least 2 of its 3 items are "
        "answered, else empty"
    )


def test_every_score_is_recomputed_from_the_answers_by_the_codebook_rule(exported: Path) -> None:
    rules = {
        r["variable"]: RULE.fullmatch(r["description"])
        for r in rows(exported / "codebook.csv")
        if r["table"] == "scores" and "/" in r["variable"]
    }
    answers: dict[tuple[str, str, str], dict[str, float]] = defaultdict(dict)
    for a in rows(exported / "answers.csv"):
        if a["value"] and a["missing_code"] == "0":
            answers[a["respondent"], a["instrument"], a["occasion"]][a["item"]] = float(a["value"])
    scores = rows(exported / "scores.csv")
    assert scores

    for s in scores:
        rule = rules[f"{s['instrument']}/{s['subscale']}"]
        assert rule is not None, s
        mirrors = {item: int(total) for item, total in MIRROR.findall(rule["reversed"])}
        given = answers[s["respondent"], s["instrument"], s["occasion"]]
        values = [
            mirrors[item] - given[item] if item in mirrors else given[item]
            for item in rule["items"].split(", ")
            if item in given
        ]
        if len(values) < int(rule["needed"]):
            assert s["score"] == "", s
        else:
            assert float(s["score"]) == pytest.approx(sum(values) / len(values), abs=1e-12), s


def test_a_projects_organisation_is_a_foreign_key_frictionless_checks(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    from frictionless import validate

    workspace = copy_workspace(EXAMPLE, tmp_path_factory.mktemp("ws") / "mio")
    registry = make_registry(builtins=True)
    source = m.prepare_source(m.load_workspace(workspace), registry)
    out = m.run_export(registry.exporter("datapackage"), source, tmp_path_factory.mktemp("o") / "p")
    projects = out / "projects.csv"
    table = rows(projects)
    table[0]["organisation"] = "no-such-organisation"
    with projects.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(table[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(table)

    report = validate(out / "datapackage.json")

    assert [error[0] for error in report.flatten(["type"])] == ["foreign-key"]

"""An open model: a concept declares its value lists and its occasions."""

from __future__ import annotations

from pathlib import Path

import mio_core as m
from mio_core.export.wide import wide_table
from mio_core.model import DEFAULT_VOCABULARIES
from mio_core.testing import make_registry

VOCABULARIES = """
  manager_levels:
  - id: nurse-manager
    label: {en: Nurse manager, sv: Sjuksköterskechef}
  - id: ward-manager
    label: {en: Ward manager, sv: Avdelningschef}
"""


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def declare(workspace: Path, lists: str) -> None:
    """Add ``lists`` (indented value lists) under the example's ``vocabularies:``."""
    replace(workspace / "concept.yaml", "\nvocabularies:\n", f"\nvocabularies:{lists}")


def declare_levels(workspace: Path) -> None:
    declare(workspace, VOCABULARIES)
    replace(workspace / "people.yaml", "level: first-line", "level: nurse-manager")
    replace(workspace / "people.yaml", "level: middle", "level: ward-manager")
    replace(workspace / "people.yaml", "level: senior", "level: ward-manager")


def codes(workspace: Path, code: str) -> list[m.Problem]:
    return [p for p in m.validate_workspace(workspace) if p.code == code]


def test_a_level_outside_mio_s_default_list_names_file_line_and_field(workspace: Path) -> None:
    replace(workspace / "people.yaml", "  level: senior\n", "  level: nurse-manager\n")
    [problem, *_] = codes(workspace, "unknown-value")
    assert (problem.file, problem.line, problem.path) == (
        "people.yaml",
        5,
        ("participants", 0, "level"),
    )
    assert "first-line, middle, senior" in problem.message


def test_a_concept_s_declared_levels_are_valid(workspace: Path) -> None:
    declare_levels(workspace)
    assert m.validate_workspace(workspace) == []


def test_declared_levels_replace_mio_s(workspace: Path) -> None:
    declare_levels(workspace)
    replace(workspace / "people.yaml", "level: nurse-manager\n", "level: first-line\n")
    assert {p.path[-1] for p in codes(workspace, "unknown-value")} == {"level"}


def test_declared_sectors_are_checked(workspace: Path) -> None:
    replace(workspace / "concept.yaml", "  - id: elder-care\n", "  - id: eldercare\n")
    found = codes(workspace, "unknown-value")
    assert found and all(p.path[-1] == "sector" for p in found)
    assert {p.file for p in found} == {"people.yaml"}


def test_sectors_are_free_until_declared(workspace: Path) -> None:
    concept = workspace / "concept.yaml"
    text = concept.read_text(encoding="utf-8")
    concept.write_text(text[: text.index("\nvocabularies:\n") + 1], encoding="utf-8")
    replace(workspace / "people.yaml", "sector: elder-care", "sector: any-sector-at-all")
    assert m.load_workspace(workspace).concept.terms("sectors") == ()
    assert codes(workspace, "unknown-value") == []


def test_an_organisation_kind_the_concept_declares_is_valid(workspace: Path) -> None:
    replace(workspace / "organisations.yaml", "kind: government-agency", "kind: funder")
    assert [p.path for p in codes(workspace, "unknown-value")] == [("organisations", 2, "kind")]
    kinds = "\n".join(
        f"  - {{id: {t.id}, label: {t.id}}}" for t in DEFAULT_VOCABULARIES["organisation_kinds"]
    )
    declare(workspace, f"\n  organisation_kinds:\n{kinds}\n  - {{id: funder, label: F}}\n")
    assert codes(workspace, "unknown-value") == []


def test_a_value_declared_twice_is_a_duplicate(workspace: Path) -> None:
    declare_levels(workspace)
    replace(workspace / "concept.yaml", "id: ward-manager", "id: nurse-manager")
    [problem] = codes(workspace, "duplicate-id")
    assert problem.path == ("vocabularies", "manager_levels", 1, "id")


def test_the_wide_export_labels_levels_from_the_declaration(workspace: Path) -> None:
    declare_levels(workspace)
    loaded = m.load_workspace(workspace)
    registry = make_registry(builtins=True)
    for language, label in (("sv", "Sjuksköterskechef"), ("en", "Nurse manager")):
        source = m.prepare_source(loaded, registry, language=language)
        [level] = [c for c in wide_table(source).columns if c.name == "level"]
        assert level.categories == (
            ("nurse-manager", label),
            ("ward-manager", {"sv": "Avdelningschef", "en": "Ward manager"}[language]),
        )


def test_a_plan_may_add_a_twelve_month_follow_up(workspace: Path) -> None:
    replace(
        workspace / "concept.yaml",
        "    - follow-up:6m\n",
        "    - follow-up:6m\n    - follow-up:12m\n",
    )
    source = workspace / "responses" / "mio-utilisation.follow-up.6m.csv"
    target = workspace / "responses" / "mio-utilisation.follow-up.12m.csv"
    target.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    assert m.validate_workspace(workspace) == []


def test_a_follow_up_the_plan_does_not_declare_is_refused(workspace: Path) -> None:
    source = workspace / "responses" / "mio-utilisation.follow-up.6m.csv"
    target = workspace / "responses" / "mio-utilisation.follow-up.24m.csv"
    target.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    [problem] = codes(workspace, "occasion-not-allowed")
    assert problem.file == "responses/mio-utilisation.follow-up.24m.csv"
    assert "evaluation plan" in problem.message


def test_a_plan_may_not_move_an_instrument_to_another_kind_of_occasion(workspace: Path) -> None:
    replace(workspace / "concept.yaml", "    - follow-up:6m\n", "    - follow-up:6m\n    - pre\n")
    [problem] = codes(workspace, "occasion-not-allowed")
    assert problem.file == "concept.yaml"


def test_changes_come_in_time_order_of_follow_ups(workspace: Path) -> None:
    plan = "  - instrument: mio-innovation-leadership\n    occasions:\n    - pre\n    - post\n"
    later = plan + "    - follow-up:6m\n    - follow-up:12m\n"
    replace(workspace / "concept.yaml", plan, later)
    post = workspace / "responses" / "mio-innovation-leadership.post.csv"
    for months in ("12", "6"):
        target = workspace / "responses" / f"mio-innovation-leadership.follow-up.{months}m.csv"
        target.write_text(post.read_text(encoding="utf-8"), encoding="utf-8")
    result = m.evaluate(m.load_workspace(workspace), make_registry(builtins=True))
    afters = list(dict.fromkeys(c.after for c in result.changes))
    assert afters == ["post", "follow-up:6m", "follow-up:12m"]


def test_a_save_keeps_the_concept_s_vocabularies_and_extensions(tmp_path: Path) -> None:
    import attrs

    from mio_core.testing import copy_workspace

    root = Path(__file__).resolve().parents[2] / "examples" / "leading-nursing-teams"
    copy_workspace(root, tmp_path / "ws")
    loaded = m.load_workspace(tmp_path / "ws")
    changed = attrs.evolve(loaded, concept=attrs.evolve(loaded.concept, title="Renamed"))
    m.save_workspace(changed, tmp_path / "ws")
    again = m.load_workspace(tmp_path / "ws").concept
    assert again.vocabularies == loaded.concept.vocabularies
    assert again.extensions == loaded.concept.extensions
    assert again.title == "Renamed"


def test_a_coach_may_carry_extensions(workspace: Path) -> None:
    replace(
        workspace / "people.yaml",
        "  organisation: liu\n  email: birgitta.sundelin@liu.example\n",
        "  organisation: liu\n  email: birgitta.sundelin@liu.example\n  extensions:\n"
        "    acme: {x: 1}\n",
    )
    coach = next(c for c in m.load_workspace(workspace).coaches if c.extensions)
    assert dict(coach.extensions) == {"acme": {"x": 1}}
    [problem] = codes(workspace, "extension-unknown")
    assert problem.path[-2:] == ("extensions", "acme")

"""Saves keep the user's text: a save changes only the files, entries and lines that changed.

The example workspace is copied, put under git and edited by hand (comments, folded text,
a key that spells out a default), as a programme team would keep it; ``git diff`` then shows
what each save did.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import warnings
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mio_core as m
from mio_core.cli import main
from mio_core.io.saving import TextNotKeptWarning

from ..helpers import EXAMPLE

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

#: Hand edits a user makes: (file, text in the example, what it becomes).
HAND_EDITS = (
    ("concept.yaml", "purpose:\n", "# The purpose as agreed with Vinnova.\npurpose:\n"),
    (
        "concept.yaml",
        "target_group:\n  sv: Chefer i kommunal verksamhet, från enhetschefer till "
        "förvaltningschefer.\n",
        "target_group:\n  sv: >\n    Chefer i kommunal verksamhet,\n"
        "    från enhetschefer till förvaltningschefer.\n",
    ),
    ("concept.yaml", "version: '2018'\n", "version: '2018'\nlifecycle: opsi  # the default\n"),
    ("mio.yaml", "privacy:\n", "# Kept small: cohorts are twelve people.\nprivacy:\n"),
    ("people.yaml", "- id: p02\n", "# Erik joined in March.\n- id: p02\n"),
    ("people.yaml", "  email: anna.lundin", "  # work address\n  email: anna.lundin"),
    (
        "cohorts/ostergotland-2017.yaml",
        "sessions:\n",
        "# Attendance from the paper lists.\nsessions:\n",
    ),
)


def git(folder: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=folder,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def copy_by_hand(target: Path) -> Path:
    """Copy the example's files to ``target`` and make the hand edits."""
    shutil.copytree(EXAMPLE, target, ignore=shutil.ignore_patterns(".mio"))
    for file, old, new in HAND_EDITS:
        path = target / file
        text = path.read_text(encoding="utf-8")
        assert old in text, (file, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return target


def make_repo(target: Path) -> Path:
    """Copy the example's files to ``target``, edit them by hand and commit them."""
    copy_by_hand(target)
    (target / ".gitignore").write_text(".mio/\n", encoding="utf-8")
    git(target, "init", "-q", ".")
    git(target, "add", "-A")
    git(target, "commit", "-q", "-m", "by hand")
    return target


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "mio")


def numstat(folder: Path) -> dict[str, tuple[int, int]]:
    """{file: (lines added, lines removed)} of the working tree against the commit."""
    rows = (line.split("\t") for line in git(folder, "diff", "--numstat").splitlines())
    return {file: (int(added), int(removed)) for added, removed, file in rows}


def diff_lines(folder: Path, file: str) -> tuple[list[str], list[str]]:
    """The lines removed from and added to ``file``."""
    out = git(folder, "diff", "-U0", "--", file).splitlines()
    removed = [line[1:] for line in out if line.startswith("-") and not line.startswith("---")]
    added = [line[1:] for line in out if line.startswith("+") and not line.startswith("+++")]
    return removed, added


def states(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {
        str(path.relative_to(folder)): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in sorted(folder.rglob("*"))
        if path.is_file() and ".git" not in path.parts and ".mio" not in path.parts
    }


def test_saving_an_unchanged_workspace_touches_no_file(repo: Path) -> None:
    before = states(repo)
    written = m.save_workspace(m.load_workspace(repo), repo)
    assert written == []
    assert states(repo) == before


def test_changing_one_email_changes_only_that_line(repo: Path) -> None:
    loaded = m.load_workspace(repo)
    people = tuple(
        attrs.evolve(p, email="erik@norrkoping.example") if p.id == "p02" else p
        for p in loaded.participants
    )
    written = m.save_workspace(attrs.evolve(loaded, participants=people), repo)
    assert written == ["people.yaml"]
    assert numstat(repo) == {"people.yaml": (1, 1)}
    assert diff_lines(repo, "people.yaml") == (
        ["  email: erik.ekvall@norrkoping.example"],
        ["  email: erik@norrkoping.example"],
    )


def test_a_comment_inside_a_changed_entry_survives_a_change_of_another_key(repo: Path) -> None:
    loaded = m.load_workspace(repo)
    people = tuple(
        attrs.evolve(p, unit="Hemtjänst Ryd Norra") if p.id == "p01" else p
        for p in loaded.participants
    )
    m.save_workspace(attrs.evolve(loaded, participants=people), repo)
    assert numstat(repo) == {"people.yaml": (1, 1)}
    assert "  # work address\n  email: anna.lundin" in (repo / "people.yaml").read_text("utf-8")


def test_a_new_participant_adds_only_its_lines(repo: Path) -> None:
    loaded = m.load_workspace(repo)
    new = attrs.evolve(loaded.participants[0], id="p99", name="Ny Person", email=None)
    m.save_workspace(attrs.evolve(loaded, participants=(*loaded.participants, new)), repo)
    added, removed = numstat(repo)["people.yaml"]
    assert removed == 0 and added == 6
    assert m.load_workspace(repo).participants[-1] == new


def test_a_changed_concept_keeps_its_other_keys_text(repo: Path) -> None:
    loaded = m.load_workspace(repo)
    concept = attrs.evolve(loaded.concept, version="2019")
    m.save_workspace(attrs.evolve(loaded, concept=concept), repo)
    assert numstat(repo) == {"concept.yaml": (1, 1)}
    assert diff_lines(repo, "concept.yaml") == (["version: '2018'"], ["version: '2019'"])


def test_erasure_changes_only_the_persons_lines(repo: Path) -> None:
    person = next(p for p in m.load_workspace(repo).participants if p.id == "p03")
    report = m.erase_participant(repo, "p03")
    changed = numstat(repo)
    assert set(changed) == set(report.files)
    assert not {"concept.yaml", "mio.yaml", "organisations.yaml"} & set(changed)
    removed, added = diff_lines(repo, "people.yaml")
    assert added == [] and removed[0] == "- id: p03" and f"  name: {person.name}" in removed
    assert len(removed) == 7
    for file in changed:
        if file.startswith("responses/"):
            removed, added = diff_lines(repo, file)
            assert added == [] and len(removed) == 1 and removed[0].startswith("p03,")
    removed, added = diff_lines(repo, "cohorts/ostergotland-2017.yaml")
    assert added == [] and {line.strip() for line in removed} == {"- p03"}
    removed, added = diff_lines(repo, "projects/ostergotland-2017.yaml")
    assert removed[0] == "- id: p03-project" and added[0].startswith("- id: project-")
    assert sorted(removed[1:]) == ["  owner: p03", "  unit: Gruppbostad Tallen"]


def test_erasure_keeps_a_one_line_flow_list_on_one_line(repo: Path) -> None:
    cohort = repo / "cohorts" / "ostergotland-2017.yaml"
    text = cohort.read_text("utf-8")
    block = "participants:\n" + "".join(f"- p{n:02d}\n" for n in range(1, 13))
    assert block in text
    members = [f"p{n:02d}" for n in range(1, 13)]
    cohort.write_text(text.replace(block, f"participants: [{', '.join(members)}]\n"), "utf-8")
    git(repo, "commit", "-q", "-am", "flow style, as the tutorial writes it")
    m.erase_participant(repo, "p03")
    removed, added = diff_lines(repo, "cohorts/ostergotland-2017.yaml")
    kept = ", ".join(member for member in members if member != "p03")
    assert f"participants: [{', '.join(members)}]" in removed
    assert f"participants: [{kept}]" in added
    assert not any(line.strip() == "- p01" for line in added)


def test_erasure_keeps_comments_folded_text_and_spelt_out_defaults(repo: Path) -> None:
    before = {file: (repo / file).read_text("utf-8") for file, _, _ in HAND_EDITS}
    m.erase_participant(repo, "p03")
    for file, _, new in HAND_EDITS:
        assert new in (repo / file).read_text("utf-8"), (file, new)
    assert (repo / "concept.yaml").read_text("utf-8") == before["concept.yaml"]
    assert m.load_workspace(repo).concept.lifecycle == "opsi"


def test_mio_erase_counts_the_files_it_changed(repo: Path) -> None:
    result = CliRunner().invoke(main, ["erase", str(repo), "p03", "--yes"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    changed = set(numstat(repo))
    assert lines[-1] == f"Erased p03: {len(changed)} files changed."
    assert {line.split(": ", 1)[0] for line in lines[:-1]} == changed


def test_a_file_that_cannot_be_edited_in_place_is_written_whole_with_a_warning(
    repo: Path,
) -> None:
    loaded = m.load_workspace(repo)
    flow = "{organisations: [" + ", ".join(
        "{" + f"id: {o.id}, name: '{o.name}', kind: {o.kind}" + "}" for o in loaded.organisations
    )
    (repo / "organisations.yaml").write_text(flow + "]}\n", encoding="utf-8")
    loaded = m.load_workspace(repo)
    renamed = (attrs.evolve(loaded.organisations[0], name="Ny"), *loaded.organisations[1:])
    with pytest.warns(TextNotKeptWarning, match="organisations.yaml"):
        m.save_workspace(attrs.evolve(loaded, organisations=renamed), repo)
    assert m.load_workspace(repo).organisations == renamed


def test_erasure_keeps_other_rows_of_a_responses_file_byte_for_byte(repo: Path) -> None:
    file = repo / "responses" / "mio-coaching.post.csv"
    text = file.read_text("utf-8").replace("\n", "\r\n")
    file.write_bytes(text.encode("utf-8"))
    m.erase_participant(repo, "p03")
    kept = [line for line in text.splitlines(keepends=True) if not line.startswith("p03,")]
    assert file.read_bytes() == "".join(kept).encode("utf-8")


# -- property: any single-entity edit leaves every other entity's text alone --------------


def without(text: str, entity: str) -> str:
    """``text`` without the lines of the list item ``entity`` (as the example lays items out:
    "- id: X" at the margin, its other lines indented)."""
    out: list[str] = []
    skipping = False
    for line in text.splitlines(keepends=True):
        if line.startswith("- id: "):
            skipping = line[6:].strip() == entity
            while skipping and out and out[-1].startswith("#"):
                out.pop()  # a comment directly above an item goes with it
        elif not line.startswith("  "):
            skipping = False
        if not skipping:
            out.append(line)
    return "".join(out)


NAMES = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=30
).filter(lambda s: s.strip() == s and s[:1].isalpha())

KINDS = {
    "participants": "people.yaml",
    "coaches": "people.yaml",
    "organisations": "organisations.yaml",
}


@st.composite
def single_edits(draw: st.DrawFn) -> tuple[str, int, str, str | None]:
    kind = draw(st.sampled_from(sorted(KINDS)))
    index = draw(st.integers(min_value=0, max_value=20))
    what = draw(st.sampled_from(["name", "unit", "delete"] if kind == "participants" else ["name"]))
    value = None if what == "delete" else draw(st.none() | NAMES if what == "unit" else NAMES)
    return kind, index, what, value


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edit=single_edits())
def test_a_single_entity_edit_keeps_every_other_entity_text(
    edit: tuple[str, int, str, str | None],
) -> None:
    kind, index, what, value = edit
    with tempfile.TemporaryDirectory() as folder:
        root = copy_by_hand(Path(folder) / "mio")
        loaded = m.load_workspace(root)
        entities = getattr(loaded, kind)
        index %= len(entities)
        target = entities[index]
        if what == "delete":
            changed = entities[:index] + entities[index + 1 :]
        else:
            changed = (
                *entities[:index],
                attrs.evolve(target, **{what: value}),
                *entities[index + 1 :],
            )
        file = root / KINDS[kind]
        before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
        with warnings.catch_warnings():
            warnings.simplefilter("error", TextNotKeptWarning)
            m.save_workspace(attrs.evolve(loaded, **{kind: changed}), root)
        after = {
            p: p.read_bytes() for p in root.rglob("*") if p.is_file() and ".mio" not in p.parts
        }
        assert {p for p in after if after[p] != before.get(p)} <= {file}
        old_text, new_text = before[file].decode(), after[file].decode()
        assert without(new_text, target.id) == without(old_text, target.id)
        assert getattr(m.load_workspace(root), kind) == changed


def test_a_file_that_is_a_symbolic_link_is_written_through(workspace: Path, tmp_path: Path) -> None:
    kept_elsewhere = tmp_path / "secure" / "people.yaml"
    kept_elsewhere.parent.mkdir()
    (workspace / "people.yaml").rename(kept_elsewhere)
    (workspace / "people.yaml").symlink_to(kept_elsewhere)
    m.erase_participant(workspace, "p01")
    assert (workspace / "people.yaml").is_symlink()
    assert "id: p01\n" not in kept_elsewhere.read_text(encoding="utf-8")


def test_saving_into_another_workspace_replaces_none_of_its_files(
    workspace: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other"
    m.init_workspace(other, template="blank", language="en")
    (other / "people.yaml").write_text("# my own notes\nparticipants: []\n", encoding="utf-8")
    before = {p: p.read_bytes() for p in other.rglob("*") if p.is_file()}
    with pytest.raises(m.MioError, match="not loaded from"):
        m.save_workspace(m.load_workspace(workspace), other)
    assert {p: p.read_bytes() for p in other.rglob("*") if p.is_file()} == before

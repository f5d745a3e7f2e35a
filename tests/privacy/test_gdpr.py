"""GDPR accountability: research consent, legal basis and retention, access, the audit log,
and free text in research exports."""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import getpass
import io
import json
import stat
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

import mio_core as m
from mio_core.cli import main
from mio_core.evaluation import EvaluationResult
from mio_core.io.layout import responses_file
from mio_core.model import LegalBasis, Workspace, retention_end, text_in
from mio_core.privacy import audit
from mio_core.privacy.access import access_report, write_access_report
from mio_core.privacy.pseudonyms import Pseudonymiser, key_path, load_or_create_key
from mio_core.validate import validate_workspace

from ..helpers import INSTRUMENT_FORMATS, readable

PERSON = "p01"  # has a project, coaching, attendance and answers in the example


@pytest.fixture(scope="module")
def registry() -> m.Registry:
    return m.load_registry(strict=True)  # every installed format, first-party plugins too


def without_consent(folder: Path, person: str = PERSON) -> Workspace:
    loaded = m.load_workspace(folder)
    people = tuple(
        attrs.evolve(p, research_consent=False) if p.id == person else p
        for p in loaded.participants
    )
    m.save_workspace(attrs.evolve(loaded, participants=people), folder)
    return m.load_workspace(folder)


def export_every_format(
    folder: Path, out: Path, registry: m.Registry, **options: object
) -> dict[str, str]:
    source = m.prepare_source(m.load_workspace(folder), registry, **options)  # type: ignore[arg-type]
    texts = {}
    for name, exporter in registry.exporters.items():
        values = {"instrument": "mio-module-evaluation"} if name in INSTRUMENT_FORMATS else {}
        chosen = m.export.make_options(exporter, values)
        target = m.run_export(exporter, source, out / f"{name}{exporter.suffix}", chosen)
        texts[name] = readable(target)
    return texts


def csv_rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


# --- research consent ---------------------------------------------------------------


def test_research_consent_is_true_when_absent_and_not_written_back(workspace: Path) -> None:
    loaded = m.load_workspace(workspace)
    assert all(p.research_consent for p in loaded.participants)
    assert m.save_workspace(loaded, workspace) == []


def test_research_consent_false_is_saved_and_read_back(workspace: Path) -> None:
    without_consent(workspace)
    assert "research_consent: false" in (workspace / "people.yaml").read_text(encoding="utf-8")
    reloaded = m.load_workspace(workspace)
    assert [p.id for p in reloaded.participants if not p.research_consent] == [PERSON]


def test_research_consent_must_be_true_or_false(workspace: Path) -> None:
    people = workspace / "people.yaml"
    text = people.read_text(encoding="utf-8")
    people.write_text(
        text.replace("  level: senior\n", "  level: senior\n  research_consent: nej\n", 1),
        encoding="utf-8",
    )
    problems = [p for p in validate_workspace(workspace) if p.severity == "error"]
    assert [(p.file, p.path[-1]) for p in problems] == [("people.yaml", "research_consent")]
    assert "true or false" in problems[0].message


def test_a_participant_without_research_consent_is_in_no_research_export(
    workspace: Path, tmp_path: Path, registry: m.Registry
) -> None:
    loaded = without_consent(workspace)
    pseudonym = Pseudonymiser(load_or_create_key(key_path(workspace)))
    theirs = {
        pseudonym("participant", PERSON),
        *(pseudonym("project", p.id) for p in loaded.projects if p.owner == PERSON),
        *(pseudonym("engagement", e.id) for e in loaded.engagements if e.participant == PERSON),
    }
    assert len(theirs) == 3
    texts = export_every_format(workspace, tmp_path, registry)
    assert {"csv", "datapackage", "json", "yaml", "markdown"} <= set(texts)
    for name, text in texts.items():
        assert not [p for p in theirs if p in text], name
    # ... while everyone else is still there
    others = {pseudonym("participant", p.id) for p in loaded.participants if p.id != PERSON}
    assert others <= {row["participant"] for row in csv_rows(tmp_path / "csv/participants.csv")}
    answers = csv_rows(tmp_path / "csv/answers.csv")
    theirs_in_workspace = sum(len(r.answers) for r in loaded.responses if r.respondent == PERSON)
    everyone = sum(len(r.answers) for r in loaded.responses)
    assert theirs_in_workspace > 0 and len(answers) == everyone - theirs_in_workspace


def test_a_research_export_is_evaluated_without_them(workspace: Path, registry: m.Registry) -> None:
    loaded = without_consent(workspace)
    whole = m.evaluate(loaded, registry)
    research = m.prepare_source(loaded, registry).evaluation
    assert research is not None

    def n_all(result: EvaluationResult) -> dict[tuple[str, str, str], int]:
        return {
            (g.instrument, g.occasion, g.measure): g.summary.n
            for g in result.groups
            if g.group_by == "all" and g.summary is not None
        }

    answered = {(r.instrument, r.occasion) for r in loaded.responses if r.respondent == PERSON}
    before, after = n_all(whole), n_all(research)
    lower = [key for key in after if (key[0], key[1]) in answered and after[key] == before[key] - 1]
    assert lower and all(after[k] <= before[k] for k in after)


def test_the_programme_evaluation_and_identified_exports_keep_them(
    workspace: Path, tmp_path: Path, registry: m.Registry
) -> None:
    everyone_consents = m.evaluate(m.load_workspace(workspace), registry)
    loaded = without_consent(workspace)
    assert m.evaluate(loaded, registry) == everyone_consents
    source = m.prepare_source(loaded, registry, identified=True)
    out = m.run_export(registry.exporter("csv"), source, tmp_path / "csv")
    assert PERSON in {row["participant"] for row in csv_rows(out / "participants.csv")}
    assert PERSON in {row["respondent"] for row in csv_rows(out / "answers.csv")}


# --- free text ------------------------------------------------------------------------


def project_texts(workspace: Workspace) -> set[str]:
    texts = set()
    for project in workspace.projects:
        for text in (project.title, project.challenge, project.idea):
            if text is not None:
                texts |= {text} if isinstance(text, str) else set(text.values())
        for outcome in project.outcomes:
            for text in (outcome.description, outcome.evidence):
                if text is not None:
                    texts |= {text} if isinstance(text, str) else set(text.values())
    return texts


def test_pseudonymised_exports_leave_out_free_text(
    workspace: Path, tmp_path: Path, registry: m.Registry
) -> None:
    texts = project_texts(m.load_workspace(workspace))
    assert len(texts) > 10
    for name, exported in export_every_format(workspace, tmp_path, registry).items():
        assert not [t for t in texts if t in exported], name
    header = (tmp_path / "csv/projects.csv").read_text(encoding="utf-8").splitlines()[0]
    assert "title" not in header.split(",")


def test_with_text_keeps_project_titles_in_a_pseudonymised_export(
    workspace: Path, tmp_path: Path, registry: m.Registry
) -> None:
    loaded = m.load_workspace(workspace)
    source = m.prepare_source(loaded, registry, with_text=True, language="sv")
    out = m.run_export(registry.exporter("csv"), source, tmp_path / "csv")
    titles = {row["title"] for row in csv_rows(out / "projects.csv")}
    assert titles == {text_in(p.title, "sv") for p in loaded.projects}
    names = {row["participant"] for row in csv_rows(out / "participants.csv")}
    assert not names & {p.id for p in loaded.participants}  # still pseudonymised


def test_identified_exports_keep_free_text(
    workspace: Path, tmp_path: Path, registry: m.Registry
) -> None:
    loaded = m.load_workspace(workspace)
    source = m.prepare_source(loaded, registry, identified=True)
    out = m.run_export(registry.exporter("json"), source, tmp_path / "out.json")
    text = out.read_text(encoding="utf-8")
    assert project_texts(loaded) <= {t for t in project_texts(loaded) if t in text}


def test_mio_export_with_text_keeps_titles(workspace: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    plain = runner.invoke(
        main, ["export", str(workspace), "--format", "csv", "--out", str(tmp_path / "a")]
    )
    kept = runner.invoke(
        main,
        ["export", str(workspace), "--format", "csv", "--out", str(tmp_path / "b"), "--with-text"],
    )
    assert plain.exit_code == 0 and kept.exit_code == 0, plain.output + kept.output
    assert "Digital biblioteksfilial" not in (tmp_path / "a/projects.csv").read_text(
        encoding="utf-8"
    )
    assert "Digital biblioteksfilial" in (tmp_path / "b/projects.csv").read_text(encoding="utf-8")


# --- legal basis and retention --------------------------------------------------------


def with_privacy(workspace: Path, lines: str) -> None:
    manifest = workspace / "mio.yaml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(
        text.replace("  min_group_size: 5\n", f"  min_group_size: 5\n{lines}"), encoding="utf-8"
    )


def test_legal_basis_and_retention_are_read_from_mio_yaml(workspace: Path) -> None:
    with_privacy(workspace, "  legal_basis: public-interest\n  retention: 2030-12-31\n")
    privacy = m.load_workspace(workspace).manifest.privacy
    assert privacy.legal_basis is LegalBasis.PUBLIC_INTEREST
    assert privacy.legal_basis.article == "GDPR Art. 6(1)(e)"
    assert privacy.retention == "2030-12-31"  # an unquoted date is kept as text


def test_legal_basis_and_retention_survive_a_save(workspace: Path) -> None:
    with_privacy(workspace, "  legal_basis: consent\n  retention: 10 years\n")
    loaded = m.load_workspace(workspace)
    m.save_workspace(
        attrs.evolve(loaded, manifest=attrs.evolve(loaded.manifest, language="en")), workspace
    )
    assert m.load_workspace(workspace).manifest.privacy == loaded.manifest.privacy


def test_bad_legal_basis_and_retention_are_named_with_their_file(workspace: Path) -> None:
    with_privacy(workspace, "  legal_basis: because\n")
    problems = [p for p in validate_workspace(workspace) if p.severity == "error"]
    assert [(p.file, p.path) for p in problems] == [("mio.yaml", ("privacy", "legal_basis"))]
    assert "public-interest" in problems[0].message
    manifest = workspace / "mio.yaml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace("legal_basis: because", "retention: soon"),
        encoding="utf-8",
    )
    problems = [p for p in validate_workspace(workspace) if p.severity == "error"]
    assert [(p.file, p.path) for p in problems] == [("mio.yaml", ("privacy", "retention"))]
    assert "10 years" in problems[0].message


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


@given(
    st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31)), st.integers(1, 120)
)
def test_a_retention_period_counts_calendar_months_from_the_end(end: dt.date, months: int) -> None:
    assert retention_end(f"{months} months", end) == add_months(end, months)
    if months <= 50:
        assert retention_end(f"{months} years", end) == add_months(end, 12 * months)


def test_the_data_package_says_on_what_terms_the_data_are_held(
    workspace: Path, tmp_path: Path, registry: m.Registry
) -> None:
    with_privacy(workspace, "  legal_basis: public-interest\n  retention: 10 years\n")
    source = m.prepare_source(m.load_workspace(workspace), registry)
    out = m.run_export(registry.exporter("datapackage"), source, tmp_path / "pkg")
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    assert package["mio_privacy"]["legal_basis"] == "public-interest (GDPR Art. 6(1)(e))"
    assert package["mio_privacy"]["retention"] == "10 years"
    assert package["mio_privacy"]["identified"] is False


# --- access (Art. 15) -----------------------------------------------------------------


def test_access_report_holds_everything_about_a_participant(workspace: Path) -> None:
    loaded = m.load_workspace(workspace)
    report = access_report(workspace, PERSON)
    [entry] = report["people"]
    assert entry["role"] == "participant" and entry["entry"]["name"] == "Anna Lundin"
    assert entry["source"] == {"file": "people.yaml", "path": ["participants", 0]}
    assert entry["in_research_exports"] is True
    member_of = {c.id for c in loaded.cohorts if PERSON in c.participants}
    assert {c["cohort"] for c in report["cohorts"]} == member_of
    for cohort in report["cohorts"]:
        held = next(c for c in loaded.cohorts if c.id == cohort["cohort"])
        assert [s["attended"] for s in cohort["sessions"]] == [
            PERSON in s.attended for s in held.sessions
        ]
    coaching = [e for e in loaded.engagements if e.participant == PERSON]
    assert [c["engagement"]["id"] for c in report["coaching"]] == [e.id for e in coaching]
    assert report["coaching"][0]["engagement"]["goals"][0]["text"]  # the notes are there
    assert [p["project"]["id"] for p in report["projects"]] == [
        p.id for p in loaded.projects if p.owner == PERSON
    ]
    mine = [r for r in loaded.responses if r.respondent == PERSON]
    assert len(report["responses"]) == len(mine) > 5
    for row in report["responses"]:
        source = row["source"]
        assert source["file"] == responses_file(row["instrument"], row["occasion"])
        line = (
            (workspace / source["file"])
            .read_text(encoding="utf-8")
            .splitlines()[source["line"] - 1]
        )
        assert line.startswith(f"{PERSON},")


def test_access_report_holds_the_persons_survey_tokens(workspace: Path) -> None:
    (workspace / "imports").mkdir(exist_ok=True)
    (workspace / "imports" / "tokens.csv").write_text(
        f"token,participant\nx7Kq2Pz,{PERSON}\nq9Lm3Rt,p02\n", encoding="utf-8"
    )
    tokens = access_report(workspace, PERSON)["tokens"]
    assert tokens == [{"token": "x7Kq2Pz", "source": {"file": "imports/tokens.csv"}}]


def test_access_report_shows_a_cancelled_session_as_cancelled_not_as_absent(
    workspace: Path,
) -> None:
    cohort = m.load_workspace(workspace).cohorts[0]
    path = workspace / "cohorts" / f"{cohort.id}.yaml"
    text = path.read_text(encoding="utf-8")
    last = text.rindex("- module:")
    tail = text[last:]
    register = tail[tail.index("  attended:") :]
    register = register[: register.index("\n- ") + 1] if "\n- " in register else register
    path.write_text(
        text[:last] + tail.replace(register, "  status: cancelled\n", 1), encoding="utf-8"
    )
    [mine] = [c for c in access_report(workspace, PERSON)["cohorts"] if c["cohort"] == cohort.id]
    assert mine["sessions"][-1]["status"] == "cancelled"
    assert "attended" not in mine["sessions"][-1]


def test_access_report_of_a_coach_lists_the_engagements_they_coach(workspace: Path) -> None:
    loaded = m.load_workspace(workspace)
    report = access_report(loaded, "c1")
    assert [p["role"] for p in report["people"]] == ["coach"]
    coached = [e.id for e in loaded.engagements if e.coach == "c1"]
    assert coached and [c["engagement"]["id"] for c in report["coaching"]] == coached
    assert {c["role"] for c in report["coaching"]} == {"coach"}


def test_access_report_of_a_facilitator_lists_the_sessions_they_led(workspace: Path) -> None:
    loaded = m.load_workspace(workspace)
    led = sum(1 for c in loaded.cohorts for s in c.sessions if "f1" in s.facilitators)
    report = access_report(loaded, "f1")
    assert led and sum(len(c["sessions"]) for c in report["cohorts"]) == led


def test_access_report_says_when_someone_is_left_out_of_research(workspace: Path) -> None:
    without_consent(workspace)
    assert access_report(workspace, PERSON)["people"][0]["in_research_exports"] is False


def test_access_report_gives_the_legal_basis_and_retention(workspace: Path) -> None:
    with_privacy(workspace, "  legal_basis: public-interest\n  retention: 1 year\n")
    held = access_report(workspace, PERSON)["workspace"]
    last_end = max(c.end for c in m.load_workspace(workspace).cohorts)
    assert held["legal_basis_article"] == "GDPR Art. 6(1)(e)"
    assert held["retained_until"] == add_months(last_end, 12)


def test_mio_access_refuses_an_unknown_person(workspace: Path) -> None:
    result = CliRunner().invoke(main, ["access", str(workspace), "p99"])
    assert result.exit_code == 1
    assert "no participant, coach or facilitator 'p99'" in result.output
    assert "Traceback" not in result.output


def test_mio_access_prints_json(workspace: Path) -> None:
    result = CliRunner().invoke(main, ["access", str(workspace), PERSON])
    assert result.exit_code == 0
    assert json.loads(result.output)["person"] == PERSON


def test_mio_access_writes_a_file_for_its_owner_only(workspace: Path, tmp_path: Path) -> None:
    out = tmp_path / "request" / "answer.json"
    result = CliRunner().invoke(main, ["access", str(workspace), PERSON, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text(encoding="utf-8"))["counts"]["projects"] == 1
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert [p.name for p in out.parent.iterdir()] == ["answer.json"]  # no temporary left


def test_mio_access_refuses_to_overwrite_a_file_without_force(
    workspace: Path, tmp_path: Path
) -> None:
    out = tmp_path / "answer.json"
    out.write_text("mine", encoding="utf-8")
    refused = CliRunner().invoke(main, ["access", str(workspace), PERSON, "--out", str(out)])
    assert refused.exit_code == 1 and "--force" in refused.output
    assert out.read_text(encoding="utf-8") == "mine"


def test_mio_access_force_replaces_an_earlier_access_report(
    workspace: Path, tmp_path: Path
) -> None:
    out = tmp_path / "answer.json"
    write_access_report(workspace, "p02", out)
    forced = CliRunner().invoke(
        main, ["access", str(workspace), PERSON, "--out", str(out), "--force"]
    )
    assert forced.exit_code == 0 and json.loads(out.read_text(encoding="utf-8"))["person"] == PERSON


def test_write_access_report_refused_from_python_names_the_python_argument(
    workspace: Path, tmp_path: Path
) -> None:
    out = tmp_path / "answer.json"
    out.write_text("mine", encoding="utf-8")
    with pytest.raises(m.MioError, match=r"\(Python: force=True\)"):
        m.write_access_report(workspace, PERSON, out)
    assert out.read_text(encoding="utf-8") == "mine"


def test_mio_access_force_refuses_a_file_that_is_not_an_access_report(
    workspace: Path, tmp_path: Path
) -> None:
    out = tmp_path / "notes.json"
    out.write_text('{"mine": true}\n', encoding="utf-8")
    refused = CliRunner().invoke(
        main, ["access", str(workspace), PERSON, "--out", str(out), "--force"]
    )
    assert refused.exit_code == 1 and "not an access report" in refused.output
    assert out.read_text(encoding="utf-8") == '{"mine": true}\n'


def test_mio_access_refuses_to_write_into_the_workspace_even_with_force(workspace: Path) -> None:
    people = workspace / "people.yaml"
    before = people.read_bytes()
    refused = CliRunner().invoke(
        main, ["access", str(workspace), PERSON, "--out", str(people), "--force"]
    )
    assert refused.exit_code == 1 and "inside the workspace" in refused.output
    assert people.read_bytes() == before


def test_write_access_report_leaves_no_file_for_an_unknown_person(
    workspace: Path, tmp_path: Path
) -> None:
    with pytest.raises(m.MioError):
        write_access_report(workspace, "nobody", tmp_path / "answer.json")
    assert list(tmp_path.iterdir()) == [workspace]


# --- the audit log --------------------------------------------------------------------


def test_every_export_is_in_the_audit_log_with_the_os_user(workspace: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    for args in (
        ["--format", "csv", "--out", str(tmp_path / "research")],
        ["--format", "json", "--out", str(tmp_path / "team.json"), "--identified"],
    ):
        result = runner.invoke(main, ["export", str(workspace), *args])
        assert result.exit_code == 0, result.output
    exports = [e for e in audit.read(workspace) if e["command"] == "export"]
    assert [(e["format"], e["identified"], e["target"]) for e in exports] == [
        ("csv", False, str((tmp_path / "research").resolve())),
        ("json", True, str((tmp_path / "team.json").resolve())),
    ]
    assert {e["user"] for e in exports} == {getpass.getuser()}
    assert exports[0]["counts"]["participants"] == 24


def test_every_audit_record_names_the_os_user(workspace: Path, tmp_path: Path) -> None:
    CliRunner().invoke(
        main, ["export", str(workspace), "--format", "csv", "--out", str(tmp_path / "a")]
    )
    CliRunner().invoke(main, ["erase", str(workspace), "p02", "--yes"])
    entries = audit.read(workspace)
    assert {e["command"] for e in entries} >= {"create-pseudonym-key", "export", "erase"}
    assert all(e["user"] == getpass.getuser() for e in entries)


def test_the_os_user_is_none_when_the_system_has_none(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_user() -> str:
        raise OSError("No username set in the environment")

    monkeypatch.setattr(getpass, "getuser", no_user)
    assert audit.operating_system_user() is None


def test_the_audit_log_holds_no_personal_data_of_participants(
    workspace: Path, tmp_path: Path
) -> None:
    loaded = without_consent(workspace)
    runner = CliRunner()
    for args in (
        ["export", str(workspace), "--format", "csv", "--out", str(tmp_path / "a")],
        [
            "export",
            str(workspace),
            "--format",
            "json",
            "--out",
            str(tmp_path / "b.json"),
            "--identified",
        ],
        [
            "export",
            str(workspace),
            "--format",
            "yaml",
            "--out",
            str(tmp_path / "c.yaml"),
            "--with-text",
        ],
        ["access", str(workspace), PERSON, "--out", str(tmp_path / "d.json")],
        ["erase", str(workspace), "p02", "--yes"],
    ):
        result = runner.invoke(main, args)
        assert result.exit_code == 0, result.output
    log = (workspace / audit.AUDIT_LOG).read_text(encoding="utf-8")
    assert {"export", "access", "erase"} <= {e["command"] for e in audit.read(workspace)}
    pseudonym = Pseudonymiser(load_or_create_key(key_path(workspace)))
    tokens = set(json.dumps(audit.read(workspace)).replace('"', " ").replace("/", " ").split())
    for person in loaded.participants:
        assert person.name not in log and (person.email or "@") not in log
        assert person.id not in tokens and pseudonym("participant", person.id) not in log
        assert (person.unit or "\0") not in log

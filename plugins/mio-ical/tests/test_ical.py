"""The .ics files parse with icalendar, hold every session at the right time, and keep UIDs."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from pathlib import Path

import icalendar
import mio_ical
import pytest

import mio_core as m
from mio_core.testing import copy_workspace, make_registry

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "mio"
STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")

FUTURE_COHORT = """\
id: skaraborg-2031
concept: mio
title: {sv: Skaraborg 2031, en: Skaraborg 2031}
delivered_by: liu
start: 2031-01-01
end: 2031-12-31
participants: [p01, p02]
coaches: [c1]
sessions:
- module: m1
  date: 2031-02-05
  status: planned
  start: 09:00
  end: 16:30
  place: Skövde, Stadshuset
  facilitators: [f1, f2]
- module: m2
  date: 2031-07-02
  status: planned
  start: 13:00
  place: Skövde
  facilitators: [f2]
- module: m3
  date: 2031-09-10
  status: planned
- module: m4
  date: 2031-10-08
  status: cancelled
"""


@pytest.fixture
def planned(tmp_path: Path) -> Path:
    folder = copy_workspace(EXAMPLE, tmp_path / "mio")
    (folder / "cohorts" / "skaraborg-2031.yaml").write_text(FUTURE_COHORT, encoding="utf-8")
    people = folder / "people.yaml"
    text = people.read_text(encoding="utf-8")
    people.write_text(
        text.replace(
            "  name: Ulrika Hallberg\n", "  name: Ulrika Hallberg\n  email: ulrika@liu.example\n"
        ),
        encoding="utf-8",
    )
    return folder


def export(
    folder: Path,
    out: Path,
    *,
    identified: bool = False,
    language: str = "en",
    options: mio_ical.IcalOptions | None = None,
) -> Path:
    registry = make_registry(mio_ical, builtins=True)
    source = m.prepare_source(
        m.load_workspace(folder),
        registry,
        language=language,
        identified=identified,
        key_file=folder.parent / "key",
    )
    return m.run_export(registry.exporter("ical"), source, out, options)


def events(path: Path) -> list[icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    return list(calendar.walk("VEVENT"))


def test_one_ics_per_cohort(planned: Path, tmp_path: Path) -> None:
    out = export(planned, tmp_path / "ical")
    assert sorted(p.name for p in out.glob("*.ics")) == [
        "ostergotland-2017.ics",
        "ostergotland-2018.ics",
        "skaraborg-2031.ics",
    ]


def test_every_session_is_an_event(planned: Path, tmp_path: Path) -> None:
    out = export(planned, tmp_path / "ical")
    workspace = m.load_workspace(planned)
    for cohort in workspace.cohorts:
        found = events(out / f"{cohort.id}.ics")
        assert [e.decoded("dtstart") for e in found] == [
            (dt.datetime.combine(s.date, s.start, tzinfo=STOCKHOLM) if s.start else s.date)
            for s in cohort.sessions
        ]


def test_a_timed_session_has_its_local_times_in_the_cohorts_timezone(
    planned: Path, tmp_path: Path
) -> None:
    first = events(export(planned, tmp_path / "ical") / "skaraborg-2031.ics")[0]
    assert first["dtstart"].params["TZID"] == "Europe/Stockholm"
    assert first.decoded("dtstart") == dt.datetime(2031, 2, 5, 9, 0, tzinfo=STOCKHOLM)
    assert first.decoded("dtend") == dt.datetime(2031, 2, 5, 16, 30, tzinfo=STOCKHOLM)
    assert first.decoded("dtstart").utcoffset() == dt.timedelta(hours=1)  # winter time


def test_a_session_without_an_end_lasts_as_long_as_its_module(
    planned: Path, tmp_path: Path
) -> None:
    second = events(export(planned, tmp_path / "ical") / "skaraborg-2031.ics")[1]
    assert second.decoded("dtstart") == dt.datetime(2031, 7, 2, 13, 0, tzinfo=STOCKHOLM)
    assert second.decoded("dtstart").utcoffset() == dt.timedelta(hours=2)  # summer time
    assert second.decoded("dtend") - second.decoded("dtstart") == dt.timedelta(hours=7)


def test_a_session_without_times_is_a_whole_day(planned: Path, tmp_path: Path) -> None:
    third = events(export(planned, tmp_path / "ical") / "skaraborg-2031.ics")[2]
    assert third.decoded("dtstart") == dt.date(2031, 9, 10)
    assert third.decoded("dtend") == dt.date(2031, 9, 11)


def test_the_file_carries_the_timezone_it_names(planned: Path, tmp_path: Path) -> None:
    out = export(planned, tmp_path / "ical")
    calendar = icalendar.Calendar.from_ical((out / "skaraborg-2031.ics").read_bytes())
    [zone] = calendar.walk("VTIMEZONE")
    assert zone["tzid"] == "Europe/Stockholm"


def test_a_cancelled_session_is_a_cancelled_event(planned: Path, tmp_path: Path) -> None:
    found = events(export(planned, tmp_path / "ical") / "skaraborg-2031.ics")
    assert [str(e["status"]) for e in found] == ["CONFIRMED"] * 3 + ["CANCELLED"]


def test_summary_and_location_come_from_the_workspace(planned: Path, tmp_path: Path) -> None:
    first = events(export(planned, tmp_path / "ical", language="sv") / "skaraborg-2031.ics")[0]
    assert str(first["summary"]) == "Innovation i offentlig sektor (Skaraborg 2031)"
    assert str(first["location"]) == "Skövde, Stadshuset"


def test_uids_are_unique_and_stable_when_a_session_moves(planned: Path, tmp_path: Path) -> None:
    before = events(export(planned, tmp_path / "a") / "skaraborg-2031.ics")
    cohort = planned / "cohorts" / "skaraborg-2031.yaml"
    text = cohort.read_text(encoding="utf-8").replace("2031-02-05", "2031-02-12")
    cohort.write_text(text.replace("status: cancelled", "status: planned"), encoding="utf-8")
    after = events(export(planned, tmp_path / "b") / "skaraborg-2031.ics")
    assert [str(e["uid"]) for e in after] == [str(e["uid"]) for e in before]
    assert len({str(e["uid"]) for e in before}) == len(before)
    assert after[0].decoded("dtstart").date() == dt.date(2031, 2, 12)


def test_a_re_export_after_a_move_supersedes_the_earlier_one(
    planned: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1900000000")
    before = events(export(planned, tmp_path / "a") / "skaraborg-2031.ics")
    cohort = planned / "cohorts" / "skaraborg-2031.yaml"
    cohort.write_text(
        cohort.read_text(encoding="utf-8").replace("2031-02-05", "2031-02-12"), encoding="utf-8"
    )
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1900000060")
    after = events(export(planned, tmp_path / "b") / "skaraborg-2031.ics")
    assert after[0].decoded("sequence") > before[0].decoded("sequence") >= 0


def test_identified_and_pseudonymised_exports_share_uids(planned: Path, tmp_path: Path) -> None:
    named = events(export(planned, tmp_path / "a", identified=True) / "skaraborg-2031.ics")
    pseudonymous = events(export(planned, tmp_path / "b") / "skaraborg-2031.ics")
    assert [str(e["uid"]) for e in named] == [str(e["uid"]) for e in pseudonymous]


def test_an_identified_export_invites_the_participants(planned: Path, tmp_path: Path) -> None:
    first = events(export(planned, tmp_path / "ical", identified=True) / "skaraborg-2031.ics")[0]
    assert str(first["organizer"]) == "mailto:ulrika@liu.example"
    assert first["organizer"].params["CN"] == "Ulrika Hallberg"
    attendees = first.get("attendee")
    assert sorted(str(a) for a in attendees) == [
        "mailto:anna.lundin@linkoping.example",
        "mailto:erik.ekvall@norrkoping.example",
    ]
    assert "Ulrika Hallberg" in str(first["description"])


def test_who_joined_late_or_left_is_invited_only_to_the_days_of_their_time(
    planned: Path, tmp_path: Path
) -> None:
    cohort = planned / "cohorts" / "skaraborg-2031.yaml"
    text = cohort.read_text(encoding="utf-8")
    # p01 (Anna Lundin) left before m2; p02 (Erik Ekvall) joined after m1
    text = text.replace("coaches:", "joined: {p02: 2031-03-01}\nleft: {p01: 2031-07-01}\ncoaches:")
    cohort.write_text(text, encoding="utf-8")
    found = events(export(planned, tmp_path / "ical", identified=True) / "skaraborg-2031.ics")
    invited = {
        str(e["summary"]): sorted(str(a) for a in _as_list(e.get("attendee"))) for e in found
    }
    module_days = [str(e["summary"]) for e in found]
    assert invited[module_days[0]] == ["mailto:anna.lundin@linkoping.example"]
    assert invited[module_days[1]] == ["mailto:erik.ekvall@norrkoping.example"]


def _as_list(value: object) -> list[object]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def test_a_pseudonymised_export_carries_no_email_and_no_name(planned: Path, tmp_path: Path) -> None:
    out = export(planned, tmp_path / "ical")
    for path in out.glob("*.ics"):
        text = path.read_text(encoding="utf-8")
        assert "@" not in text.replace("@mio-core", "")
        assert "mailto:" not in text
        assert "Ulrika" not in text and "Hallberg" not in text
        for event in events(path):
            assert "organizer" not in event and "attendee" not in event


def test_the_export_is_reproducible(
    planned: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1900000000")
    first = export(planned, tmp_path / "a") / "skaraborg-2031.ics"
    second = export(planned, tmp_path / "b") / "skaraborg-2031.ics"
    assert first.read_bytes() == second.read_bytes()
    [event, *_] = events(first)
    assert event.decoded("dtstamp") == dt.datetime.fromtimestamp(1900000000, dt.UTC)


def test_only_planned_and_cancelled_sessions_without_held(planned: Path, tmp_path: Path) -> None:
    out = export(planned, tmp_path / "ical", options=mio_ical.IcalOptions(held=False))
    assert sorted(p.name for p in out.glob("*.ics")) == ["skaraborg-2031.ics"]


def test_control_characters_in_workspace_text_are_neutralised(
    planned: Path, tmp_path: Path
) -> None:
    cohort = planned / "cohorts" / "skaraborg-2031.yaml"
    text = cohort.read_text(encoding="utf-8")
    hostile = 'place: "Sk\\u202eövde\\r\\nBEGIN:VALARM\\u0007"\n'
    cohort.write_text(text.replace("place: Skövde\n", hostile), encoding="utf-8")
    path = export(planned, tmp_path / "ical") / "skaraborg-2031.ics"
    raw = path.read_bytes().decode("utf-8")
    assert "\u202e" not in raw and "\x07" not in raw
    assert "\r\nBEGIN:VALARM" not in raw
    second = events(path)[1]
    assert str(second["location"]) == "Sk\\u202eövde\\u000d\nBEGIN:VALARM\\u0007"


def test_an_unknown_timezone_is_a_clear_error_and_writes_nothing(
    planned: Path, tmp_path: Path
) -> None:
    cohort = planned / "cohorts" / "skaraborg-2031.yaml"
    text = cohort.read_text(encoding="utf-8")
    cohort.write_text(
        text.replace("coaches:", "timezone: Mars/Olympus\ncoaches:"), encoding="utf-8"
    )
    with pytest.raises(m.MioError, match="skaraborg-2031: timezone 'Mars/Olympus'"):
        export(planned, tmp_path / "ical")
    assert not (tmp_path / "ical").exists()


def test_a_line_break_in_the_calendar_name_is_escaped() -> None:
    import icalendar
    from mio_ical import _text

    calendar = icalendar.Calendar()
    calendar.add("x-wr-calname", icalendar.vText(_text("Kohort\n- lista; a,b")))
    written = calendar.to_ical()
    assert b"X-WR-CALNAME:Kohort\\n- lista\\; a\\,b\r\n" in written  # one line, TEXT-escaped
    assert icalendar.Calendar.from_ical(written)["x-wr-calname"]


def test_a_swedish_calendar_names_the_facilitators_as_the_swedish_template_does(
    planned: Path, tmp_path: Path
) -> None:
    exported = export(planned, tmp_path / "ical", language="sv", identified=True)
    first = events(exported / "skaraborg-2031.ics")[0]
    assert "Processledare: Ulrika Hallberg" in str(first["description"])

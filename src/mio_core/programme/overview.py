"""An overview of a workspace: cohorts, people, attendance, coaching dose, project stages."""

from __future__ import annotations

from collections import Counter

import attrs

from ..evaluation.coaching import has_coaching
from ..evaluation.participation import participation
from ..model import Workspace, text_in
from ..plugins.registry import Registry
from ..render.formats import share
from ..render.text import format_table
from ..textsafety import one_line, show_controls


@attrs.frozen(kw_only=True)
class CohortSummary:
    """One cohort: who delivered it, when, how many took part."""

    id: str
    title: str
    delivered_by: str
    start: str
    end: str
    participants: int
    sessions: int  # held sessions; planned and cancelled ones are in mio schedule


@attrs.frozen(kw_only=True)
class ModuleAttendance:
    """How many of the expected participants came to a module, over all cohorts."""

    module: str
    title: str
    attended: int
    expected: int

    @property
    def rate(self) -> float | None:
        """The share who came, or None when the module has not been given yet."""
        return self.attended / self.expected if self.expected else None


@attrs.frozen(kw_only=True)
class Overview:
    """The headline facts of a workspace, as values."""

    title: str
    concept: str
    cohorts: tuple[CohortSummary, ...]
    participants_per_organisation: tuple[tuple[str, int], ...]
    attendance: tuple[ModuleAttendance, ...]
    coaching_hours: tuple[tuple[str, float], ...]
    projects_per_stage: tuple[tuple[str, int], ...]
    #: False for a programme without coaching (no coaching design, no engagements)
    coaching: bool = True


def overview(
    workspace: Workspace, registry: Registry | None = None, language: str = ""
) -> Overview:
    """Return the overview of ``workspace``; texts in ``language`` (default: the workspace's)."""
    language = language or workspace.manifest.language
    organisations = {o.id: o.name for o in workspace.organisations}
    cohorts = tuple(
        CohortSummary(
            id=cohort.id,
            title=text_in(cohort.title, language) or cohort.id,
            delivered_by=organisations.get(cohort.delivered_by, cohort.delivered_by),
            start=cohort.start.isoformat(),
            end=cohort.end.isoformat(),
            participants=len(cohort.participants),
            sessions=len(cohort.held_sessions()),
        )
        for cohort in workspace.cohorts
    )
    per_organisation = Counter(
        organisations.get(p.organisation, p.organisation) for p in workspace.participants
    )
    counts = participation(workspace, registry or Registry())
    totals = counts.attendance_by_module()
    attendance = tuple(
        ModuleAttendance(
            module=module.id,
            title=text_in(module.title, language),
            attended=totals.get(module.id, (0, 0))[0],
            expected=totals.get(module.id, (0, 0))[1],
        )
        for module in sorted(workspace.concept.modules, key=lambda m: m.order)
    )
    hours: dict[str, float] = {}
    for dose in counts.coaching:  # a participant in two cohorts is listed once, all their hours
        hours[dose.participant] = hours.get(dose.participant, 0.0) + dose.hours
    return Overview(
        title=text_in(workspace.manifest.title, language),
        concept=text_in(workspace.concept.title, language),
        cohorts=cohorts,
        participants_per_organisation=tuple(sorted(per_organisation.items())),
        attendance=attendance,
        coaching_hours=tuple(hours.items()),
        projects_per_stage=tuple((c.category, c.count) for c in counts.projects_by_stage),
        coaching=has_coaching(workspace),
    )


def format_overview(view: Overview) -> str:
    """Return the overview as plain-text tables, as ``mio show`` prints it."""
    parts = [f"{one_line(view.title)}\n{one_line(view.concept)}"]  # a line each, whatever they hold
    parts.append(
        "Cohorts\n"
        + (
            format_table(
                ["cohort", "delivered by", "from", "to", "participants", "sessions"],
                [
                    [c.id, c.delivered_by, c.start, c.end, str(c.participants), str(c.sessions)]
                    for c in view.cohorts
                ],
                right={4, 5},
            )
            if view.cohorts
            else "(none yet)"
        )
    )
    parts.append(
        "Participants per organisation\n"
        + (
            format_table(
                ["organisation", "participants"],
                [[name, str(n)] for name, n in view.participants_per_organisation],
                right={1},
            )
            if view.participants_per_organisation
            else "(none yet)"
        )
    )
    parts.append(
        "Attendance per module\n"
        + format_table(
            ["module", "title", "attended", "expected", "rate"],
            [
                [
                    a.module,
                    a.title,
                    str(a.attended),
                    str(a.expected),
                    share(a.attended / a.expected if a.expected else None),
                ]
                for a in view.attendance
            ],
            right={2, 3, 4},
        )
    )
    if view.coaching:  # a programme without coaching shows no table of zero hours
        hours = [h for _, h in view.coaching_hours]
        if hours:
            ordered = sorted(hours)
            middle = len(ordered) // 2
            median = (
                ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
            )
            summary = (
                f"{len(hours)} participants; mean {sum(hours) / len(hours):.1f} h, median "
                f"{median:.1f} h, min {ordered[0]:.1f} h, max {ordered[-1]:.1f} h, "
                f"{sum(1 for h in hours if h == 0)} without coaching"
            )
            table = format_table(
                ["participant", "hours"],
                [[pid, f"{h:.1f}"] for pid, h in view.coaching_hours],
                right={1},
            )
            parts.append(f"Coaching hours per participant\n{summary}\n{table}")
        else:
            parts.append("Coaching hours per participant\n(none yet)")
    parts.append(
        "Innovation projects per stage\n"
        + format_table(
            ["stage", "projects"],
            [[s, str(n)] for s, n in view.projects_per_stage],
            right={1},
        )
    )
    # workspace text is data: control and bidi characters shown as \\uXXXX on a terminal
    return show_controls("\n\n".join(parts) + "\n")

"""A readable summary of the evaluation in Markdown (the ``markdown`` export format).

Every value from the workspace (titles, ids, categories) passes through
:func:`~mio_core.textsafety.markdown_text`, so it renders as the text it is: never as
markup, a link or HTML.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import IO

from ..evaluation.headline import coaching_summary, instruments_by_level
from ..model import text_in
from ..plugins.interfaces import ExportSource
from ..tables import number, p_value, share
from ..textsafety import markdown_text as _md

SUPPRESSED = "*suppressed*"
MISSING = "–"


def _number(value: float | None, digits: int = 2) -> str:
    return number(value, digits, missing=MISSING)


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def write_markdown(source: ExportSource, stream: IO[str], options: object) -> None:
    """Write the headline results: participation, results per level, change, reliability."""
    result = source.evaluation
    if result is None:
        raise ValueError("the markdown summary needs the evaluation (use prepare_source)")
    workspace, language = source.workspace, source.language
    instruments = source.instruments()
    concept = workspace.concept
    stream.write(f"# {_md(text_in(workspace.manifest.title, language))}\n\n")
    stream.write(f"{_md(text_in(concept.title, language))}\n\n")
    stream.write(
        f"Groups with fewer than {result.min_group_size} respondents are suppressed and shown "
        f"as {SUPPRESSED}. People are "
        + ("identified." if source.identified else "pseudonymised.")
        + "\n\n"
    )

    stream.write("## Participation\n\n")
    titles = {m.id: text_in(m.title, language) for m in concept.modules}
    stream.write(
        _table(
            ["Module", "Cohort", "Attended", "Expected", "Rate"],
            [
                [
                    _md(titles.get(a.module, a.module)),
                    "all" if a.cohort == "all" else _md(a.cohort),
                    *(
                        [SUPPRESSED, "", ""]
                        if a.attended is None or a.participants is None
                        else [
                            str(a.attended),
                            str(a.participants),
                            share(a.attended, a.participants, missing=MISSING),
                        ]
                    ),
                ]
                for a in result.attendance
            ],
        )
    )
    coaching = coaching_summary(result)
    sessions, hours = _number(coaching["sessions_mean"], 1), _number(coaching["hours_mean"], 1)
    stream.write(
        f"\nCoaching: {SUPPRESSED}.\n"
        if coaching["participants"] is None
        else f"\nCoaching: {coaching['participants']} participants, on average {sessions} "
        f"sessions and {hours} hours each.\n"
    )
    if not coaching["gas_suppressed"]:
        stream.write(
            f"Goal Attainment Scaling: mean T-score {_number(coaching['gas_baseline_mean'], 1)} "
            f"at baseline and {_number(coaching['gas_attainment_mean'], 1)} attained "
            f"({coaching['gas_engagements']} engagements; 50 = as expected).\n"
        )

    for level, at_level in instruments_by_level(result, instruments):
        stream.write(f"\n## {level.code} {level.value.capitalize()}\n")
        for instrument_id in at_level:
            instrument = instruments[instrument_id]
            titles = {s.id: _md(text_in(s.title, language)) for s in instrument.subscales}
            stream.write(f"\n### {_md(text_in(instrument.title, language))}\n\n")
            rows = []
            for g in result.groups:
                if g.instrument != instrument_id or g.measure_kind != "subscale":
                    continue
                if g.group_by != "all":
                    continue
                s = g.summary
                figures = (
                    [
                        str(s.n),
                        _number(s.mean),
                        _number(s.sd),
                        f"{_number(s.ci_low)}–{_number(s.ci_high)}",
                    ]
                    if s is not None
                    else [SUPPRESSED, "", "", ""]
                )
                rows.append([_md(g.occasion), titles.get(g.measure, _md(g.measure)), *figures])
            stream.write(_table(["Occasion", "Subscale", "n", "Mean", "SD", "95 % CI"], rows))
            changes = [c for c in result.changes if c.instrument == instrument_id]
            if changes:
                stream.write("\nPaired change:\n\n")
                stream.write(
                    _table(
                        [
                            "Subscale",
                            "From",
                            "To",
                            "Pairs",
                            "Difference",
                            "95 % CI",
                            "d_z",
                            "Wilcoxon p",
                        ],
                        [
                            [
                                titles.get(c.subscale, _md(c.subscale)),
                                _md(c.before),
                                _md(c.after),
                                *(
                                    [SUPPRESSED, "", "", "", ""]
                                    if c.suppressed
                                    else [
                                        str(c.n_pairs),
                                        _number(c.mean_difference),
                                        f"{_number(c.ci_low)}–{_number(c.ci_high)}",
                                        _number(c.d_z),
                                        p_value(c.wilcoxon_p, missing=MISSING),
                                    ]
                                ),
                            ]
                            for c in changes
                        ],
                    )
                )

    stream.write("\n## Reliability\n\n")
    stream.write(
        _table(
            ["Instrument", "Occasion", "Subscale", "n", "Cronbach's alpha"],
            [
                [
                    _md(r.instrument),
                    _md(r.occasion),
                    _md(r.subscale),
                    *([SUPPRESSED, ""] if r.suppressed else [str(r.n), _number(r.alpha)]),
                ]
                for r in result.reliability
            ],
        )
    )
    stream.write("\n## Response rates\n\n")
    stream.write(
        _table(
            ["Instrument", "Occasion", "Cohort", "Expected", "Answered", "Rate"],
            [
                [
                    _md(r.instrument),
                    _md(r.occasion),
                    _md(r.cohort),
                    *(
                        [SUPPRESSED, "", ""]
                        if r.expected is None or r.answered is None
                        else [
                            str(r.expected),
                            str(r.answered),
                            share(r.answered, r.expected, missing=MISSING),
                        ]
                    ),
                ]
                for r in result.response_rates
            ],
        )
    )
    stream.write("\n## Innovation projects\n\n")
    participation = result.participation
    stream.write(
        _table(
            ["Stage", "Projects"],
            [[_md(c.category), str(c.count)] for c in participation.projects_by_stage],
        )
    )
    stream.write("\n")
    stream.write(
        _table(
            ["OPSI facet", "Projects"],
            [[_md(c.category), str(c.count)] for c in participation.projects_by_facet],
        )
    )
    stream.write("\n")
    stream.write(
        _table(
            ["Outcome level", "Outcomes"],
            [[_md(c.category), str(c.count)] for c in participation.outcomes_by_level],
        )
    )

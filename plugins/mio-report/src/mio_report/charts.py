"""Charts as inline SVG: horizontal bars, diverging stacked bars and a before/after plot.

Plain SVG markup, written here rather than drawn with a plotting library: the three chart
kinds are rectangles, lines and text, and importing matplotlib alone took 0.75 s — most of
the one-second budget for a cohort's whole report (see docs/performance.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape as _xml_escape

from mio_core.render import number
from mio_core.render import share as percent_text
from mio_core.textsafety import show_controls

if TYPE_CHECKING:
    from mio_core.evaluation import Figure

#: A diverging palette (ColorBrewer RdBu, 5 classes): negative, neutral, positive.
DIVERGING = ("#ca0020", "#f4a582", "#d9d9d9", "#92c5de", "#0571b0")
BAR = "#0571b0"
MUTED = "#5f6b7a"
FONT = 'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif" font-size="12"'
ROW = 26


def escape(text: str, entities: dict[str, str] | None = None) -> str:
    """Return ``text`` as SVG character data: markup escaped, control characters shown."""
    return _xml_escape(show_controls(text), entities or {})


def _label_width(labels: Sequence[str]) -> int:
    """Room for the longest row label (about 6.6 px a character at 12 px)."""
    return max(120, int(6.6 * max((len(label) for label in labels), default=0)) + 16)


def _attr(text: str) -> str:
    return escape(text, {'"': "&quot;"})


def _svg(width: int, height: int, title: str, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{_attr(title)}" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" {FONT}>'
        f"<title>{escape(title)}</title>" + "".join(body) + "</svg>"
    )


def _label(x: float, y: float, text: str) -> str:
    return (
        f'<text x="{x - 8}" y="{y:.1f}" text-anchor="end" dominant-baseline="middle" '
        f'fill="#1f2933">{escape(text)}</text>'
    )


def _palette(k: int) -> tuple[str, ...]:
    if k == 5:
        return DIVERGING
    if k == 4:
        return (DIVERGING[0], DIVERGING[1], DIVERGING[3], DIVERGING[4])
    if k == 3:
        return (DIVERGING[0], DIVERGING[2], DIVERGING[4])
    if k == 2:
        return (DIVERGING[0], DIVERGING[4])

    # more options: interpolate between the two ends through grey
    def mix(a: str, b: str, t: float) -> str:
        ca, cb = (
            (int(a[i : i + 2], 16) for i in (1, 3, 5)),
            (int(b[i : i + 2], 16) for i in (1, 3, 5)),
        )
        return "#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(ca, cb, strict=True))

    half = (k - 1) / 2
    return tuple(
        mix(DIVERGING[0], DIVERGING[2], i / half)
        if i <= half
        else mix(DIVERGING[2], DIVERGING[4], (i - half) / half)
        for i in range(k)
    )


def diverging_bars(
    rows: Sequence[tuple[str, Sequence[int] | None]],
    option_labels: Sequence[str],
    title: str,
    suppressed_label: str,
    language: str = "en",
) -> str:
    """Return stacked bars centred on the neutral option, one row per label.

    Each row gives the count of each answer option (lowest first), or None when the group
    is suppressed. Shares below the middle option go left of zero, those above it right;
    the middle option (if the scale has one) is split across zero.
    """
    k = len(option_labels)
    colours = _palette(k)
    plot = 440
    left_edge = _label_width([label for label, _ in rows])
    centre = left_edge + plot / 2
    scale = plot / 200  # pixels per percent, from -100 % to +100 %
    top = 8
    body = []
    for index, (label, counts) in enumerate(rows):
        y = top + index * ROW
        middle_y = y + ROW / 2
        body.append(_label(left_edge, middle_y, label))
        if counts is None or sum(counts) == 0:
            body.append(
                f'<text x="{centre:.1f}" y="{middle_y:.1f}" text-anchor="middle" '
                f'dominant-baseline="middle" fill="{MUTED}" font-style="italic">'
                f"{escape(suppressed_label)}</text>"
            )
            continue
        total = sum(counts)
        shares = [100 * c / total for c in counts]
        below = sum(shares[: k // 2]) + (shares[k // 2] / 2 if k % 2 else 0)
        left = -below
        for option, share in enumerate(shares):
            if share > 0:
                # the share as every table writes one (half up from the exact count / total)
                shown = percent_text(counts[option] / total, language)
                body.append(
                    f'<rect x="{centre + left * scale:.1f}" y="{y + 4}" '
                    f'width="{share * scale:.1f}" height="{ROW - 8}" fill="{colours[option]}">'
                    f"<title>{escape(option_labels[option])}: {shown}</title></rect>"
                )
            left += share
    bottom = top + len(rows) * ROW
    body.append(
        f'<line x1="{centre:.1f}" y1="{top}" x2="{centre:.1f}" y2="{bottom}" stroke="{MUTED}"/>'
    )
    for tick in (-100, -50, 0, 50, 100):
        x = centre + tick * scale
        body.append(
            f'<text x="{x:.1f}" y="{bottom + 14}" text-anchor="middle" fill="{MUTED}">'
            f"{abs(tick)} %</text>"
        )
    legend_y = bottom + 34
    x = left_edge
    for option, text in enumerate(option_labels):
        body.append(
            f'<rect x="{x}" y="{legend_y - 9}" width="12" height="12" fill="{colours[option]}"/>'
        )
        body.append(f'<text x="{x + 16}" y="{legend_y}" fill="#1f2933">{escape(text)}</text>')
        x += 24 + 7 * len(text)
    width = max(left_edge + plot + 20, x + 10)
    return _svg(int(width), legend_y + 12, title, body)


def bars(
    rows: Sequence[tuple[str, float | None]],
    title: str,
    unit: str = "",
    percent: bool = False,
    language: str = "en",
    suppressed_label: str = "",
    digits: int = 0,
) -> str:
    """Return a horizontal bar chart with the value written at the end of each bar; a row
    whose value is None says ``suppressed_label`` instead; no rows at all, the title."""
    plot = 340
    top = 6
    if not rows:
        rows = [("", None)]
        suppressed_label = "–"
    left_edge = _label_width([label for label, _ in rows])
    largest = 1.0 if percent else (max((value or 0 for _, value in rows), default=0) or 1)
    body = []
    for index, (label, value) in enumerate(rows):
        y = top + index * ROW
        body.append(_label(left_edge, y + ROW / 2, label))
        if value is None:
            body.append(
                f'<text x="{left_edge + 6}" y="{y + ROW / 2:.1f}" dominant-baseline="middle" '
                f'fill="{MUTED}" font-style="italic">{escape(suppressed_label)}</text>'
            )
            continue
        width = plot * value / largest
        if percent:
            text = percent_text(value, language)
        elif digits:
            text = number(value, digits, language) + unit
        else:
            text = f"{value:g}{unit}"
        body.append(
            f'<rect x="{left_edge}" y="{y + 5}" width="{width:.1f}" height="{ROW - 10}" '
            f'fill="{BAR}"><title>{escape(label)}: {escape(text)}</title></rect>'
        )
        body.append(
            f'<text x="{left_edge + width + 6:.1f}" y="{y + ROW / 2:.1f}" '
            f'dominant-baseline="middle" fill="{MUTED}">{escape(text)}</text>'
        )
    body.append(
        f'<line x1="{left_edge}" y1="{top}" x2="{left_edge}" y2="{top + len(rows) * ROW}" '
        f'stroke="{MUTED}"/>'
    )
    return _svg(left_edge + plot + 70, top + len(rows) * ROW + 6, title, body)


def change_plot(
    rows: Sequence[tuple[str, float, float, float | None, float | None] | tuple[str, None]],
    title: str,
    labels: tuple[str, str],
    language: str = "en",
    suppressed_label: str = "",
) -> str:
    """Return before (light) and after (dark) means per row, joined by a line, with the 95 %
    confidence interval of the change drawn as a band from the before mean.

    Each row: (label, mean before, mean after, CI low of the difference, CI high).
    """
    plot = 360
    top = 6
    left_edge = _label_width([row[0] for row in rows])
    points = [
        value
        for row in rows
        if len(row) == 5
        for value in (row[1], row[2], row[1] + (row[3] or 0.0), row[1] + (row[4] or 0.0))
    ] or [0.0, 1.0]
    low_end, high_end = min(points), max(points)
    span = (high_end - low_end) or 1
    low_end, high_end = low_end - 0.1 * span, high_end + 0.1 * span

    def x(value: float) -> float:
        return left_edge + plot * (value - low_end) / (high_end - low_end)

    def dot(value: float, y: float, colour: str, label: str) -> str:
        return (
            f'<circle cx="{x(value):.1f}" cy="{y:.1f}" r="5" fill="{colour}">'
            f"<title>{escape(label)}: {number(value, 2, language)}</title></circle>"
        )

    body = []
    for index, row in enumerate(rows):
        y = top + index * ROW + ROW / 2
        body.append(_label(left_edge, y, row[0]))
        if len(row) != 5:
            body.append(
                f'<text x="{left_edge + plot / 2:.1f}" y="{y:.1f}" text-anchor="middle" '
                f'dominant-baseline="middle" fill="{MUTED}" font-style="italic">'
                f"{escape(suppressed_label)}</text>"
            )
            continue
        _, before, after, low, high = row
        if low is not None and high is not None:
            start_x, end_x = x(before + low), x(before + high)
            body.append(
                f'<rect x="{start_x:.1f}" y="{y - 6:.1f}" width="{end_x - start_x:.1f}" '
                f'height="12" fill="{BAR}" fill-opacity="0.18"/>'
            )
        body.append(
            f'<line x1="{x(before):.1f}" y1="{y:.1f}" x2="{x(after):.1f}" y2="{y:.1f}" '
            'stroke="#9aa5b1" stroke-width="2"/>'
        )
        body.append(dot(before, y, DIVERGING[1], labels[0]))
        body.append(dot(after, y, BAR, labels[1]))
    bottom = top + len(rows) * ROW
    if not any(len(row) == 5 for row in rows):  # all suppressed: no axis to read
        return _svg(left_edge + plot + 30, bottom + 6, title, body)
    for i in range(5):
        tick = low_end + (high_end - low_end) * i / 4
        body.append(
            f'<text x="{x(tick):.1f}" y="{bottom + 14}" text-anchor="middle" '
            f'fill="{MUTED}">{number(tick, 1, language)}</text>'
        )
    legend_y = bottom + 34
    for offset, colour, text in ((0, DIVERGING[1], labels[0]), (100, BAR, labels[1])):
        body.append(
            f'<circle cx="{left_edge + offset + 6}" cy="{legend_y - 4}" r="5" fill="{colour}"/>'
        )
        body.append(
            f'<text x="{left_edge + offset + 16}" y="{legend_y}" '
            f'fill="#1f2933">{escape(text)}</text>'
        )
    return _svg(left_edge + plot + 30, legend_y + 12, title, body)


def draw(figure: Figure, suppressed_label: str, language: str = "en") -> str:
    """Return the SVG of a view's figure (bars, diverging bars or a change plot)."""
    if figure.kind == "bars":
        return bars(
            [(s.label, None if s.suppressed else (s.values[0] or 0.0)) for s in figure.series],
            figure.title,
            percent=figure.value_kind == "share",
            language=language,
            suppressed_label=suppressed_label,
            digits=2 if figure.value_kind == "number" else 0,
        )
    if figure.kind == "diverging-bars":
        return diverging_bars(
            [
                (s.label, None if s.suppressed else [int(v or 0) for v in s.values])
                for s in figure.series
            ],
            figure.categories,
            figure.title,
            suppressed_label,
            language,
        )
    rows: list[tuple[str, float, float, float | None, float | None] | tuple[str, None]] = [
        (s.label, None)
        if s.suppressed
        else (s.label, s.values[0] or 0.0, s.values[1] or 0.0, s.values[2], s.values[3])
        for s in figure.series
    ]
    before, after = figure.categories
    return change_plot(rows, figure.title, (before, after), language, suppressed_label)

"""Charts as inline SVG, drawn with matplotlib's object API (no pyplot, no display).

matplotlib is imported when a chart is drawn, not when the plugin loads, so that loading
mio_core's plugins for ``mio validate`` stays cheap.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: A diverging palette (ColorBrewer RdBu, 5 classes): negative, neutral, positive.
DIVERGING = ("#ca0020", "#f4a582", "#d9d9d9", "#92c5de", "#0571b0")
BAR = "#0571b0"
MUTED = "#666666"

_STYLE = {
    "svg.fonttype": "none",  # keep text as text: smaller and selectable
    "font.family": "sans-serif",
    "font.size": 9,
}


def _svg(figure: Figure, title: str) -> str:
    import matplotlib

    with matplotlib.rc_context(_STYLE):
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    text = buffer.getvalue()
    text = text[text.index("<svg") :]  # drop the XML prologue and doctype: it is inline
    text = re.sub(r"<svg ", f'<svg role="img" aria-label="{_escape(title)}" ', text, count=1)
    return text


def _escape(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")
    )


def diverging_bars(
    rows: Sequence[tuple[str, Sequence[int] | None]],
    option_labels: Sequence[str],
    title: str,
    suppressed_label: str,
) -> str:
    """Return stacked bars centred on the neutral option, one row per label.

    Each row gives the count of each answer option (lowest first), or None when the group
    is suppressed. Shares left of zero are the options below the middle, right of zero
    those above it; the middle option (if the scale has one) is split across zero.
    """
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context(_STYLE):
        k = len(option_labels)
        colours = _palette(k)
        figure = Figure(figsize=(7.5, 0.45 * len(rows) + 1.1))
        axes = figure.add_subplot()
        labels = [label for label, _ in rows]
        for y, (_, counts) in enumerate(rows):
            if counts is None or sum(counts) == 0:
                axes.text(0, y, suppressed_label, ha="center", va="center", color=MUTED)
                continue
            total = sum(counts)
            shares = [100 * c / total for c in counts]
            middle = k // 2 if k % 2 else None
            below = sum(shares[: k // 2]) + (shares[middle] / 2 if middle is not None else 0)
            left = -below
            for index, share in enumerate(shares):
                axes.barh(
                    y,
                    share,
                    left=left,
                    color=colours[index],
                    edgecolor="white",
                    height=0.7,
                    label=option_labels[index] if y == 0 else None,
                )
                left += share
        axes.axvline(0, color=MUTED, linewidth=0.8)
        axes.set_yticks(range(len(rows)), labels)
        axes.invert_yaxis()
        axes.set_xlim(-100, 100)
        axes.set_xticks([-100, -50, 0, 50, 100], ["100 %", "50 %", "0", "50 %", "100 %"])
        for side in ("top", "right", "left"):
            axes.spines[side].set_visible(False)
        axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.15), ncol=k, frameon=False)
        return _svg(figure, title)


def _palette(k: int) -> tuple[str, ...]:
    if k == 5:
        return DIVERGING
    if k == 4:
        return (DIVERGING[0], DIVERGING[1], DIVERGING[3], DIVERGING[4])
    if k == 3:
        return (DIVERGING[0], DIVERGING[2], DIVERGING[4])
    if k == 2:
        return (DIVERGING[0], DIVERGING[4])
    import matplotlib

    colormap = matplotlib.colormaps["RdBu"]
    return tuple(matplotlib.colors.to_hex(colormap(i / max(k - 1, 1))) for i in range(k))


def bars(
    rows: Sequence[tuple[str, float]], title: str, unit: str = "", percent: bool = False
) -> str:
    """Return a horizontal bar chart with the value written at each bar."""
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context(_STYLE):
        figure = Figure(figsize=(6.5, 0.35 * len(rows) + 0.8))
        axes = figure.add_subplot()
        values = [value for _, value in rows]
        axes.barh(range(len(rows)), values, color=BAR, height=0.6)
        axes.set_yticks(range(len(rows)), [label for label, _ in rows])
        axes.invert_yaxis()
        top = max(values, default=0) or 1
        axes.set_xlim(0, 1.0 if percent else top * 1.15)
        for y, value in enumerate(values):
            text = f"{value:.0%}" if percent else f"{value:g}{unit}"
            axes.text(value + top * 0.01, y, text, va="center", color=MUTED)
        axes.set_xticks([])
        for side in ("top", "right", "bottom"):
            axes.spines[side].set_visible(False)
        return _svg(figure, title)


def change_plot(
    rows: Sequence[tuple[str, float, float, float | None, float | None]],
    title: str,
    labels: tuple[str, str],
) -> str:
    """Return a dot plot of before and after means per subscale, the after mean with its CI.

    Each row: (label, mean before, mean after, CI low of the difference, CI high).
    """
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context(_STYLE):
        figure = Figure(figsize=(6.5, 0.45 * len(rows) + 1.0))
        axes = figure.add_subplot()
        for y, (_, before, after, low, high) in enumerate(rows):
            axes.plot([before, after], [y, y], color="#bbbbbb", linewidth=2, zorder=1)
            if low is not None and high is not None:
                axes.plot(
                    [before + low, before + high],
                    [y, y],
                    color=BAR,
                    linewidth=6,
                    alpha=0.25,
                    zorder=0,
                    solid_capstyle="butt",
                )
            axes.scatter(
                [before],
                [y],
                color=DIVERGING[1],
                zorder=2,
                s=40,
                label=labels[0] if y == 0 else None,
            )
            axes.scatter(
                [after], [y], color=BAR, zorder=2, s=40, label=labels[1] if y == 0 else None
            )
        axes.set_yticks(range(len(rows)), [row[0] for row in rows])
        axes.invert_yaxis()
        for side in ("top", "right", "left"):
            axes.spines[side].set_visible(False)
        axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2, frameon=False)
        return _svg(figure, title)

"""Plain-text tables and number formats shared by the command line and the text exports."""

from __future__ import annotations

from collections.abc import Collection, Sequence


def format_table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], right: Collection[int] = ()
) -> str:
    """Return rows under headers in aligned columns; columns in ``right`` align right."""
    widths = [max(len(str(x)) for x in column) for column in zip(headers, *rows, strict=True)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            str(cell).rjust(width) if index in right else str(cell).ljust(width)
            for index, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)])


def number(value: float | None, digits: int = 2, missing: str = "-") -> str:
    """Return ``value`` with ``digits`` decimals, or ``missing`` for None."""
    return missing if value is None else f"{value:.{digits}f}"


def p_value(value: float | None, missing: str = "-") -> str:
    """Return a p-value with three decimals, as ``<0.001`` when it is smaller."""
    if value is None:
        return missing
    return "<0.001" if value < 0.001 else f"{value:.3f}"


def share(part: int, whole: int, missing: str = "-") -> str:
    """Return ``part / whole`` as a whole percentage, or ``missing`` when ``whole`` is 0."""
    return f"{part / whole:.0%}" if whole else missing

"""Small-group suppression: primary (n below the minimum) and secondary (no subtraction)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

PRIMARY = "primary"
SECONDARY = "secondary"


def suppress(
    sizes: Mapping[str, int],
    total: int | None,
    min_group_size: int,
    forced: Iterable[str] = (),
) -> dict[str, str]:
    """Return which groups of one breakdown to suppress, and why.

    ``sizes`` are the groups' n; ``total`` is the n of the published total over the same
    respondents (None when no total is published). A group with n below
    ``min_group_size`` is suppressed (primary). Then, while the total minus the visible
    groups would reveal something small — exactly one hidden group, or hidden groups that
    together hold fewer than ``min_group_size`` — the smallest visible group is suppressed
    too (secondary). Groups with n = 0 are not shown and reveal nothing. Groups in ``forced``
    are hidden as secondary from the start (see :func:`suppress_waves`).
    """
    hidden = {g: PRIMARY for g, n in sizes.items() if 0 < n < min_group_size}
    for group in forced:
        if sizes.get(group, 0) > 0:
            hidden.setdefault(group, SECONDARY)
    if total is None or total < min_group_size or not hidden:
        return hidden
    while True:
        hidden_n = sum(sizes[g] for g in hidden)
        if len(hidden) >= 2 and hidden_n >= min_group_size:
            return hidden
        visible = sorted((n, g) for g, n in sizes.items() if n > 0 and g not in hidden)
        if not visible:
            return hidden
        hidden[visible[0][1]] = SECONDARY


def suppress_waves(
    waves: Mapping[str, Mapping[str, int]],
    totals: Mapping[str, int | None],
    min_group_size: int,
) -> dict[str, dict[str, str]]:
    """Return, per wave (occasion), the groups of one breakdown to suppress, and why.

    Each wave is suppressed as :func:`suppress` does; then a group hidden in any wave is
    hidden in every wave, so that a small group cannot be followed by comparing waves (its
    pre figures against its post figures), and secondary suppression runs again where that
    hid a new group — until nothing changes.
    """
    forced: set[str] = set()
    while True:
        result = {
            wave: suppress(sizes, totals.get(wave), min_group_size, forced)
            for wave, sizes in waves.items()
        }
        hidden = {group for groups in result.values() for group in groups}
        if hidden <= forced:
            return result
        forced |= hidden

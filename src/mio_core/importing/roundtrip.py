"""What a survey tool's format keeps of an instrument: helpers for importer and exporter
plugins that write an instrument out and read it back (REDCap, XLSForm, ...)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..model import Subscale


def kept_subscales(subscales: Iterable[Subscale], items: Sequence[str]) -> tuple[Subscale, ...]:
    """Return ``subscales`` as a format that keeps only ``items`` (in that order) reads them
    back: each keeps its items and reverse keys among ``items``, in their order; one left
    with no item is dropped; they come in the order of their first item, the earlier
    subscale first on a tie; a subscale's title is its id (the formats keep no title).

    For an exporter's ``as_kept`` (what the round trip instrument → format → instrument
    gives), so every format reads subscales back the same way.
    """
    order = list(items)
    kept: list[tuple[int, int, Subscale]] = []
    for position, subscale in enumerate(subscales):
        members = [item for item in order if item in subscale.items]
        if members:
            kept.append(
                (
                    order.index(members[0]),
                    position,
                    Subscale(
                        id=subscale.id,
                        title=subscale.id,
                        items=members,
                        reverse=tuple(item for item in order if item in subscale.reverse),
                    ),
                )
            )
    return tuple(subscale for _, _, subscale in sorted(kept, key=lambda kept: kept[:2]))


__all__ = ["kept_subscales"]

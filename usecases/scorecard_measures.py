"""The scorecards' further measures: each a function that reads a view of its own and
answers, per department, the figures it adds to that department's scorecard. A new
measure is one more entry of ``MEASURES``; the scorecard query merges them in, and a
department a measure knows nothing of gets that measure's ``empty`` figures."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from projections.base import Organisations, Row
from projections.registry import ReadModels
from projections.repeats import WITHIN_MONTHS, held


@dataclass(frozen=True)
class Measure:
    """Figures per department for business dates ``start`` to ``end`` inclusive, on the
    petitions of ``organisations`` (None: every one), read from the view named ``view``
    (waited for as the scorecards' own is, when a read names a ``min_position``)."""

    figures: Callable[[ReadModels, date, date, Organisations], dict[str, dict[str, Any]]]
    empty: Callable[[], dict[str, Any]]
    view: str | None = None


MEASURES: tuple[Measure, ...] = (
    # closures that hold: the satisfied closures a repeat followed (projections.repeats)
    Measure(
        lambda views, start, end, organisations: views.repeats.closures_held(
            start, end, organisations
        ),
        lambda: held(0, [0] * len(WITHIN_MONTHS)),
        "repeats",
    ),
)


def merged(
    views: ReadModels,
    departments: list[Row],
    start: date,
    end: date,
    organisations: Organisations,
    measures: tuple[Measure, ...] = MEASURES,
) -> list[Row]:
    """``departments``' scorecards with every measure's figures added to each."""
    for measure in measures:
        found = measure.figures(views, start, end, organisations)
        for row in departments:
            row.update(found.get(row["department"]) or measure.empty())
    return departments

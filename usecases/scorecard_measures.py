"""The scorecards' further measures: each a function that reads a view of its own and
answers, per department, the figures it adds to that department's scorecard. A new
measure is one more entry of ``MEASURES``; the scorecard query merges them in, and a
department a measure knows nothing of gets that measure's ``empty`` figures."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from projections.base import Organisations, Row
from projections.quality import scorecard
from projections.registry import ReadModels


@dataclass(frozen=True)
class Measure:
    """Figures per department for business dates ``start`` to ``end`` inclusive, on the
    petitions of ``organisations`` (None: every one)."""

    figures: Callable[[ReadModels, date, date, Organisations], dict[str, dict[str, Any]]]
    empty: Callable[[], dict[str, Any]]


def contributions(
    views: ReadModels, start: date, end: date, organisations: Organisations
) -> dict[str, dict[str, Any]]:
    """A coordinating department's own part: its contributions to the lead's answers sent
    on time or late in the period, and those overdue at its end."""
    found = views.coordination.figures(start, end, organisations)
    return {d: {"contributions": f} for d, f in found.items()}


NO_CONTRIBUTIONS = {"sent": 0, "on_time": 0, "late": 0, "open_overdue": 0}
MEASURES: tuple[Measure, ...] = (
    Measure(contributions, lambda: {"contributions": dict(NO_CONTRIBUTIONS)}),
)


def merged(
    views: ReadModels,
    departments: list[Row],
    start: date,
    end: date,
    organisations: Organisations,
    measures: tuple[Measure, ...] = MEASURES,
) -> list[Row]:
    """``departments``' scorecards with every measure's figures added to each; a department
    only a measure knows (one that coordinated, but led no answer) gets an empty card."""
    found = [measure.figures(views, start, end, organisations) for measure in measures]
    known = {row["department"] for row in departments}
    for department in sorted({d for figures in found for d in figures} - known):
        departments.append(scorecard(department, defaultdict(int), None))
    for measure, figures in zip(measures, found, strict=True):
        for row in departments:
            row.update(figures.get(row["department"]) or measure.empty())
    # as the scorecards rank them: the ranked first, then the others by department
    return sorted(departments, key=lambda c: (c["rank"] is None, c["rank"] or 0, c["department"]))

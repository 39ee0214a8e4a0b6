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
from projections.quality import Rate, scorecard
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


def contributions(
    views: ReadModels, start: date, end: date, organisations: Organisations
) -> dict[str, dict[str, Any]]:
    """A coordinating department's own part: its contributions to the lead's answers sent
    on time or late in the period, and those overdue at its end."""
    found = views.coordination.figures(start, end, organisations)
    return {d: {"contributions": f} for d, f in found.items()}


def commitments_kept(
    views: ReadModels, start: date, end: date, organisations: Organisations
) -> dict[str, dict[str, Any]]:
    """Of a department's owed commitments due in the period, those done by their date
    (``total``: due, ``count``: kept on time)."""
    rows = views.commitments.kept(start, end, organisations=organisations)
    return {
        r["department"]: {"commitments_kept": Rate(r["kept"], r["due"]).as_dict()} for r in rows
    }


NO_CONTRIBUTIONS = {"sent": 0, "on_time": 0, "late": 0, "open_overdue": 0}
MEASURES: tuple[Measure, ...] = (
    # a coordinating department's own parts (projections.coordination)
    Measure(contributions, lambda: {"contributions": dict(NO_CONTRIBUTIONS)}, "coordination"),
    Measure(commitments_kept, lambda: {"commitments_kept": Rate(0, 0).as_dict()}, "commitments"),
    # the written answers returned at clearance (``projections.clearance``)
    Measure(
        lambda views, start, end, organisations: views.clearance.returns_by_department(
            start, end, organisations=organisations
        ),
        lambda: {"returns": 0},
        "clearance",
    ),
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

"""Response quality per department and period: how often, how fast and how well each
department answers. The figures are defined in docs/read-models.md.

One row per assignment episode: from the day a department is given a petition (assigned,
reassigned, reopened to it) until it answers, declines or the petition ends; with the due
date in force, the answer, and the cells' verdict on that answer.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass
from datetime import date
from typing import Any

import psycopg
from psycopg import sql

from projections.base import Row, View, local_date

FLAGS = ("generic", "unpersuasive", "off_topic")
WEIGHTS = {"on_time_rate": 0.4, "satisfied_rate": 0.4, "unflagged_rate": 0.2}


@dataclass(frozen=True)
class Rate:
    """A proportion with its Wilson 95 % score interval."""

    count: int
    total: int

    @property
    def value(self) -> float | None:
        return self.count / self.total if self.total else None

    def interval(self, z: float = 1.96) -> tuple[float, float] | None:
        if not self.total:
            return None
        n, p = self.total, self.count / self.total
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
        return max(0.0, centre - half), min(1.0, centre + half)

    def as_dict(self) -> Row:
        interval = self.interval()
        return {
            "count": self.count,
            "total": self.total,
            "rate": None if self.value is None else round(self.value, 4),
            "low": None if interval is None else round(interval[0], 4),
            "high": None if interval is None else round(interval[1], 4),
        }


class QualityView(View):
    name = "quality"
    tables = {
        "quality_episodes": """
            petition_id uuid NOT NULL, seq int NOT NULL, department text NOT NULL,
            zone text NOT NULL, assigned_on date NOT NULL, due_on date NOT NULL,
            ended_on date, answered_on date, answer_recorded_on date, answer_number int,
            verified_on date, verdict text, flags text[],
            PRIMARY KEY (petition_id, seq)""",
        "quality_petitions": """
            petition_id uuid PRIMARY KEY, zone text NOT NULL, answers int NOT NULL""",
    }
    indexes = (
        "CREATE INDEX IF NOT EXISTS quality_by_department ON {quality_episodes}"
        " (department, assigned_on)",
    )

    def apply_page(self, curs: psycopg.Cursor[Any], events: list[tuple[str, Any]]) -> None:
        ids = {e.originator_id for _, e in events}
        episodes: dict[Any, list[Row]] = {i: [] for i in ids}
        for row in self.select_rows(curs, "quality_episodes", ids):
            episodes[row["petition_id"]].append(row)
        for rows in episodes.values():
            rows.sort(key=lambda r: r["seq"])
        petitions = {r["petition_id"]: r for r in self.select_rows(curs, "quality_petitions", ids)}
        for name, e in events:
            pid, day = e.originator_id, e.business_date
            if name == "Raised":
                petitions[pid] = {"petition_id": pid, "zone": e.zone, "answers": 0}
                continue
            rows = episodes[pid]
            current = rows[-1] if rows and rows[-1]["ended_on"] is None else None
            unanswered = current if current and current["answered_on"] is None else None
            if name in ("AnsweredInWriting", "AnsweredOnTheSpot"):
                petitions[pid]["answers"] += 1
            if name in ("Assigned", "Reassigned") or (name == "Reopened" and e.department):
                if unanswered:
                    unanswered["ended_on"] = day
                rows.append(
                    {
                        "petition_id": pid,
                        "seq": len(rows) + 1,
                        "department": e.department,
                        "zone": petitions[pid]["zone"],
                        "assigned_on": day,
                        "due_on": e.due_on,
                        "ended_on": None,
                        "answered_on": None,
                        "answer_recorded_on": None,
                        "answer_number": None,
                        "verified_on": None,
                        "verdict": None,
                        "flags": None,
                    }
                )
            elif name == "DeadlineExtended" and unanswered:
                unanswered["due_on"] = e.due_on
            elif name == "AnsweredInWriting" and unanswered:
                unanswered.update(
                    answered_on=day,
                    answer_recorded_on=local_date(e.timestamp),
                    answer_number=petitions[pid]["answers"],
                )
            elif name == "Verified" and current and current["answered_on"] is not None:
                current.update(
                    verified_on=day, verdict=e.verdict, flags=list(e.flags), ended_on=day
                )
            elif name in ("AssignmentDeclined", "Withdrawn", "MergedInto", "Closed") and current:
                current["ended_on"] = day
        self.upsert_rows(curs, "quality_petitions", list(petitions.values()), ["petition_id"])
        self.upsert_rows(
            curs,
            "quality_episodes",
            [r for rs in episodes.values() for r in rs],
            ["petition_id", "seq"],
        )

    # ---- queries ----------------------------------------------------------------------

    def scorecards(self, start: date, end: date, *, min_answered: int = 5) -> list[Row]:
        """Every department's figures for business dates ``start`` to ``end`` inclusive,
        ranked by composite score among departments with at least ``min_answered``."""
        statement = sql.SQL(
            "SELECT * FROM {} WHERE assigned_on <= %(end)s AND"
            " (ended_on IS NULL OR ended_on >= %(start)s OR answered_on >= %(start)s"
            "  OR verified_on >= %(start)s)"
        ).format(self.table("quality_episodes"))
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(statement, {"start": start, "end": end})
            episodes = [dict(r) for r in curs.fetchall()]
        by_department: dict[str, list[Row]] = {}
        for ep in episodes:
            by_department.setdefault(ep["department"], []).append(ep)
        cards = [scorecard(d, eps, start, end) for d, eps in sorted(by_department.items())]
        ranked = sorted(
            (c for c in cards if c["answered"] >= min_answered),
            key=lambda c: (-c["score"], c["department"]),
        )
        for rank, card in enumerate(ranked, 1):
            card["rank"] = rank
        return sorted(cards, key=lambda c: (c["rank"] is None, c["rank"] or 0, c["department"]))


def within(day: date | None, start: date, end: date) -> bool:
    return day is not None and start <= day <= end


def scorecard(department: str, episodes: list[Row], start: date, end: date) -> Row:
    assigned = [e for e in episodes if within(e["assigned_on"], start, end)]
    answered = [e for e in episodes if within(e["answered_on"], start, end)]
    verified = [e for e in episodes if within(e["verified_on"], start, end)]
    first = [e for e in verified if e["answer_number"] == 1]
    open_overdue = [
        e
        for e in episodes
        if e["due_on"] < end
        and (e["answered_on"] is None or e["answered_on"] > end)
        and (e["ended_on"] is None or e["ended_on"] > end)
    ]
    on_time = Rate(sum(e["answered_on"] <= e["due_on"] for e in answered), len(answered))
    recorded_late = sum(e["answer_recorded_on"] > e["due_on"] for e in answered)
    verdicts = {
        v: sum(e["verdict"] == v for e in verified)
        for v in ("satisfied", "partially_satisfied", "unsatisfied")
    }
    satisfied = Rate(verdicts["satisfied"], len(verified))
    flagged = Rate(sum(bool(e["flags"]) for e in verified), len(verified))
    days = [(e["answered_on"] - e["assigned_on"]).days for e in answered]
    score = composite_score(on_time, satisfied, flagged)
    return {
        "department": department,
        "assigned": len(assigned),
        "answered": len(answered),
        "on_time": on_time.as_dict(),
        "recorded_after_due": recorded_late,
        "median_days_to_answer": statistics.median(days) if days else None,
        "open_overdue": len(open_overdue),
        "verified": len(verified),
        "verdicts": {v: Rate(n, len(verified)).as_dict() for v, n in verdicts.items()},
        "flags": {
            f: Rate(sum(f in (e["flags"] or []) for e in verified), len(verified)).as_dict()
            for f in FLAGS
        },
        "reopen_rate": Rate(len(verified) - verdicts["satisfied"], len(verified)).as_dict(),
        "first_answer_satisfied": Rate(
            sum(e["verdict"] == "satisfied" for e in first), len(first)
        ).as_dict(),
        "score": score,
        "rank": None,
    }


def composite_score(on_time: Rate, satisfied: Rate, flagged: Rate) -> float:
    """0-100: 40 % answered on time, 40 % satisfied verdicts, 20 % answers not flagged.
    A part with no data yet counts as 0, so a department cannot rank high on silence."""
    parts = {
        "on_time_rate": on_time.value or 0.0,
        "satisfied_rate": satisfied.value or 0.0,
        "unflagged_rate": (1 - flagged.value) if flagged.value is not None else 0.0,
    }
    return round(100 * sum(WEIGHTS[k] * v for k, v in parts.items()), 1)

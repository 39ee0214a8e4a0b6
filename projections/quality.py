"""Response quality per department and period: how often, how fast and how well each
department answers. The figures are defined in docs/read-models.md.

One row per assignment episode: from the day a department is given a petition (assigned,
reassigned, reopened to it) until it answers, declines or the petition ends; with the due
date in force, the answer, and the cells' verdict on that answer. An ending the committee
undoes (``Reinstated``) did not end the episode: it goes on.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any

import psycopg
from psycopg import sql

from domain.petition import Petition
from domain.vocabulary import QualityFlag, Verdict, values
from projections.base import (
    STATE_EVENTS,
    Organisations,
    Row,
    View,
    local_date,
    organisation_codes,
)
from projections.commitments import COMMITMENT_EVENTS
from projections.deadlines import answered_on_time_sql, overdue_sql

FLAGS = values(QualityFlag)
ANSWERS = (Petition.AnsweredInWriting, Petition.AnsweredOnTheSpot)
# A department giving the petition back (declining it, returning a referral) ends its
# episode as the petition's end does.
ENDINGS = (
    Petition.AssignmentDeclined,
    Petition.ReferralReturned,
    Petition.Withdrawn,
    Petition.MergedInto,
    Petition.Closed,
)
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


# The last day an episode was active (see LAST_ACTIVE), as the scorecards' query and its
# index both write it: PostgreSQL uses the index only for the very same expression.
LAST_ACTIVE_EXPRESSION = (
    "(CASE WHEN ended_on IS NULL THEN 'infinity'::date"
    " ELSE GREATEST(ended_on, answered_on, verified_on) END)"
)


class QualityView(View):
    name = "quality"
    revision = 2  # 2: an answer whose clock is paused is not overdue
    tables = {
        "quality_episodes": """
            petition_id uuid NOT NULL, seq int NOT NULL, organisation text NOT NULL,
            department text NOT NULL, zone text NOT NULL, assigned_on date NOT NULL,
            due_on date NOT NULL, paused_on date, paused_to date,
            ended_on date, answered_on date, answer_recorded_on date, answer_number int,
            verified_on date, verdict text, flags text[],
            PRIMARY KEY (petition_id, seq)""",
        "quality_petitions": """
            petition_id uuid PRIMARY KEY, organisation text NOT NULL, zone text NOT NULL,
            answers int NOT NULL""",
    }
    indexes = (
        "CREATE INDEX IF NOT EXISTS quality_by_department ON {quality_episodes}"
        " (department, assigned_on)",
        # a period's episodes (see LAST_ACTIVE): a past month's scorecards read that month's
        "CREATE INDEX IF NOT EXISTS quality_last_active ON {quality_episodes}"
        f" ({LAST_ACTIVE_EXPRESSION}, assigned_on)",
        # an organisation's scorecards: the period's episodes of its petitions
        "CREATE INDEX IF NOT EXISTS quality_organisation_last_active ON {quality_episodes}"
        f" (organisation, {LAST_ACTIVE_EXPRESSION}, assigned_on)",
    )

    # escalations and reminders change no episode; a commitment's follow-up is counted
    # by its own view (projections.commitments)
    handles = STATE_EVENTS - COMMITMENT_EVENTS

    def apply_page(self, curs: psycopg.Cursor[Any], events: list[Any]) -> None:
        ids = {e.originator_id for e in events}
        episodes = self.rows_of_each(curs, "quality_episodes", ids)
        for rows in episodes.values():
            rows.sort(key=lambda r: r["seq"])
        petitions = self.rows_by_petition(curs, "quality_petitions", ids)
        for e in events:
            pid, day = e.originator_id, e.business_date
            if isinstance(e, Petition.Raised):
                petitions[pid] = {
                    "petition_id": pid,
                    "organisation": e.organisation,
                    "zone": e.zone,
                    "answers": 0,
                }
                continue
            rows = episodes[pid]
            current = rows[-1] if rows and rows[-1]["ended_on"] is None else None
            unanswered = current if current and current["answered_on"] is None else None
            if isinstance(e, ANSWERS):
                petitions[pid]["answers"] += 1
            if isinstance(e, Petition.Assignment) or (
                isinstance(e, Petition.Reopened) and e.department
            ):
                # a referral too: an episode of the province's department, its answer
                # on time or late by the due date the referral set
                if unanswered:
                    unanswered["ended_on"] = day
                rows.append(
                    {
                        "petition_id": pid,
                        "seq": len(rows) + 1,
                        "organisation": petitions[pid]["organisation"],
                        "department": e.department,
                        "zone": petitions[pid]["zone"],
                        "assigned_on": day,
                        "due_on": e.due_on,
                        "paused_on": None,
                        "paused_to": None,
                        "ended_on": None,
                        "answered_on": None,
                        "answer_recorded_on": None,
                        "answer_number": None,
                        "verified_on": None,
                        "verdict": None,
                        "flags": None,
                    }
                )
            elif isinstance(e, Petition.DeadlineExtended) and unanswered:
                unanswered["due_on"] = e.due_on
            elif isinstance(e, Petition.ClockPaused) and unanswered:
                # the episode's last pause: from its day to the day it resumed or ended
                unanswered.update(paused_on=day, paused_to=None)
            elif isinstance(e, Petition.ClockResumed) and unanswered:
                unanswered.update(due_on=e.due_on, paused_to=day)
            elif isinstance(e, Petition.AnsweredInWriting | Petition.AnswerCleared) and unanswered:
                # a held answer counts as answered on the day it is cleared
                petitions[pid]["answers"] += isinstance(e, Petition.AnswerCleared)
                unanswered.update(
                    answered_on=day,
                    answer_recorded_on=local_date(e.timestamp),
                    answer_number=petitions[pid]["answers"],
                )
            elif isinstance(e, Petition.AnswerHeld) and current:
                petitions[pid]["answers"] -= 1
                current.update(answered_on=None, answer_recorded_on=None, answer_number=None)
            elif (
                isinstance(e, Petition.Verified) and current and current["answered_on"] is not None
            ):
                current.update(
                    verified_on=day, verdict=e.verdict, flags=list(e.flags), ended_on=day
                )
            elif isinstance(e, ENDINGS) and current:
                current["ended_on"] = day
                if current["paused_on"] is not None and current["paused_to"] is None:
                    current["paused_to"] = day  # an ending ends the pause; reopened, it runs
            elif isinstance(e, Petition.Reinstated) and e.department is not None and rows:
                # The committee's ending undone: the episode it ended (the last: a petition
                # has a department in charge only while its episode runs) goes on as if
                # never ended; nothing else ended it since, as an ended petition takes no
                # other command.
                rows[-1]["ended_on"] = None
        self.upsert_rows(curs, "quality_petitions", list(petitions.values()), ["petition_id"])
        self.upsert_rows(
            curs,
            "quality_episodes",
            [r for rs in episodes.values() for r in rs],
            ["petition_id", "seq"],
        )

    # ---- queries ----------------------------------------------------------------------

    def scorecards(
        self,
        start: date,
        end: date,
        *,
        min_answered: int = 5,
        organisations: Organisations = None,
    ) -> list[Row]:
        """Every department's figures for business dates ``start`` to ``end`` inclusive,
        on the petitions of ``organisations`` (None: every one; a province department's
        on the petitions referred to it), ranked by composite score among departments with
        at least ``min_answered``.

        The period's episodes are counted in one aggregate query, grouped by department and
        by days to answer (the answers of the period), so the median comes from those counts
        as ``statistics.median`` would take it from the list of days."""
        in_period = {
            c: sql.SQL("{0} >= %(start)s AND {0} <= %(end)s").format(sql.Identifier(c))
            for c in ("assigned_on", "answered_on", "verified_on")
        }
        answered, verified = in_period["answered_on"], in_period["verified_on"]
        counts = {
            "assigned": in_period["assigned_on"],
            "answered": answered,
            "on_time": sql.SQL("{} AND {}").format(
                answered,
                answered_on_time_sql(sql.Identifier("due_on"), sql.Identifier("answered_on")),
            ),
            "recorded_after_due": sql.SQL("{} AND answer_recorded_on > due_on").format(answered),
            # overdue at the period's end: neither answered nor ended by then, nor its
            # clock paused then (paused time is not counted late)
            "open_overdue": sql.SQL(
                "{} AND (paused_on IS NULL OR paused_on > %(end)s OR paused_to <= %(end)s)"
            ).format(
                overdue_sql(
                    sql.Identifier("due_on"),
                    sql.Placeholder("end"),
                    sql.SQL("LEAST(answered_on, ended_on)"),
                )
            ),
            "verified": verified,
            **{
                v: sql.SQL("{} AND verdict = {}").format(verified, sql.Literal(v)) for v in VERDICTS
            },
            "flagged": sql.SQL("{} AND cardinality(flags) > 0").format(verified),
            **{
                f: sql.SQL("{} AND {} = ANY(flags)").format(verified, sql.Literal(f)) for f in FLAGS
            },
            "first": sql.SQL("{} AND answer_number = 1").format(verified),
            "first_satisfied": sql.SQL("{} AND answer_number = 1 AND verdict = {}").format(
                verified, sql.Literal(Verdict.SATISFIED.value)
            ),
        }
        statement = sql.SQL(
            "SELECT department, CASE WHEN {} THEN answered_on - assigned_on END AS days, {}"
            " FROM {} WHERE assigned_on <= %(end)s AND {} >= %(start)s AND {}"
            " GROUP BY department, days"
        ).format(
            answered,
            sql.SQL(", ").join(
                sql.SQL("count(*) FILTER (WHERE {}) AS {}").format(condition, sql.Identifier(k))
                for k, condition in counts.items()
            ),
            self.table("quality_episodes"),
            LAST_ACTIVE,
            sql.SQL("organisation = ANY(%(organisations)s::text[])")
            if organisations is not None
            else sql.SQL("TRUE"),
        )
        with self.datastore.transaction(commit=False) as curs:
            # a few thousand groups, hashed in memory; the planner, unable to guess how few
            # distinct day counts there are, would otherwise sort the period's episodes
            curs.execute("SET LOCAL work_mem = '32MB'")
            curs.execute(
                statement,
                {"start": start, "end": end, "organisations": organisation_codes(organisations)},
            )
            groups = curs.fetchall()
        by_department: dict[str, Row] = {}
        days: dict[str, dict[int, int]] = {}
        for group in groups:
            department = group["department"]
            found = by_department.setdefault(department, dict.fromkeys(counts, 0))
            for k in counts:
                found[k] += group[k]
            if group["days"] is not None:
                days.setdefault(department, {})[group["days"]] = group["answered"]
        return ranked(
            [scorecard(d, found, median(days.get(d, {}))) for d, found in by_department.items()],
            min_answered,
        )


def ranked(cards: list[Row], min_answered: int) -> list[Row]:
    """The cards ranked by score (ties by department) among those with ``min_answered``
    answers at least; the ranked first, then the others by department."""
    eligible = sorted(
        (c for c in cards if c["answered"] >= min_answered),
        key=lambda c: (-c["score"], c["department"]),
    )
    for rank, card in enumerate(eligible, 1):
        card["rank"] = rank
    return sorted(cards, key=lambda c: (c["rank"] is None, c["rank"] or 0, c["department"]))


# The last day an episode was active: its end, or its answer or verdict if recorded later
# (infinity while it goes on). An episode counts in a period if it began by the period's
# end and was active on or after its start; the index on this expression finds a short
# period's episodes without reading the others.
LAST_ACTIVE = sql.SQL(LAST_ACTIVE_EXPRESSION)
VERDICTS = values(Verdict)


def median(counts: dict[int, int]) -> float | int | None:
    """``statistics.median`` of the list holding each value ``counts[value]`` times: the
    middle value of an odd count, the mean of the two middle ones of an even count."""
    n = sum(counts.values())
    if not n:
        return None
    wanted = sorted({(n - 1) // 2, n // 2})  # the middle positions of the sorted list
    middle: list[int] = []
    seen = 0
    for value in sorted(counts):
        seen += counts[value]
        while wanted and wanted[0] < seen:
            middle.append(value)
            wanted.pop(0)
        if not wanted:
            break
    return middle[0] if n % 2 else (middle[0] + middle[1]) / 2


def scorecard(department: str, counts: Row, median_days: float | int | None) -> Row:
    """A department's card from its counts: rates with Wilson intervals, the score."""
    on_time = Rate(counts["on_time"], counts["answered"])
    verified = counts["verified"]
    satisfied = Rate(counts["satisfied"], verified)
    flagged = Rate(counts["flagged"], verified)
    return {
        "department": department,
        "assigned": counts["assigned"],
        "answered": counts["answered"],
        "on_time": on_time.as_dict(),
        "recorded_after_due": counts["recorded_after_due"],
        "median_days_to_answer": median_days,
        "open_overdue": counts["open_overdue"],
        "verified": verified,
        "verdicts": {v: Rate(counts[v], verified).as_dict() for v in VERDICTS},
        "flags": {f: Rate(counts[f], verified).as_dict() for f in FLAGS},
        "reopen_rate": Rate(verified - counts["satisfied"], verified).as_dict(),
        "first_answer_satisfied": Rate(counts["first_satisfied"], counts["first"]).as_dict(),
        "score": composite_score(on_time, satisfied, flagged),
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

"""Each written answer's advisory quality score (``domain.answer_quality``): its
components, its score and whether it is likely generic, beside the cells' verdict and
flags on it, for the petition page and the report of answers.

One row per written answer (``seq``: its place among the petition's written answers).
Its likeness to the organisation's earlier answers is measured with rapidfuzz over the
folded texts of the organisation's last ``REUSE_WINDOW`` written answers before it in
the log (bounded, whatever the log's length).

The likeness needs the organisation's other petitions, which the parts of a parallel
rebuild do not see (they split the log by petition): a part records each answer's own
components with no likeness, and once every part is in, ``finish_rebuild`` measures the
likeness of every answer in log order, as the incremental path does a page at a time."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

import psycopg
from psycopg import sql
from rapidfuzz import fuzz, process

from domain.answer_quality import REUSE_WINDOW, Assessment, assess, reuse_component
from domain.petition import Petition
from projections.base import Organisations, Row, View, fold_text, organisation_codes

ANSWERS = (Petition.AnsweredInWriting, Petition.AnsweredOnTheSpot)
Recent = dict[str, deque[str]]  # organisation -> its last answers' folded texts


def likeness(folded: str, earlier: Sequence[str]) -> float:
    """How near (0-1) the folded answer is to the nearest of ``earlier`` (folded too)."""
    if not earlier:
        return 0.0
    found = process.extractOne(folded, earlier, scorer=fuzz.ratio)
    return 0.0 if found is None else round(found[1] / 100, 4)


def assessed(row: Row) -> Assessment:
    """The assessment a row holds."""
    return Assessment(
        reuse=row["reuse"] or 0.0,
        off_petition=row["off_petition"],
        unspecific=row["unspecific"],
        brevity=row["brevity"],
        details=tuple(row["details"]),
        words=row["words"],
    )


def measured(row: Row, earlier: Sequence[str]) -> None:
    """The row's likeness to ``earlier`` (its organisation's answers before it), with the
    reuse component and the score that follow."""
    row["likeness"] = likeness(row["folded"], earlier)
    found = replace(assessed(row), reuse=reuse_component(row["likeness"]))
    row.update(reuse=found.reuse, score=found.score, likely_generic=found.likely_generic)


class AnswerQualityView(View):
    name = "answer_quality"
    revision = 1
    tables = {
        "answer_quality": """
            petition_id uuid NOT NULL, seq int NOT NULL, organisation text NOT NULL,
            department text NOT NULL, answered_on date NOT NULL, answered_at bigint NOT NULL,
            answer_number int NOT NULL, folded text NOT NULL,
            likeness double precision, reuse double precision,
            off_petition double precision NOT NULL, unspecific double precision NOT NULL,
            brevity double precision NOT NULL, details text[] NOT NULL, words int NOT NULL,
            score double precision, likely_generic boolean,
            verified_on date, verdict text, flags text[],
            PRIMARY KEY (petition_id, seq)""",
        "answer_quality_petitions": """
            petition_id uuid PRIMARY KEY, organisation text NOT NULL, words text NOT NULL,
            answers int NOT NULL""",
    }
    indexes = (
        # an organisation's last answers (the window), and its report by date
        "CREATE INDEX IF NOT EXISTS answer_quality_recent ON {answer_quality}"
        " (organisation, answered_at)",
        "CREATE INDEX IF NOT EXISTS answer_quality_answered_on ON {answer_quality} (answered_on)",
    )
    # an answer returned at clearance leaves the petition's answers: the next is numbered as
    # the aggregate numbers it
    handles = frozenset({Petition.Raised, *ANSWERS, Petition.AnswerReturned, Petition.Verified})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.recent: Recent = {}  # in a batch: each organisation's window so far

    def begin_batch(
        self, flush_every: int = 100_000, keep: int = 150_000, *, track: bool = True
    ) -> None:
        self.recent = {}
        super().begin_batch(flush_every, keep, track=track)

    def end_batch(self, *, flush: bool = True) -> None:
        try:
            super().end_batch(flush=flush)
        finally:
            self.recent = {}

    def apply_page(self, curs: psycopg.Cursor[Any], events: list[Any]) -> None:
        ids = {e.originator_id for e in events}
        petitions = self.rows_by_petition(curs, "answer_quality_petitions", ids)
        answers = self.rows_of_each(curs, "answer_quality", ids)
        answering = any(isinstance(e, Petition.AnsweredInWriting) for e in events)
        recent = None if self.in_part or not answering else self.windows(curs, petitions, events)
        for e, position in zip(events, self.positions, strict=True):
            pid = e.originator_id
            if isinstance(e, Petition.Raised):
                petitions[pid] = {
                    "petition_id": pid,
                    "organisation": e.organisation,
                    "words": f"{e.summary}\n{e.text}",
                    "answers": 0,
                }
                continue
            petition = petitions[pid]
            if isinstance(e, ANSWERS):
                petition["answers"] += 1
            if isinstance(e, Petition.AnsweredInWriting):
                row = self.answer_row(e, position, petition, len(answers[pid]) + 1)
                if recent is not None:
                    window = recent[petition["organisation"]]
                    measured(row, window)
                    window.append(row["folded"])
                answers[pid].append(row)
            elif isinstance(e, Petition.AnswerReturned):
                for row in answers[pid]:
                    if row["answer_number"] == petition["answers"]:
                        row["answer_number"] = 0  # returned: among the petition's answers no more
                petition["answers"] -= 1
            elif isinstance(e, Petition.Verified):
                for row in answers[pid]:
                    if row["answer_number"] == petition["answers"]:
                        row.update(verified_on=e.business_date, verdict=e.verdict, flags=e.flags)
        self.upsert_rows(
            curs, "answer_quality_petitions", list(petitions.values()), ["petition_id"]
        )
        self.upsert_rows(
            curs,
            "answer_quality",
            [r for rows in answers.values() for r in rows],
            ["petition_id", "seq"],
        )

    @staticmethod
    def answer_row(e: Petition.AnsweredInWriting, position: int, petition: Row, seq: int) -> Row:
        found = assess(e.text, petition["words"], 0.0)
        return {
            "petition_id": e.originator_id,
            "seq": seq,
            "organisation": petition["organisation"],
            "department": e.department,
            "answered_on": e.business_date,
            "answered_at": position,
            "answer_number": petition["answers"],
            "folded": fold_text(e.text),
            "likeness": None,  # measured against the organisation's window
            "reuse": None,
            "off_petition": found.off_petition,
            "unspecific": found.unspecific,
            "brevity": found.brevity,
            "details": list(found.details),
            "words": found.words,
            "score": None,
            "likely_generic": None,
            "verified_on": None,
            "verdict": None,
            "flags": None,
        }

    def windows(
        self, curs: psycopg.Cursor[Any], petitions: dict[Any, Row], events: list[Any]
    ) -> Recent:
        """The window of each organisation the page's written answers are of, as the log
        stands before the page (in a batch: as the batch has counted it so far)."""
        written = [e for e in events if isinstance(e, Petition.AnsweredInWriting)]
        raised = [e for e in events if isinstance(e, Petition.Raised)]
        organisation_of = {pid: row["organisation"] for pid, row in petitions.items()}
        organisation_of |= {e.originator_id: e.organisation for e in raised}
        wanted = {organisation_of[e.originator_id] for e in written}
        if self.batch is None:
            return self.query_windows(curs, wanted)
        missing = wanted - self.recent.keys()
        if missing and self.batch.empty:
            self.recent.update({o: deque(maxlen=REUSE_WINDOW) for o in missing})
        elif missing:
            with self.datastore.transaction(commit=False) as own:
                self.recent.update(self.query_windows(own, missing))
        return self.recent

    def query_windows(self, curs: psycopg.Cursor[Any], organisations: Iterable[str]) -> Recent:
        curs.execute(
            sql.SQL(
                "SELECT o.organisation, a.folded FROM unnest(%s::text[]) AS o (organisation)"
                " CROSS JOIN LATERAL (SELECT folded, answered_at FROM {} AS t"
                " WHERE t.organisation = o.organisation ORDER BY answered_at DESC LIMIT %s) AS a"
                " ORDER BY o.organisation, a.answered_at"
            ).format(self.table("answer_quality")),
            (sorted(organisations), REUSE_WINDOW),
        )
        found: Recent = {o: deque(maxlen=REUSE_WINDOW) for o in organisations}
        for r in curs.fetchall():
            found[r["organisation"]].append(r["folded"])
        return found

    def finish_rebuild(self) -> None:
        """Every answer's likeness, organisation by organisation in log order (the parts
        of a rebuild could not see the others' answers); one organisation's rows in memory
        at a time."""
        table = self.table("answer_quality")
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(
                sql.SQL("SELECT DISTINCT organisation FROM {} WHERE likeness IS NULL").format(table)
            )
            for organisation in sorted(r["organisation"] for r in curs.fetchall()):
                curs.execute(
                    sql.SQL(
                        "SELECT * FROM {} WHERE organisation = %s AND likeness IS NULL"
                        " ORDER BY answered_at"
                    ).format(table),
                    (organisation,),
                )
                rows = [dict(r) for r in curs.fetchall()]
                window: deque[str] = deque(maxlen=REUSE_WINDOW)
                for row in rows:
                    measured(row, window)
                    window.append(row["folded"])
                self.write_rows(curs, "answer_quality", rows, ["petition_id", "seq"])

    # ---- queries ----------------------------------------------------------------------

    def of_petition(self, petition_id: Any) -> list[Row]:
        """The petition's written answers' rows, first answer first."""
        with self.datastore.transaction(commit=False) as curs:
            rows = self.query_rows(curs, "answer_quality", [petition_id])
        return sorted(rows, key=lambda r: r["seq"])

    def answers(
        self,
        *,
        start: date | None = None,
        end: date | None = None,
        likely_generic: bool | None = None,
        organisations: Organisations = None,
        limit: int = 100,
        offset: int = 0,
    ) -> tuple[int, list[Row]]:
        """The written answers of ``organisations`` (None: every one) answered from
        ``start`` to ``end``, the most generic first: their total and a page of them."""
        where = sql.SQL(
            "(%(organisations)s::text[] IS NULL OR organisation = ANY(%(organisations)s::text[]))"
            " AND (%(start)s::date IS NULL OR answered_on >= %(start)s)"
            " AND (%(end)s::date IS NULL OR answered_on <= %(end)s)"
            " AND (%(generic)s::boolean IS NULL OR likely_generic = %(generic)s)"
        )
        params = {
            "organisations": organisation_codes(organisations),
            "start": start,
            "end": end,
            "generic": likely_generic,
            "limit": limit,
            "offset": offset,
        }
        table = self.table("answer_quality")
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(
                sql.SQL("SELECT count(*) AS n FROM {} WHERE {}").format(table, where), params
            )
            row = curs.fetchone()
            total = int(row["n"]) if row else 0
            curs.execute(
                sql.SQL(
                    "SELECT * FROM {} WHERE {} ORDER BY score DESC NULLS LAST, answered_on DESC,"
                    " petition_id, seq LIMIT %(limit)s OFFSET %(offset)s"
                ).format(table, where),
                params,
            )
            return total, [dict(r) for r in curs.fetchall()]

    def verified(self, *, organisations: Organisations = None) -> list[Row]:
        """Every verified written answer's score, verdict and flags (for the evaluation)."""
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(
                sql.SQL(
                    "SELECT petition_id, seq, organisation, score, likely_generic, verdict, flags"
                    " FROM {} WHERE verdict IS NOT NULL AND (%(organisations)s::text[] IS NULL"
                    " OR organisation = ANY(%(organisations)s::text[]))"
                    " ORDER BY answered_at"
                ).format(self.table("answer_quality")),
                {"organisations": organisation_codes(organisations)},
            )
            return [dict(r) for r in curs.fetchall()]

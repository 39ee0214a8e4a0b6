"""Briefing packet: for a zone's briefing, what was raised at its previous briefing and how
each was answered, what is still unanswered, and what the cells must now verify."""

from __future__ import annotations

from datetime import date
from typing import Any

import psycopg
from psycopg import sql

from domain.petition import Petition
from domain.vocabulary import AnswerMode, Status
from projections.base import STATE_EVENTS, Organisations, Row, View, organisation_codes
from projections.commitments import COMMITMENT_EVENTS

ANSWERS = (Petition.AnsweredInWriting, Petition.AnsweredOnTheSpot)
ENDINGS = (Petition.Withdrawn, Petition.MergedInto, Petition.Closed)
UNANSWERED = (Status.RAISED, Status.ASSIGNED)
# The department in charge gives the petition back: the committee assigns it again.
GIVE_BACKS = (Petition.AssignmentDeclined, Petition.ReferralReturned, Petition.Reopened)


class BriefingPacketView(View):
    name = "briefing_packet"
    revision = 1
    tables = {
        "packet_petitions": """
            petition_id uuid PRIMARY KEY, organisation text NOT NULL, zone text NOT NULL,
            commune text NOT NULL, cell text NOT NULL, kind text NOT NULL,
            category text NOT NULL, summary text NOT NULL, raised_by text NOT NULL,
            channel text NOT NULL, meeting text, raised_on date NOT NULL,
            status text NOT NULL, department text, referred_to text, due_on date,
            verify_by date, answers int NOT NULL""",
        "packet_answers": """
            petition_id uuid NOT NULL, seq int NOT NULL, organisation text NOT NULL,
            mode text NOT NULL, department text, text text NOT NULL, document_number text,
            document_date date, signer text NOT NULL, answered_on date NOT NULL,
            verdict text, flags text[], verified_on date,
            PRIMARY KEY (petition_id, seq)""",
    }
    # A packet is a zone's, and every zone is one organisation's (codes are unique in a
    # deployment): the organisation a packet is asked for is a column of the same index.
    indexes = (
        "CREATE INDEX IF NOT EXISTS packet_by_zone ON {packet_petitions}"
        " (zone, organisation, raised_on)",
    )

    # escalations and reminders change nothing a briefing reads out, nor does a paused
    # clock until it resumes; the commitments it reads out are their own view's
    # (projections.commitments)
    handles = STATE_EVENTS - COMMITMENT_EVENTS - {Petition.ClockPaused}

    def apply_page(self, curs: psycopg.Cursor[Any], events: list[Any]) -> None:
        ids = {e.originator_id for e in events}
        petitions = self.rows_by_petition(curs, "packet_petitions", ids)
        # the latest answer of each petition touched (one held for clearance, if any: its
        # seq is one past the answers that count until it is cleared)
        answers: dict[Any, Row] = {}
        for row in self.select_rows(curs, "packet_answers", ids):
            if row["seq"] >= petitions[row["petition_id"]]["answers"]:
                latest = answers.get(row["petition_id"])
                if latest is None or row["seq"] > latest["seq"]:
                    answers[row["petition_id"]] = row
        touched: list[Row] = []
        for e in events:
            pid = e.originator_id
            if isinstance(e, Petition.Raised):
                petitions[pid] = {
                    "petition_id": pid,
                    "organisation": e.organisation,
                    "zone": e.zone,
                    "commune": e.commune,
                    "cell": e.cell,
                    "kind": e.kind,
                    "category": e.category,
                    "summary": e.summary,
                    "raised_by": e.raised_by,
                    "channel": e.channel,
                    "meeting": e.meeting,
                    "raised_on": e.business_date,
                    "status": str(Status.RAISED),
                    "department": None,
                    "referred_to": None,
                    "due_on": None,
                    "verify_by": None,
                    "answers": 0,
                }
                continue
            p = petitions[pid]
            p["status"] = str(e.next_status(Status(p["status"])))
            if isinstance(e, Petition.Assignment) or (
                isinstance(e, Petition.Reopened) and e.department
            ):
                p.update(department=e.department, due_on=e.due_on, verify_by=None)
                if isinstance(e, Petition.ReferredUpward):
                    p["referred_to"] = e.organisation
            elif isinstance(e, GIVE_BACKS):
                p.update(department=None, due_on=None, verify_by=None)
                if isinstance(e, Petition.ReferralReturned):
                    p["referred_to"] = None
            elif isinstance(e, Petition.DeadlineExtended | Petition.ClockResumed):
                p["due_on"] = e.due_on
            elif isinstance(e, ANSWERS):
                p["answers"] += 1
                p["verify_by"] = e.verify_by
                if isinstance(e, Petition.AnsweredInWriting):
                    letter = {
                        "mode": str(AnswerMode.WRITTEN),
                        "department": e.department,
                        "document_number": e.document_number,
                        "document_date": e.document_date,
                        "signer": e.signer,
                    }
                else:
                    letter = {
                        "mode": str(AnswerMode.ON_THE_SPOT),
                        "department": None,
                        "document_number": None,
                        "document_date": None,
                        "signer": e.answered_by,
                    }
                answers[pid] = {
                    "petition_id": pid,
                    "seq": p["answers"],
                    "organisation": p["organisation"],
                    **letter,
                    "text": e.text,
                    "answered_on": e.business_date,
                    "verdict": None,
                    "flags": None,
                    "verified_on": None,
                }
                touched.append(answers[pid])
            elif isinstance(e, Petition.AnswerHeld):  # not in the packet until cleared
                p.update(answers=p["answers"] - 1, verify_by=None)
            elif isinstance(e, Petition.AnswerCleared):
                p.update(answers=p["answers"] + 1, verify_by=e.verify_by)
            elif isinstance(e, Petition.Verified):
                answers[pid].update(
                    verdict=e.verdict, flags=list(e.flags), verified_on=e.business_date
                )
                touched.append(answers[pid])
                if p["status"] == Status.CLOSED:  # satisfied
                    p["verify_by"] = None
            elif isinstance(e, ENDINGS):
                p["verify_by"] = None
            elif isinstance(e, Petition.Reinstated):
                p["verify_by"] = e.verify_by  # back to verify, if it ended so
        self.upsert_rows(curs, "packet_petitions", list(petitions.values()), ["petition_id"])
        unique = {(a["petition_id"], a["seq"]): a for a in touched}
        self.upsert_rows(curs, "packet_answers", list(unique.values()), ["petition_id", "seq"])

    def packet(
        self,
        zone: str,
        previous_briefing: date,
        briefing: date,
        *,
        organisations: Organisations = None,
    ) -> Row:
        """The packet for ``zone``'s briefing on ``briefing``; the previous one was on
        ``previous_briefing``. Of the petitions of ``organisations`` only (None: every
        one): a zone of another organisation's has an empty packet."""
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(
                sql.SQL(
                    "SELECT * FROM {} WHERE zone = %(zone)s"
                    " AND (%(organisations)s::text[] IS NULL"
                    " OR organisation = ANY(%(organisations)s::text[])) AND ("
                    " (raised_on >= %(previous)s AND raised_on < %(briefing)s)"
                    " OR (status = ANY(%(unanswered)s) AND raised_on < %(briefing)s)"
                    " OR status = %(answered)s) ORDER BY raised_on, commune, cell, petition_id"
                ).format(self.table("packet_petitions")),
                {
                    "zone": zone,
                    "organisations": organisation_codes(organisations),
                    "previous": previous_briefing,
                    "briefing": briefing,
                    "unanswered": [str(s) for s in UNANSWERED],
                    "answered": str(Status.ANSWERED),
                },
            )
            petitions = [dict(r) for r in curs.fetchall()]
            curs.execute(
                sql.SQL(
                    "SELECT * FROM {} WHERE petition_id = ANY(%s) ORDER BY petition_id, seq"
                ).format(self.table("packet_answers")),
                ([p["petition_id"] for p in petitions],),
            )
            answers: dict[Any, list[Row]] = {}
            counted = {p["petition_id"]: p["answers"] for p in petitions}
            for a in curs.fetchall():
                if a["seq"] <= counted[a["petition_id"]]:  # not one held for clearance
                    answers.setdefault(a["petition_id"], []).append(dict(a))
        for p in petitions:
            p["answers_given"] = answers.get(p["petition_id"], [])
        return {
            "zone": zone,
            "briefing": briefing,
            "previous_briefing": previous_briefing,
            "raised_at_previous": [
                p for p in petitions if previous_briefing <= p["raised_on"] < briefing
            ],
            "unanswered": [
                p for p in petitions if p["status"] in UNANSWERED and p["raised_on"] < briefing
            ],
            "awaiting_verification": [p for p in petitions if p["status"] == Status.ANSWERED],
        }

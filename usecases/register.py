"""The monthly answer register of an organisation: every answer given to its petitions in
a month (the petition's number, its cell, the department that answered, the day, and the
letter's number, date, signer and attachments' SHA-256), oldest first, read from each
petition's events; as rows for the page, and as a file signed with the audit checkpoint
key (``audit.register``) that a cell or the province checks offline with
``petitions audit verify-register``. Who may read whose: ``record_access.register_organisation``."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from audit.register import signed_file
from domain.actors import Actor
from domain.errors import InvalidCommand
from domain.messages import say
from domain.records import Answer
from projections.answer_register import answered_candidates
from projections.petition_list import PetitionListView
from usecases import record_access
from usecases.numbers import Numbers
from usecases.petitions import Petitions

MONTH = re.compile(r"(\d{4})-(\d{2})")


@dataclass(frozen=True)
class Month:
    year: int
    month: int

    @property
    def start(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def end(self) -> date:
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def parse_month(text: str | None, today: date) -> Month:
    """``YYYY-MM`` (None: the month of ``today``); anything else is refused on ``month``."""
    if text is None:
        return Month(today.year, today.month)
    found = MONTH.fullmatch(text.strip())
    if found is None or not 1 <= int(found.group(2)) <= 12 or int(found.group(1)) < 1:
        raise InvalidCommand("month", say("register.month"))
    return Month(int(found.group(1)), int(found.group(2)))


def answer_row(petition: Any, answer: Answer, number: str | None, names: Any) -> dict[str, Any]:
    """One answer as a row of plain JSON values (its dates ISO)."""
    return {
        "petition_id": str(petition.id),
        "number": number,
        "cell": petition.cell,
        "cell_name": names(petition.cell, "cell"),
        "mode": answer.mode.value,
        "department": answer.department,
        "department_name": names(answer.department, "department"),
        "answered_on": answer.answered_on.isoformat(),
        "document_number": answer.document_number,
        "document_date": answer.document_date.isoformat() if answer.document_date else None,
        "signer": answer.signer,
        "attachments": [
            {"name": a.name, "sha256": a.sha256, "size": a.size} for a in answer.attachments
        ],
    }


class AnswerRegister:
    def __init__(
        self,
        app: Petitions,
        petition_list: PetitionListView,
        numbers: Numbers,
        signing_key: Ed25519PrivateKey,
    ) -> None:
        self.app, self.view, self.numbers, self.key = app, petition_list, numbers, signing_key

    def name_of(self, code: str | None, kind: str) -> str | None:
        """A cell's or department's name now, wherever in the province it is (None: none)."""
        if code is None:
            return None
        province = self.app.province
        for organisation in province.organisations:
            found = getattr(province.reference(organisation), f"{kind}s").get(code)
            if found is not None:
                return str(found.name)
        return None

    def register(
        self, actor: Actor, organisation: str | None = None, month: str | None = None
    ) -> dict[str, Any]:
        """The month's register of ``organisation`` (else the actor's own), as plain JSON
        values: the organisation, the month, when it was made, and every answer given in
        the month, by day, then petition number."""
        code = record_access.register_organisation(actor, self.app.province, organisation)
        asked = parse_month(month, self.app.today())
        rows: list[dict[str, Any]] = []
        for petition_id in answered_candidates(self.view, code, asked.start, asked.end):
            petition = self.app.load(petition_id)
            given = [a for a in petition.answers if asked.start <= a.answered_on <= asked.end]
            if given:
                number = self.numbers.of(petition_id)
                rows += [answer_row(petition, a, number, self.name_of) for a in given]
        rows.sort(key=lambda r: (r["answered_on"], r["number"] or "", r["petition_id"]))
        return {
            "organisation": code,
            "organisation_name": self.app.province.organisations[code].name,
            "month": str(asked),
            "made_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "rows": rows,
        }

    def signed(
        self, actor: Actor, organisation: str | None = None, month: str | None = None
    ) -> tuple[dict[str, Any], bytes]:
        """The register and its signed file's bytes."""
        register = self.register(actor, organisation, month)
        return register, signed_file(register, self.key)

"""What a meeting keeps of its attendance, notices and minutes: frozen values with typed
fields, built by the Meeting events' ``apply`` from the plain strings and dicts the events
store (``domain.records`` is the same for a petition)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any
from uuid import UUID

from domain.errors import InvalidCommand
from domain.messages import say
from domain.petition import NAME_MAX, NOTE_MAX, clean_optional
from domain.records import plain
from domain.vocabulary import Attendance, AttendeeRole, Verdict

MAX_LATE_MINUTES = 24 * 60


@dataclass(frozen=True)
class Attendee:
    """One expected person's attendance: a cell's secretary (``cell``, and the name if
    known), a committee member or a department's leader (``person``); present, late by
    ``minutes_late``, or absent with a ``reason``, ``excused`` or not."""

    role: AttendeeRole
    status: Attendance
    cell: str | None = None
    person: str | None = None
    department: str | None = None
    commune: str | None = None  # a secretary's cell's, as the reference data had it
    minutes_late: int | None = None
    reason: str | None = None
    excused: bool | None = None

    @property
    def key(self) -> str:
        """Who the entry is of: a secretary by the cell, anyone else by the name."""
        return f"{self.role}:{self.cell if self.role is AttendeeRole.SECRETARY else self.person}"

    @property
    def attended(self) -> bool:
        return self.status is not Attendance.ABSENT

    @classmethod
    def of(cls, stored: Mapping[str, Any]) -> Attendee:
        """The attendee an event stored as a dict."""
        return cls(
            role=AttendeeRole(stored["role"]),
            status=Attendance(stored["status"]),
            cell=stored.get("cell"),
            person=stored.get("person"),
            department=stored.get("department"),
            commune=stored.get("commune"),
            minutes_late=stored.get("minutes_late"),
            reason=stored.get("reason"),
            excused=stored.get("excused"),
        )

    @classmethod
    def checked(cls, entry: Mapping[str, Any]) -> Attendee:
        """An attendance entry as given, checked: ``InvalidCommand`` naming what is wrong."""
        role, status = str(entry.get("role")), str(entry.get("status"))
        if role not in AttendeeRole.__members__.values():
            raise InvalidCommand("attendance", say("attendance.role"))
        if status not in Attendance.__members__.values():
            raise InvalidCommand("attendance", say("attendance.status"))
        cell = clean_optional("cell", entry.get("cell"), NAME_MAX)
        person = clean_optional("person", entry.get("person"), NAME_MAX)
        if role == AttendeeRole.SECRETARY and cell is None:
            raise InvalidCommand("attendance", say("attendance.secretary_cell"))
        if role != AttendeeRole.SECRETARY and person is None:
            raise InvalidCommand("attendance", say("attendance.person"))
        minutes = entry.get("minutes_late")
        if status == Attendance.LATE:
            if not isinstance(minutes, int) or isinstance(minutes, bool):
                raise InvalidCommand("minutes_late", say("late.minutes_missing"))
            if not 1 <= minutes <= MAX_LATE_MINUTES:
                raise InvalidCommand(
                    "minutes_late", say("late.minutes_range", max_minutes=MAX_LATE_MINUTES)
                )
        elif minutes is not None:
            raise InvalidCommand("minutes_late", say("late.only"))
        reason = clean_optional("reason", entry.get("reason"), NOTE_MAX)
        excused = entry.get("excused")
        if status == Attendance.ABSENT:
            excused = bool(excused)
            if excused and reason is None:
                raise InvalidCommand("reason", say("absence.reason"))
        elif reason is not None or excused is not None:
            raise InvalidCommand("reason", say("absence.only"))
        return cls(
            role=AttendeeRole(role),
            status=Attendance(status),
            cell=cell,
            person=person,
            department=clean_optional("department", entry.get("department"), NAME_MAX),
            commune=clean_optional("commune", entry.get("commune"), NAME_MAX),
            minutes_late=minutes if status == Attendance.LATE else None,
            reason=reason,
            excused=excused,
        )

    def stored(self) -> dict[str, Any]:
        """As the event stores it: plain strings, no empty fields."""
        return {k: v for k, v in plain(self).items() if v is not None}


@dataclass(frozen=True)
class Notice:
    """A notice of the meeting: who was told, on which day, how many days before the
    date it was then scheduled on, and whether that was fewer than the rule asks."""

    recipients: tuple[str, ...]
    sent_on: date
    days_before: int
    required_days: int
    late: bool


@dataclass(frozen=True)
class VerdictGiven:
    """A verdict the minutes record on a petition's answer."""

    petition: UUID
    verdict: Verdict


@dataclass(frozen=True)
class Minutes:
    text: str
    petitions_raised: tuple[UUID, ...]
    answers_read: tuple[UUID, ...]
    verdicts: tuple[VerdictGiven, ...]
    recorded_on: date


@dataclass(frozen=True)
class InformationRequest:
    """A department asked for the information its petitions of the agenda need, due on
    ``due_on``; ``received_on`` the day it came (None: not yet)."""

    department: str
    petitions: tuple[UUID, ...]
    requested_on: date
    due_on: date
    received_on: date | None = None

    def received(self, on: date) -> InformationRequest:
        return replace(self, received_on=on)

    @property
    def late(self) -> bool:
        return self.received_on is not None and self.received_on > self.due_on

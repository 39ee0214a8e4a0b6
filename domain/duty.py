"""The members' duty to attend cell meetings: a committee member's assignment, for a term,
to communes and/or cells, whose cell meetings the member is expected at.

An assignment is an aggregate of its own, stored in the petitions' event log (so the hash
chain and ``replay --verify`` cover it). The organisation's admin assigns a member (named
by a code and a display name, the name the meetings name the member by) for a term from
one day to another, changes what the member is assigned to from a day on (or the term's
last day), with a reason, and may end the term early, with a reason. What the member was
assigned to on any day is a *span*: the assignment keeps them in order, each change
closing one and opening the next. A refused command records nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from eventsourcing.domain import Aggregate

from domain.actors import Actor, Stamp
from domain.errors import InvalidCommand, NotPermitted
from domain.messages import say
from domain.petition import NAME_MAX, NOTE_MAX, clean_text, recorded_events
from domain.vocabulary import Role

CODE_MAX = 50
MAX_PLACES = 100  # communes or cells of one assignment


class DutyCommand(StrEnum):
    """The commands on an assignment (their values are the use cases' names too)."""

    ASSIGN = "assign_duty"
    CHANGE = "change_duty"
    END = "end_duty"


class DutyStatus(StrEnum):
    ACTIVE = "active"  # its term runs to its last day
    ENDED = "ended"  # ended early


# Who may issue the commands: the organisation's admin (the use case checks which).
ASSIGNERS = frozenset({Role.ADMIN})


@dataclass(frozen=True)
class Span:
    """What the member is assigned to from ``start`` to ``end`` (both included)."""

    start: date
    end: date
    communes: tuple[str, ...]
    cells: tuple[str, ...]

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end

    def holds(self, cell: str, commune: str | None) -> bool:
        """Whether the span's member is expected at ``cell``'s meetings (of ``commune``)."""
        return cell in self.cells or (commune is not None and commune in self.communes)


class Duty(Aggregate):
    """A committee member's assignment to communes and/or cells for a term."""

    class Event(Aggregate.Event):
        actor: Actor
        business_date: date
        request_id: str | None

        @property
        def stamp(self) -> Stamp:
            return Stamp(self.actor, self.business_date, self.request_id)

        def apply(self, aggregate: Any) -> None:
            aggregate.last_business_date = self.business_date

    class Assigned(Event, Aggregate.Created):
        organisation: str
        member: str  # the member's code
        name: str  # the name the meetings name the member by
        communes: list[str]
        cells: list[str]
        start_on: date
        end_on: date

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            d: Duty = aggregate
            d.organisation, d.member, d.name = self.organisation, self.member, self.name
            d.start_on, d.end_on = self.start_on, self.end_on
            d.status, d.ended_on, d.end_reason = DutyStatus.ACTIVE, None, None
            d.spans = [Span(self.start_on, self.end_on, tuple(self.communes), tuple(self.cells))]

    class Changed(Event):
        effective_on: date  # the first day of what it is assigned to now
        communes: list[str]
        cells: list[str]
        end_on: date  # the term's last day, as it is now
        reason: str

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            d: Duty = aggregate
            d.spans = changed(d.spans, self.effective_on, self.end_on, self.communes, self.cells)
            d.end_on = self.end_on

    class Ended(Event):
        ended_on: date  # the term's last day
        reason: str

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            d: Duty = aggregate
            d.spans = ended(d.spans, self.ended_on)
            d.status, d.ended_on, d.end_reason = DutyStatus.ENDED, self.ended_on, self.reason

    if TYPE_CHECKING:  # state set by the events above
        organisation: str
        member: str
        name: str
        start_on: date
        end_on: date
        status: DutyStatus
        ended_on: date | None
        end_reason: str | None
        spans: list[Span]
        last_business_date: date

    # ---- creation ---------------------------------------------------------------

    @classmethod
    def assign(
        cls,
        *,
        organisation: str,
        member: str,
        name: str,
        communes: Sequence[str],
        cells: Sequence[str],
        start_on: date,
        end_on: date,
        stamp: Stamp,
    ) -> Duty:
        """Assign the member ``member`` (``name``) to ``communes`` and/or ``cells`` from
        ``start_on`` to ``end_on``."""
        check_duty_permitted(stamp.actor, DutyCommand.ASSIGN)
        code = clean_text("member", member, CODE_MAX)
        if end_on < start_on:
            raise InvalidCommand("end_on", say("duty.term_reversed"))
        places = checked_places(communes, cells)
        return cls._create(
            cls.Assigned,
            organisation=organisation,
            member=code,
            name=clean_text("name", name, NAME_MAX),
            communes=places[0],
            cells=places[1],
            start_on=start_on,
            end_on=end_on,
            **stamp.event_fields(),
        )

    # ---- commands ---------------------------------------------------------------

    def change(
        self,
        *,
        effective_on: date,
        communes: Sequence[str],
        cells: Sequence[str],
        end_on: date,
        reason: str,
        stamp: Stamp,
    ) -> None:
        """From ``effective_on`` on, the member is assigned to ``communes`` and ``cells``,
        until ``end_on`` (the term's last day, moved or not)."""
        self.admit(DutyCommand.CHANGE, stamp)
        if not self.start_on <= effective_on <= self.end_on:
            raise InvalidCommand(
                "effective_on", say("duty.outside_term", start=self.start_on, end=self.end_on)
            )
        if end_on < effective_on:
            raise InvalidCommand("end_on", say("duty.term_reversed"))
        new_communes, new_cells = checked_places(communes, cells)
        span = self.span_on(effective_on)
        if (
            span is not None
            and end_on == self.end_on
            and (set(new_communes), set(new_cells)) == (set(span.communes), set(span.cells))
        ):
            raise InvalidCommand("cells", say("duty.unchanged"))
        self.trigger_event(
            self.Changed,
            effective_on=effective_on,
            communes=new_communes,
            cells=new_cells,
            end_on=end_on,
            reason=clean_text("reason", reason, NOTE_MAX),
            **stamp.event_fields(),
        )

    def end(self, *, ended_on: date, reason: str, stamp: Stamp) -> None:
        """The term ends early: ``ended_on`` is its last day."""
        self.admit(DutyCommand.END, stamp)
        if not self.start_on <= ended_on < self.end_on:
            raise InvalidCommand(
                "ended_on", say("duty.end_outside", start=self.start_on, end=self.end_on)
            )
        self.trigger_event(
            self.Ended,
            ended_on=ended_on,
            reason=clean_text("reason", reason, NOTE_MAX),
            **stamp.event_fields(),
        )

    def admit(self, command: DutyCommand, stamp: Stamp) -> None:
        """The assignment takes the command: from the admin, while its term runs, on a
        business day not before its last."""
        check_duty_permitted(stamp.actor, command)
        if self.status is DutyStatus.ENDED:
            raise InvalidCommand("ended_on", say("duty.ended", day=self.ended_on))
        if stamp.on < self.last_business_date:
            raise InvalidCommand(
                "business_date",
                say("duty.date_before_last", day=stamp.on, last=self.last_business_date),
            )

    # ---- what it says of a day ----------------------------------------------------

    @property
    def last_day(self) -> date:
        """The term's last day: its end, or the day it was ended early."""
        return self.ended_on or self.end_on

    def span_on(self, day: date) -> Span | None:
        return next((s for s in self.spans if s.covers(day)), None)


def changed(
    spans: Sequence[Span],
    effective_on: date,
    end_on: date,
    communes: Sequence[str],
    cells: Sequence[str],
) -> list[Span]:
    """The spans after a change from ``effective_on`` on: those before it kept (the one it
    falls in cut the day before), then the new one to ``end_on``."""
    kept = [s for s in spans if s.start < effective_on]
    if kept and kept[-1].end >= effective_on:
        last = kept[-1]
        kept[-1] = Span(last.start, effective_on - timedelta(days=1), last.communes, last.cells)
    return [*kept, Span(effective_on, end_on, tuple(communes), tuple(cells))]


def ended(spans: Sequence[Span], ended_on: date) -> list[Span]:
    """The spans of a term ended early on ``ended_on`` (its last day)."""
    return [
        Span(s.start, min(s.end, ended_on), s.communes, s.cells)
        for s in spans
        if s.start <= ended_on
    ]


def checked_places(communes: Sequence[str], cells: Sequence[str]) -> tuple[list[str], list[str]]:
    """The communes and cells of an assignment, each once: one of them at least."""
    found: list[list[str]] = []
    for field, given in (("communes", communes), ("cells", cells)):
        names = [clean_text(field, c, CODE_MAX) for c in given]
        if len(set(names)) != len(names):
            raise InvalidCommand(field, say("duty.place_twice"))
        if len(names) > MAX_PLACES:
            raise InvalidCommand(field, say("list.too_many", max_items=MAX_PLACES))
        found.append(names)
    if not found[0] and not found[1]:
        raise InvalidCommand("cells", say("duty.nowhere"))
    return found[0], found[1]


def check_duty_permitted(actor: Actor, command: DutyCommand) -> None:
    """The role check of a command on an assignment: ``NotPermitted``."""
    if actor.role not in ASSIGNERS:
        raise NotPermitted(
            say("duty.role_not_permitted", role=actor.role), role=str(actor.role), command=command
        )


# Every event class an assignment's log can hold.
DUTY_EVENTS = recorded_events(Duty)

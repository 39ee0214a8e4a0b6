"""The queries: what the read models answer, and one petition's state and history, each
with its visibility rule (``usecases.access``). ``PetitionQueries`` is to the reads what
``Petitions`` is to the writes; the HTTP routes and the web pages both ask it."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any, Protocol, TypeVar
from uuid import UUID

from domain.actors import Actor
from domain.errors import InvalidCommand, PetitionNotFound
from domain.messages import say
from domain.organisations import Organisation
from domain.petition import Petition
from domain.reference import District, Province
from domain.vietnam import local_date
from domain.vocabulary import Status
from projections.base import APPLICATION_NAME, View
from projections.overdue import OverdueFilter
from projections.petition_list import PetitionFilter, decode_cursor
from projections.registry import ReadModels
from usecases import access, comparison, scorecard_measures
from usecases.access import UseCase
from usecases.errors import Refused
from usecases.numbers import Numbers
from usecases.people import KnownNames, name_unnamed
from usecases.petitions import Petitions
from usecases.records import describe, event_record

V = TypeVar("V", bound=View)


class QuerySettings(Protocol):
    """The settings the queries read (the service's ``Settings`` has them)."""

    min_position_wait: float
    very_overdue_days: int
    min_answered_for_ranking: int
    backdating_tolerance_days: int
    petition_number_format: str


@dataclass(frozen=True)
class Board:
    """A page of the overdue board, as asked."""

    on: date | None = None
    filter: OverdueFilter = field(default_factory=OverdueFilter)
    sort: str = "days"
    order: str = "desc"
    limit: int = 100
    offset: int = 0
    organisation: str | None = None  # the organisation asked for (None: all the caller sees)


class PetitionQueries:
    def __init__(
        self,
        app: Petitions,
        views: ReadModels,
        settings: QuerySettings,
        known_names: KnownNames | None = None,  # the actors' names the tokens know
    ) -> None:
        self.app, self.views, self.settings = app, views, settings
        self.numbers = Numbers(
            views.petition_list, settings.petition_number_format, app.recorder.max_notification_id
        )
        self.known_names = known_names

    @property
    def province(self) -> Province:
        return self.app.province

    def asked(self, actor: Actor, organisation: str | None) -> frozenset[str] | None:
        """The organisations a read holds: ``organisation`` if asked and the actor may see
        it (an unknown or unseen one is refused as unknown), else all the actor sees."""
        return access.organisations_asked(actor, self.province, organisation)

    # ---- the organisations ----------------------------------------------------------------

    def reference(
        self, actor: Actor, organisation: str | None = None
    ) -> tuple[Organisation, District]:
        """An organisation's reference data: of ``organisation`` if the actor may know of
        it (the province's, which every organisation refers to, included), else of the
        actor's own (the deployment's one organisation for the service's processes)."""
        seen = {o.code: o for o in access.organisations_seen(actor, self.province)}
        code = organisation or actor.organisation
        if code is None:
            only = self.province.only_below()
            code = only.code if only is not None else self.province.code
        if code not in seen:
            raise InvalidCommand("organisation", say("organisation.unknown", code=code))
        return seen[code], self.province.reference(code)

    def organisations(self, actor: Actor) -> list[dict[str, Any]]:
        """The organisations the actor may know of: every one from the province; else its
        own and the province, which it refers petitions to."""
        access.check(actor, UseCase.ORGANISATIONS)
        return [
            {
                "code": o.code,
                "name": o.name,
                "level": str(o.level),
                "parent": o.parent,
                "active_from": o.active_from,
                "active_until": o.active_until,
            }
            for o in access.organisations_seen(actor, self.province)
        ]

    # ---- one petition, read from its events ---------------------------------------------

    def petition(
        self, actor: Actor, petition_id: UUID, *, as_of: datetime | None = None
    ) -> dict[str, Any]:
        """The petition's state, or as it stood at ``as_of``; to a department it was
        never assigned to (as of now), no such petition."""
        access.check(actor, UseCase.READ_PETITION)
        if as_of is not None:
            self.app.dates.check_moment("as_of", as_of)
        current = self.app.load(petition_id)
        access.visible(actor, current, self.app.province)
        state = describe(current) if as_of is None else self.app.state(petition_id, as_of=as_of)
        state["number"] = self.numbers.awaited(petition_id, self.settings.min_position_wait)
        return state

    def history(self, actor: Actor, petition_id: UUID) -> list[dict[str, Any]]:
        """Every event, with its delay and whether it was recorded later than the
        back-dating tolerance allows."""
        access.check(actor, UseCase.READ_HISTORY)
        events = list(self.app.events.get(petition_id))
        petition: Petition | None = None
        for event in events:
            assert isinstance(event, Petition.Event)
            petition = event.mutate(petition)
        if petition is None or not isinstance(events[0], Petition.Raised):
            raise PetitionNotFound(say("petition.not_found", petition_id=petition_id))
        access.visible(actor, petition, self.app.province)
        if not access.reads_notes(actor, petition, self.app.province):
            # the internal notes are kept from every other reader, as if never written
            events = [e for e in events if not isinstance(e, Petition.NoteAdded)]
        tolerance = self.settings.backdating_tolerance_days
        records = self.records(events)
        for record in records:
            record["delay_days"] = (
                local_date(record["recorded_at"]) - record["business_date"]
            ).days
            record["backdated"] = record["delay_days"] > tolerance
        return records

    def notes(self, actor: Actor, petition_id: UUID) -> list[dict[str, Any]]:
        """The petition's internal notes, oldest first, to those who read them
        (``access.reads_notes``); to a department it was never assigned to, no such
        petition."""
        access.check(actor, UseCase.READ_NOTES)
        petition = self.app.load(petition_id)
        access.check_reads_notes(actor, petition, self.app.province)
        notes = [e for e in self.app.events.get(petition_id) if isinstance(e, Petition.NoteAdded)]
        return [
            {
                "version": r["version"],
                "text": r["payload"]["text"],
                "written_on": r["business_date"],
                "recorded_at": r["recorded_at"],
                "actor": r["actor"],
            }
            for r in self.records(notes)
        ]

    def records(self, events: list[Any]) -> list[dict[str, Any]]:
        """The events as plain data, each actor with the organisation it acted for (None:
        recorded before organisations) and its name (``name_unnamed``)."""
        records = [event_record(e) for e in events]
        for record, event in zip(records, events, strict=True):
            assert isinstance(event, Petition.Event)
            record["actor"]["organisation"] = event.actor.organisation
        name_unnamed((r["actor"] for r in records), self.known_names)
        return records

    # ---- the read models ------------------------------------------------------------------

    def caught_up(self, view: V, min_position: int | None) -> V:
        """The view, once it has processed ``min_position`` (waited for, bounded)."""
        if min_position:
            head = self.app.recorder.max_notification_id() or 0
            if min_position > head:
                # Positions come from writes, and every committed write is in the log: a
                # later one was never handed out, so it is the request's mistake.
                raise Refused(
                    "validation_error",
                    say("position.beyond", position=min_position, head=head),
                    fields={"min_position": say("position.beyond_field")},
                )
            try:
                view.wait(APPLICATION_NAME, min_position, timeout=self.settings.min_position_wait)
            except TimeoutError:
                raise Refused(
                    "views_behind",
                    say("views.behind", view=view.name, position=min_position),
                    retry_after=1,
                ) from None
        return view

    def checked_dates(self, **days: date | None) -> None:
        """Each date given is within the service's span (the domain's rule)."""
        for name, day in days.items():
            if day is not None:
                self.app.dates.check(name, day)

    def petitions(
        self,
        actor: Actor,
        petition_filter: PetitionFilter,
        *,
        min_position: int | None = None,
        cursor: str | None = None,
        limit: int = 50,
        organisation: str | None = None,
    ) -> dict[str, Any]:
        """Newest first, filtered; of the organisations the actor sees (or the one asked);
        a department sees only petitions it was ever assigned, a secretary its cell's."""
        access.check(actor, UseCase.LIST_PETITIONS)
        organisations = self.asked(actor, organisation)
        self.checked_dates(
            raised_from=petition_filter.raised_from, raised_to=petition_filter.raised_to
        )
        if cursor is not None:
            try:
                decode_cursor(cursor)
            except ValueError:
                unread = say("cursor.unread")
                raise Refused("validation_error", unread, fields={"cursor": unread}) from None
        view = self.caught_up(self.views.petition_list, min_position)
        scoped = self.numbers.search(access.scoped_filter(actor, petition_filter))
        found = view.find(scoped, cursor=cursor, limit=limit, organisations=organisations)
        self.numbers.of_list_rows(found.items)
        return {"items": found.items, "next_cursor": found.next_cursor}

    def inbox(self, actor: Actor, *, min_position: int | None = None) -> dict[str, Any]:
        """Petitions assigned to the department now, due soonest first."""
        access.check(actor, UseCase.INBOX)
        organisations = access.organisation_scope(actor, self.province)
        view = self.caught_up(self.views.petition_list, min_position)
        items: list[dict[str, Any]] = []
        cursor = None
        while True:
            page = view.find(
                PetitionFilter(status=Status.ASSIGNED, department=actor.department),
                cursor=cursor,
                limit=200,
                organisations=organisations,
            )
            items += page.items
            if page.next_cursor is None:
                break
            cursor = page.next_cursor
        self.numbers.of_list_rows(items)
        items.sort(key=lambda r: (r["due_on"], r["raised_on"]))
        return {"items": items, "next_cursor": None}

    def overdue(
        self, actor: Actor, board: Board, *, min_position: int | None = None
    ) -> dict[str, Any]:
        """Answers and verifications overdue on a date, a page at a time, with the count
        and the totals per department and zone of the whole board; a department sees its
        own."""
        access.check(actor, UseCase.OVERDUE_BOARD)
        organisations = self.asked(actor, board.organisation)
        board_filter = board.filter
        scope = access.department_scope(actor)
        if scope is not None:
            board_filter = replace(board_filter, department=scope)
        day = self.app.dates.check("on", board.on or self.app.today())
        very = self.settings.very_overdue_days
        view = self.caught_up(self.views.overdue, min_position)
        found = view.board(
            day,
            board_filter,
            very_overdue_days=very,
            sort=board.sort,
            order=board.order,
            limit=board.limit,
            offset=board.offset,
            organisations=organisations,
        )
        paused = view.paused(day, board_filter, organisations=organisations)  # not late
        self.numbers.add([*found.items, *paused])
        after = board.offset + len(found.items)
        return {
            "on": day,
            "organisation": only(organisations),
            "very_overdue_days": very,
            "sort": board.sort,
            "order": board.order,
            "limit": board.limit,
            "offset": board.offset,
            "total": found.total,
            "next_offset": after if after < found.total else None,
            "items": found.items,
            "totals": found.totals,
            "paused": paused,
        }

    def scorecards(
        self,
        actor: Actor,
        *,
        start: date | None = None,
        end: date | None = None,
        min_position: int | None = None,
        organisation: str | None = None,
    ) -> dict[str, Any]:
        """Response quality per department for a period (default: this year to date), on
        the petitions of the organisations the actor sees (or the one asked)."""
        access.check(actor, UseCase.SCORECARDS)
        organisations = self.asked(actor, organisation)
        start, end = self.period(start, end)
        view = self.caught_up(self.views.quality, min_position)
        for measured in {m.view for m in scorecard_measures.MEASURES if m.view is not None}:
            self.caught_up(self.views[measured], min_position)
        minimum = self.settings.min_answered_for_ranking
        cards = view.scorecards(start, end, min_answered=minimum, organisations=organisations)
        return {
            "start": start,
            "end": end,
            "organisation": only(organisations),
            "min_answered": minimum,
            "departments": scorecard_measures.merged(self.views, cards, start, end, organisations),
        }

    def period(self, start: date | None, end: date | None) -> tuple[date, date]:
        """``from``..``to`` as asked, each within the service's span (default: this year
        to date); ``from`` after ``to`` is refused."""
        self.checked_dates(**{"from": start, "to": end})
        end = end or self.app.today()
        start = start or end.replace(month=1, day=1)
        if start > end:
            reversed_period = say("period.reversed")
            raise Refused("validation_error", reversed_period, fields={"from": reversed_period})
        return start, end

    def categories(
        self,
        actor: Actor,
        *,
        year: int | None = None,
        zone: str | None = None,
        min_position: int | None = None,
        organisation: str | None = None,
        start: date | None = None,
        end: date | None = None,
    ) -> dict[str, Any]:
        """Counts per category, share of the total, change against the year before: of a
        ``year`` (by default this one) against the previous year, or of the period
        ``start``..``end`` against the same dates a year earlier. Of the organisations the
        actor sees (or the one asked), and of one of their zones if asked."""
        access.check(actor, UseCase.CATEGORY_REPORT)
        organisations = self.asked(actor, organisation)
        if zone is not None:
            owner = self.zone_organisation(actor, zone)
            if organisations is not None and owner not in organisations:
                raise Refused(
                    "not_found", say("zone.unknown", zone=zone, organisation=organisation)
                )
        view = self.caught_up(self.views.categories, min_position)
        if start is None and end is None:
            year = self.app.dates.check_year("year", year or self.app.today().year)
            report = view.report(year, zone, organisations=organisations)
            return {
                **report,
                "organisation": only(organisations),
                "from": date(year, 1, 1),
                "to": date(year, 12, 31),
                "previous_from": date(year - 1, 1, 1),
                "previous_to": date(year - 1, 12, 31),
            }
        if year is not None:
            both = say("period.both")
            raise Refused("validation_error", both, fields={"year": both})
        start, end = self.period(start, end)
        report = view.period_report(start, end, zone, organisations=organisations)
        return {**report, "year": None, "organisation": only(organisations)}

    def packet(
        self, actor: Actor, zone: str, briefing: date, *, min_position: int | None = None
    ) -> dict[str, Any]:
        """What to read out at a zone's briefing: last month's petitions and their answers,
        what is unanswered, awaits the cells' verification, or was committed and is due."""
        access.check(actor, UseCase.BRIEFING_PACKET)
        owner = self.zone_organisation(actor, zone)
        reference = self.province.reference(owner)
        self.app.dates.check("briefing", briefing)
        previous = reference.previous_briefing(zone, briefing) or briefing - timedelta(
            days=reference.answer_period_days
        )
        view = self.caught_up(self.views.briefing_packet, min_position)
        packet = view.packet(zone, previous, briefing, organisations=frozenset({owner}))
        owed = self.caught_up(self.views.commitments, min_position)  # due before the briefing
        packet["commitments_due"] = owed.due(zone, briefing, organisations=frozenset({owner}))
        self.numbers.add(p for part in PACKET_PARTS for p in packet[part])  # one row, one number
        return {**packet, "organisation": owner}

    def backdated(
        self,
        actor: Actor,
        *,
        department: str | None = None,
        start: date | None = None,
        end: date | None = None,
        min_position: int | None = None,
    ) -> dict[str, Any]:
        """Events recorded more than the tolerance after their business date, by
        department and period (of the business date), most delayed first."""
        access.check(actor, UseCase.BACKDATED)
        self.checked_dates(**{"from": start, "to": end})
        tolerance = self.settings.backdating_tolerance_days
        view = self.caught_up(self.views.backdating, min_position)
        items = view.backdated(
            tolerance,
            department=department,
            start=start,
            end=end,
            organisations=access.organisation_scope(actor, self.province),
        )
        name_unnamed(items, self.known_names, id_key="actor_id", name_key="actor_name")
        return {"tolerance_days": tolerance, "items": items}

    def zone_organisation(self, actor: Actor, zone: str) -> str:
        """The organisation whose zone ``zone`` is (codes are unique in a deployment); a
        zone of an organisation the actor may not see is no zone to it."""
        owner = next(
            (code for code, ref in self.province.references.items() if zone in ref.zones), None
        )
        if owner is None or not access.sees_organisation(actor, self.province, owner):
            raise Refused("not_found", say("zone.unknown_here", zone=zone))
        return owner

    def comparison(self, actor: Actor, **asked: Any) -> dict[str, Any]:
        """The organisations compared (``usecases.comparison``)."""
        return comparison.compare(self, actor, **asked)


PACKET_PARTS = ("raised_at_previous", "unanswered", "awaiting_verification", "commitments_due")


def only(organisations: frozenset[str] | None) -> str | None:
    """The one organisation a read holds, if it holds one only (None: several, or all)."""
    if organisations is None or len(organisations) != 1:
        return None
    return next(iter(organisations))

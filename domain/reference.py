"""Reference data of an organisation (a district, a commune, the province): zones,
communes, party cells, departments, categories; and the province with every organisation.

The data itself lives in PostgreSQL (loaded from a seed file by the service); this module
holds the value objects and the look-ups the command handlers validate against.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import TypeVar

from domain.calendar import BriefingCalendar, WorkingDays, days_after
from domain.cell_calendar import BRIEFING, CELL_MEETING, CellCalendars
from domain.errors import InvalidCommand
from domain.messages import say
from domain.organisations import (
    DEFAULT_FOUNDING,
    DEFAULT_PROVINCE_CODE,
    DEFAULT_PROVINCE_NAME,
    Level,
    Organisation,
)
from domain.vocabulary import Clearance

T = TypeVar("T")


def known(table: dict[str, T], code: str, field_name: str) -> T:
    """The entry of ``table`` under ``code``; a command naming an unknown one is invalid."""
    try:
        return table[code]
    except KeyError:
        unknown = "organisation.unknown" if field_name == "organisation" else "reference.unknown"
        raise InvalidCommand(field_name, say(unknown, code=code)) from None


@dataclass(frozen=True)
class Category:
    code: str
    label: str  # Vietnamese, as the district's statistics name it
    label_en: str
    department: str | None = None  # the department its petitions go to by default


CATEGORIES: tuple[Category, ...] = (
    Category("agriculture", "Sản xuất nông nghiệp, thủy lợi", "agriculture and irrigation"),
    Category("transport", "Giao thông – xây dựng", "transport and construction"),
    Category("environment", "Tài nguyên, môi trường", "natural resources and environment"),
    Category("services", "Dịch vụ", "services"),
    Category("policy", "Chế độ chính sách", "social policies and benefits"),
    Category("security", "An ninh trật tự", "security and public order"),
    Category("party", "Công tác đảng", "party work"),
    Category("other", "Khác", "other"),
)


@dataclass(frozen=True)
class Former:
    """A name something bore until ``until``, the day its next name took effect."""

    name: str
    until: date


@dataclass(frozen=True)
class Named:
    """What is renamed or retired over time (a cell, a department): its name now, the
    names it bore before (``former``, oldest first) and the day it was retired, if it was;
    a petition of an earlier day reads the name of then, and nothing new chooses it once
    retired."""

    code: str
    name: str
    former: tuple[Former, ...] = field(default=(), kw_only=True)
    retired_on: date | None = field(default=None, kw_only=True)

    def name_on(self, day: date | None) -> str:
        """The name valid on ``day`` (None: today's)."""
        if day is not None:
            for before in self.former:
                if day < before.until:
                    return before.name
        return self.name

    def open_on(self, day: date) -> bool:
        """Whether it may be chosen on ``day``: not retired by then."""
        return self.retired_on is None or day < self.retired_on


def check_open(thing: Named, day: date, field_name: str) -> Named:
    """``thing``, unless it was retired by ``day`` (then the command naming it is invalid)."""
    if not thing.open_on(day):
        assert thing.retired_on is not None
        raise InvalidCommand(
            field_name,
            say("reference.retired", code=thing.code, day=thing.retired_on),
            retired_on=thing.retired_on.isoformat(),
        )
    return thing


@dataclass(frozen=True)
class Zone:
    """A cluster of communes holding one secretary briefing a month, by its ``calendar``
    (None where the zone keeps none)."""

    code: str
    name: str
    calendar: BriefingCalendar | None


@dataclass(frozen=True)
class Commune:
    code: str
    name: str
    zone: str | None  # a district's commune is in one zone; a commune's zones hold its cells


@dataclass(frozen=True)
class Cell(Named):
    """A grassroots party cell (chi bộ)."""

    commune: str
    zone: str | None = None  # a commune's cell names its zone; a district's is its commune's


@dataclass(frozen=True)
class Department(Named):
    """A district department (phòng, ban, ngành) that answers petitions."""


@dataclass(frozen=True)
class District:
    """All reference data of one organisation (a district, a commune; the province has
    departments only), indexed by code."""

    name: str
    zones: dict[str, Zone]
    communes: dict[str, Commune]
    cells: dict[str, Cell]
    departments: dict[str, Department]
    categories: dict[str, Category] = field(default_factory=lambda: {c.code: c for c in CATEGORIES})
    answer_period_days: int = 30
    min_working_days: int = 5
    working_days: WorkingDays = field(default_factory=WorkingDays)
    organisation: str = ""  # the code of the organisation it is the reference data of
    cell_meetings: CellCalendars = field(default_factory=CellCalendars)
    due_after: str = BRIEFING  # what a default due date follows (``domain.cell_calendar``)
    clearance: Clearance = Clearance.NONE  # who clears its written answers (domain.clearance)

    def cell(self, code: str) -> Cell:
        return known(self.cells, code, "cell")

    def department(self, code: str) -> Department:
        return known(self.departments, code, "department")

    def cell_on(self, code: str, day: date) -> Cell:
        """The cell a new petition of ``day`` names: known, and not retired by then."""
        cell = self.cell(code)
        check_open(cell, day, "cell")
        return cell

    def department_on(self, code: str, day: date) -> Department:
        """The department a command of ``day`` gives a petition to: not retired by then."""
        department = self.department(code)
        check_open(department, day, "department")
        return department

    def category(self, code: str) -> Category:
        return known(self.categories, code, "category")

    def zone_of_cell(self, cell_code: str) -> Zone:
        cell = self.cell(cell_code)
        zone = cell.zone or self.communes[cell.commune].zone
        assert zone is not None, f"cell {cell_code} is in no zone"
        return self.zones[zone]

    def next_briefing(self, zone_code: str, after: date) -> date | None:
        """The zone's first briefing strictly after ``after``, if it keeps a calendar."""
        zone_calendar = self.zones[zone_code].calendar
        return None if zone_calendar is None else zone_calendar.next_after(after)

    def previous_briefing(self, zone_code: str, before: date) -> date | None:
        """The zone's last briefing strictly before ``before``, if it keeps a calendar."""
        zone_calendar = self.zones[zone_code].calendar
        return None if zone_calendar is None else zone_calendar.previous_before(before)

    def cell_calendar(self, cell_code: str) -> BriefingCalendar | None:
        """The calendar the cell meets by (its own, its commune's, the organisation's)."""
        cell = self.cell(cell_code)
        return self.cell_meetings.of(cell.code, cell.commune)

    def next_cell_meeting(self, cell_code: str, after: date) -> date | None:
        """The cell's first meeting strictly after ``after``, if it keeps a calendar."""
        cell_calendar = self.cell_calendar(cell_code)
        return None if cell_calendar is None else cell_calendar.next_after(after)

    def due_follows(self, cell_code: str | None) -> str:
        """What a default due date of a petition of the cell follows: the cell's next
        meeting where the organisation says so and the cell keeps a calendar, else the
        zone's next briefing."""
        if self.due_after == CELL_MEETING and cell_code and self.cell_calendar(cell_code):
            return CELL_MEETING
        return BRIEFING

    def default_due_date(self, zone_code: str, assigned_on: date, cell: str | None = None) -> date:
        """The next meeting after ``assigned_on`` that leaves at least ``min_working_days``
        working days to answer (else the one after): the zone's briefing, or the cell's
        meeting where the organisation's due dates follow them (``due_follows``); without
        a calendar, ``answer_period_days`` later."""
        if self.due_follows(cell) == CELL_MEETING:
            assert cell is not None
            return self.due_by(partial(self.next_cell_meeting, cell), assigned_on)
        return self.due_by(partial(self.next_briefing, zone_code), assigned_on)

    def due_by(self, following: Callable[[date], date | None], assigned_on: date) -> date:
        meeting = following(assigned_on)
        if meeting is None:
            return days_after(assigned_on, self.answer_period_days)
        while self.working_days.between(assigned_on, meeting) < self.min_working_days:
            meeting = following(meeting)
            assert meeting is not None
        return meeting

    def due_basis(self, zone_code: str | None, cell_code: str | None, due_on: date) -> str | None:
        """Which meeting ``due_on`` is the day of: the cell's (where due dates follow cell
        meetings), else the zone's briefing; None for a day of neither."""
        cell_calendar = self.cell_calendar(cell_code) if cell_code in self.cells else None
        zone = self.zones.get(zone_code or "")
        found = [
            basis
            for basis, kept in (
                (CELL_MEETING, cell_calendar),
                (BRIEFING, zone.calendar if zone is not None else None),
            )
            if kept is not None and kept.holds(due_on)
        ]
        if len(found) > 1:
            return self.due_follows(cell_code)
        return found[0] if found else None


@dataclass(frozen=True)
class Province:
    """A deployment's organisations: the province and those below it, each with its
    reference data, and the founding organisation, which events recorded before
    organisations existed belong to."""

    code: str
    organisations: dict[str, Organisation]  # the province's own included
    references: dict[str, District]  # by organisation code
    founding: str | None = None

    @property
    def province(self) -> Organisation:
        return self.organisations[self.code]

    def organisation(self, code: str) -> Organisation:
        return known(self.organisations, code, "organisation")

    def reference(self, code: str) -> District:
        return self.references[self.organisation(code).code]

    def below(self) -> list[Organisation]:
        """The organisations under the province, by code."""
        return [o for code, o in sorted(self.organisations.items()) if code != self.code]

    def only_below(self) -> Organisation | None:
        """The single organisation under the province, if there is exactly one."""
        below = self.below()
        return below[0] if len(below) == 1 else None

    def department_of(self, code: str) -> str | None:
        """The organisation a department belongs to (None: no such department)."""
        return next((o for o, r in self.references.items() if code in r.departments), None)


def single(
    reference: District,
    *,
    province_code: str = DEFAULT_PROVINCE_CODE,
    province_name: str = DEFAULT_PROVINCE_NAME,
) -> Province:
    """The deployment of one district (the reference data ``reference``, of the code it
    names or ``DEFAULT_FOUNDING``) under a province without departments of its own: the
    service as it was before organisations, and its founding organisation."""
    code = reference.organisation or DEFAULT_FOUNDING
    province = Organisation(province_code, province_name, Level.PROVINCE, None, date.min)
    district = Organisation(code, reference.name, Level.DISTRICT, province_code, date.min)
    return Province(
        province_code,
        {province_code: province, code: district},
        {
            province_code: District(province_name, {}, {}, {}, {}, organisation=province_code),
            code: reference,
        },
        founding=code,
    )

"""The calendars' rows read back: each zone's and each cells' calendar with its moved and
cancelled meetings, and every organisation's ``CellCalendars`` (its own rule, else the
province's, and the rules its communes and cells keep of their own)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from domain.calendar import BriefingCalendar, BriefingRule
from domain.cell_calendar import CellCalendars

Row = Mapping[str, Any]


@dataclass
class Exceptions:
    """The meetings moved (scheduled -> held on) and cancelled, by the calendar's owner."""

    moved: dict[str, dict[date, date]] = field(default_factory=lambda: defaultdict(dict))
    cancelled: dict[str, set[date]] = field(default_factory=lambda: defaultdict(set))

    @classmethod
    def of(cls, rows: Iterable[Row], owner: str) -> Exceptions:
        found = cls()
        for r in rows:
            if r["held_on"] is None:
                found.cancelled[r[owner]].add(r["scheduled"])
            else:
                found.moved[r[owner]][r["scheduled"]] = r["held_on"]
        return found

    def calendar(self, code: str, rule: str | None) -> BriefingCalendar | None:
        """The calendar ``code`` keeps by ``rule`` (None: it keeps none)."""
        if not rule:
            return None
        return BriefingCalendar(
            BriefingRule.parse(rule),
            moved=dict(self.moved[code]),
            cancelled=frozenset(self.cancelled[code]),
        )


def cell_calendars(
    province: str,
    organisations: Mapping[str, Row],
    exceptions: Iterable[Row],
    owned: Mapping[str, Mapping[str, Sequence[Row]]],
) -> dict[str, CellCalendars]:
    """Every organisation's cells' calendars, from the rows of ``ref_organisations``,
    ``ref_cell_meeting_exceptions`` and each one's communes and cells (``owned``)."""
    found = Exceptions.of(exceptions, "code")
    provincial = found.calendar(province, organisations[province]["cell_meeting_rule"])
    calendars = {}
    for code, row in organisations.items():
        own = found.calendar(code, row["cell_meeting_rule"])
        overrides = {
            r["code"]: kept
            for table in ("ref_communes", "ref_cells")
            for r in owned.get(code, {}).get(table, [])
            if (kept := found.calendar(r["code"], r["cell_meeting_rule"])) is not None
        }
        calendars[code] = CellCalendars(
            own or provincial, own is None and provincial is not None, overrides
        )
    return calendars

"""The party cells' own calendar of meetings, beside the zones' briefings.

An organisation's cells meet by one rule (``BriefingRule``: "the 3rd of every month"),
its own or, where it keeps none, the province's (Quảng Ninh: every cell on the 3rd,
province-wide); a commune or a cell may keep a rule of its own instead. Each calendar
has its exceptions, as a zone's has: a meeting moved to another day, or cancelled.

Which calendar an assignment's default due date follows is the organisation's setting
(``DUE_AFTER``): the zone's next briefing (as always), or the cell's next meeting.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from domain.calendar import BriefingCalendar

BRIEFING, CELL_MEETING = "briefing", "cell_meeting"
DUE_AFTER = (BRIEFING, CELL_MEETING)  # what a default due date follows: the setting's values
# What each means on the pages, in the words of the meeting it follows
DUE_AFTER_VI = {BRIEFING: "hội nghị giao ban của cụm", CELL_MEETING: "buổi sinh hoạt chi bộ"}


@dataclass(frozen=True)
class CellCalendars:
    """An organisation's cell meetings: its calendar (``inherited`` from the province's
    where it keeps none of its own), and the calendars a commune or a cell keeps instead,
    by the commune's or cell's code."""

    organisation: BriefingCalendar | None = None
    inherited: bool = False
    overrides: Mapping[str, BriefingCalendar] = field(default_factory=dict)

    def of(self, cell: str, commune: str) -> BriefingCalendar | None:
        """The calendar the cell meets by: its own, else its commune's, else the
        organisation's (None: the cell keeps no calendar)."""
        return self.overrides.get(cell) or self.overrides.get(commune) or self.organisation

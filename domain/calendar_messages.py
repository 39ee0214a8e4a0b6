"""The English refusals of the calendars' periods and of scheduling meetings from the
calendar (merged into ``domain.messages.ENGLISH``; ``api.calendar_messages`` says them in
Vietnamese)."""

from __future__ import annotations

CALENDAR_ENGLISH: dict[str, str] = {
    "briefing_rule.period": "{field}: every month, every N months from a month, or named months",
    "briefing_rule.every": "{field}: every 2 to {most} months, counted from a month YYYY-MM",
    "briefing_rule.months": "{field}: the months are 1 to 12, each named once",
    "meeting_calendar.span": "{field}: a period of at most {most} days",
    "meeting_calendar.members": "{field}: name the members expected at the cell meetings",
}

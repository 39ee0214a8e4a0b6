"""The English of the refusals of the meetings' information requests and reports, merged
into ``domain.messages.ENGLISH`` (``api.meeting_report_messages`` has their Vietnamese)."""

from __future__ import annotations

MEETING_REPORTS_ENGLISH: dict[str, str] = {
    "information.no_agenda": "the departments are asked for information with the agenda",
    "information.asked": "the departments were already asked for their information",
    "information.not_asked": "{field}: {department} was not asked for information",
    "information.came": "{field}: the information of {department} came on {day} already",
    "forbidden.other_department_information": (
        "a department says only that its own information came"
    ),
}

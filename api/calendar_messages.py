"""The Vietnamese refusals of the calendars' periods and of scheduling meetings from the
calendar (merged into ``api.messages.VIETNAMESE``, beside ``domain.calendar_messages``)."""

from __future__ import annotations

CALENDAR_VIETNAMESE: dict[str, str] = {
    "briefing_rule.period": (
        "«{field}»: hằng tháng, vài tháng một lần từ một tháng, hoặc vào những tháng đã chọn."
    ),
    "briefing_rule.every": (
        "«{field}»: từ 2 đến {most} tháng một lần, tính từ một tháng (năm-tháng)."
    ),
    "briefing_rule.months": "«{field}»: các tháng từ 1 đến 12, mỗi tháng một lần.",
    "meeting_calendar.span": "«{field}»: một khoảng thời gian không quá {most} ngày.",
    "meeting_calendar.members": "«{field}»: hãy ghi những người dự các buổi sinh hoạt chi bộ.",
}

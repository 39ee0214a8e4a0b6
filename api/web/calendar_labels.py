"""What the calendars' fields are called: the period of a rule, whose cells' calendar a
change is of, what a due date follows, and scheduling from the calendar (merged into
``api.web.labels.FIELDS``)."""

from __future__ import annotations

from api.web.i18n import N_

CALENDAR_FIELDS = {
    "period": N_("Bao lâu họp một lần"),
    "every": N_("Số tháng một lần"),
    "anchor": N_("Tính từ tháng"),
    "months": N_("Các tháng họp"),
    "owner": N_("Lịch của"),
    "cell_meeting_rule": N_("Lịch sinh hoạt chi bộ"),
    "due_after": N_("Hạn trả lời theo"),
    "kinds": N_("Loại hội nghị"),
    "cell_members": N_("Cấp ủy viên dự từng chi bộ"),
}
# What a due date left to the calendar may follow (``domain.cell_calendar.DUE_AFTER``)
DUE_AFTER_LABELS = {
    "briefing": N_("Hội nghị giao ban tiếp theo của cụm"),
    "cell_meeting": N_("Buổi sinh hoạt tiếp theo của chi bộ"),
}
# What a due date left blank follows, on the assignment's form (by ``District.due_follows``)
DUE_HINTS = {
    "briefing": N_("Hạn trả lời (để trống: theo lịch giao ban của cụm)"),
    "cell_meeting": N_("Hạn trả lời (để trống: theo lịch sinh hoạt của chi bộ)"),
}
# Which meeting's day a due date is (``District.due_basis``), beside it on the petition
DUE_BASIS_LABELS = {
    "briefing": N_("ngày giao ban của cụm"),
    "cell_meeting": N_("ngày sinh hoạt của chi bộ"),
}
# How often a rule meets (``domain.calendar.PERIODS``)
PERIOD_LABELS = {
    "monthly": N_("Hằng tháng"),
    "every": N_("Vài tháng một lần"),
    "months": N_("Vào những tháng nhất định"),
}

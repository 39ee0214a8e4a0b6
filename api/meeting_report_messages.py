"""The Vietnamese of the refusals of the meetings' information requests and reports,
merged into ``api.messages.VIETNAMESE`` (the English: ``domain.meeting_report_messages``)."""

from __future__ import annotations

MEETING_REPORTS_VIETNAMESE: dict[str, str] = {
    "information.no_agenda": "Đề nghị cung cấp thông tin được gửi cùng chương trình hội nghị.",
    "information.asked": "Đã gửi đề nghị cung cấp thông tin cho các đơn vị.",
    "information.not_asked": "«{field}»: {department} không được đề nghị cung cấp thông tin.",
    "information.came": "«{field}»: thông tin của {department} đã nhận ngày {day}.",
    "forbidden.other_department_information": (
        "Đơn vị chỉ ghi nhận thông tin của chính mình đã gửi."
    ),
}

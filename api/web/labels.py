"""What the pages call the codes they show, in Vietnamese (translated where shown)."""

from __future__ import annotations

from api.web.i18n import N_

STATUSES = {
    "raised": N_("Mới tiếp nhận"),
    "assigned": N_("Đã giao"),
    "answered": N_("Đã trả lời"),
    "closed": N_("Đã kết thúc"),
    "withdrawn": N_("Đã rút"),
    "merged": N_("Đã gộp"),
}
KINDS = {"reflection": N_("Phản ánh"), "proposal": N_("Kiến nghị, đề xuất")}
CHANNELS = {"meeting": N_("Tại hội nghị giao ban"), "written_report": N_("Báo cáo bằng văn bản")}
VERDICTS = {
    "satisfied": N_("Hài lòng"),
    "partially_satisfied": N_("Hài lòng một phần"),
    "unsatisfied": N_("Chưa hài lòng"),
}
FLAGS = {
    "generic": N_("Trả lời chung chung"),
    "unpersuasive": N_("Thiếu tính thuyết phục"),
    "off_topic": N_("Chưa đúng vấn đề"),
}
OVERDUE_KINDS = {"answer": N_("Chưa trả lời"), "verification": N_("Chưa xác minh")}
ROLES = {
    "clerk": N_("Văn phòng Huyện ủy"),
    "committee": N_("Ban Thường vụ"),
    "department": N_("Phòng, ban, ngành"),
    "auditor": N_("Ủy ban Kiểm tra"),
    "admin": N_("Quản trị"),
    "system": N_("Hệ thống"),
}
EVENTS = {
    "Raised": N_("Ghi nhận ý kiến"),
    "Assigned": N_("Giao đơn vị trả lời"),
    "Reassigned": N_("Giao lại đơn vị khác"),
    "AssignmentDeclined": N_("Đơn vị từ chối nhận"),
    "DeadlineExtended": N_("Gia hạn trả lời"),
    "AnsweredInWriting": N_("Trả lời bằng văn bản"),
    "AnsweredOnTheSpot": N_("Trả lời tại hội nghị"),
    "Verified": N_("Xác minh kết quả"),
    "Reopened": N_("Mở lại"),
    "Escalated": N_("Báo cáo vượt cấp"),
    "ReminderIssued": N_("Nhắc hạn"),
    "Withdrawn": N_("Rút ý kiến"),
    "MergedInto": N_("Gộp vào ý kiến khác"),
    "Closed": N_("Kết thúc"),
}
# The fields of an event's payload shown in the timeline, in this order.
PAYLOAD_FIELDS = {
    "department": N_("Đơn vị"),
    "from_department": N_("Đơn vị trước"),
    "due_on": N_("Hạn"),
    "document_number": N_("Số văn bản"),
    "document_date": N_("Ngày văn bản"),
    "signer": N_("Người ký"),
    "answered_by": N_("Người trả lời"),
    "verdict": N_("Kết quả"),
    "flags": N_("Nhận xét"),
    "reason": N_("Lý do"),
    "note": N_("Ghi chú"),
    "comment": N_("Ý kiến"),
    "text": N_("Nội dung"),
    "rule": N_("Quy tắc"),
    "target_id": N_("Gộp vào"),
}
# Flash messages after a write, by the action that was done.
DONE = {
    "assign": N_("Đã giao đơn vị trả lời."),
    "extend": N_("Đã gia hạn."),
    "escalate": N_("Đã báo cáo vượt cấp."),
    "close": N_("Đã kết thúc ý kiến."),
    "answer": N_("Đã gửi văn bản trả lời."),
    "decline": N_("Đã từ chối nhận ý kiến."),
    "spot": N_("Đã ghi nhận trả lời tại hội nghị."),
    "verify": N_("Đã ghi nhận kết quả xác minh."),
    "raised": N_("Đã ghi nhận các ý kiến của hội nghị."),
    "verified": N_("Đã ghi nhận kết quả xác minh tại hội nghị."),
}

# What a field's value was wrong with, by pydantic's error type (others: "Không hợp lệ").
FIELD_ERRORS = {
    "missing": N_("Cần nhập"),
    "string_too_short": N_("Cần nhập"),
    "string_too_long": N_("Quá dài"),
    "too_long": N_("Quá nhiều"),
    "literal_error": N_("Hãy chọn một giá trị trong danh sách"),
    "enum": N_("Hãy chọn một giá trị trong danh sách"),
    "date_parsing": N_("Ngày không hợp lệ"),
    "date_from_datetime_parsing": N_("Ngày không hợp lệ"),
    "date_type": N_("Ngày không hợp lệ"),
    "string_pattern_mismatch": N_("Có ký tự không được phép"),
}
INVALID = N_("Không hợp lệ")
LETTER_TOO_LARGE = N_("Tệp lớn hơn giới hạn cho phép")
NOT_A_LETTER = N_("Chỉ nhận tệp PDF, PNG hoặc JPEG")

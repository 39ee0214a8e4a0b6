"""Vietnamese wording of the refusals of commands on meetings (the domain's own messages
are in English); ``api.wording`` asks here first."""

from __future__ import annotations

from domain.errors import DomainError
from domain.meeting import MEETING_LIFECYCLE
from domain.vocabulary import MeetingCommand, MeetingStatus

# keyed by the members, which are their values
VERBS: dict[str, str] = {
    MeetingCommand.SCHEDULE: "lên lịch",
    MeetingCommand.MOVE: "dời",
    MeetingCommand.CANCEL: "hủy",
    MeetingCommand.SEND_NOTICE: "gửi thông báo triệu tập",
    MeetingCommand.ISSUE_AGENDA: "phát hành chương trình",
    MeetingCommand.HOLD: "ghi nhận việc tổ chức",
    MeetingCommand.RECORD_MINUTES: "ghi biên bản",
    MeetingCommand.CLOSE: "kết thúc",
}
# A refusal names the command by its rule's verb ("record the minutes of").
BY_VERB = {rule.verb: VERBS[command] for command, rule in MEETING_LIFECYCLE.items()}
STATUSES: dict[str, str] = {
    MeetingStatus.SCHEDULED: "đã lên lịch",
    MeetingStatus.HELD: "đã tổ chức",
    MeetingStatus.MINUTED: "đã có biên bản",
    MeetingStatus.CLOSED: "đã kết thúc",
    MeetingStatus.CANCELLED: "đã hủy",
}
FIELDS = {
    "attendance": "điểm danh",
    "minutes_late": "số phút đến muộn",
    "recipients": "người được thông báo",
    "required_days": "số ngày báo trước",
    "scheduled_on": "ngày họp",
    "chair": "người chủ trì",
    "members": "cấp ủy viên dự",
    "member": "cấp ủy viên dự họp",
    "petitions": "ý kiến trong chương trình",
    "petitions_raised": "ý kiến nêu tại hội nghị",
    "answers_read": "trả lời được đọc",
    "verdicts": "kết quả xác minh",
    "zone": "khu vực",
    "raised_on": "ngày nêu",
    "verified_on": "ngày xác minh",
    "person": "người dự",
    "commune": "xã",
}


def vietnamese(error: DomainError) -> str | None:
    """The refusal in Vietnamese if it is a meeting's (None: not one said here)."""
    details = error.details
    if error.code == "meeting_out_of_order":
        if "frozen" in error.message:
            return "Chương trình hội nghị đã phát hành, không thay đổi được."
        verb = BY_VERB.get(str(details.get("command", "")), str(details.get("command", "")))
        status = STATUSES.get(str(details.get("status", "")), str(details.get("status", "")))
        return f"Không thể {verb} hội nghị đang ở trạng thái «{status}»."
    if error.code == "meeting_not_found":
        return "Không tìm thấy hội nghị."
    if error.code == "not_permitted" and details.get("command") in VERBS:
        return (
            f"Vai trò «{details.get('role', '')}» không được phép "
            f"{VERBS[str(details['command'])]} hội nghị."
        )
    if error.message.startswith("the meeting"):
        if error.code == "stale_version":
            return (
                f"Hội nghị đã ở phiên bản {details.get('current_version', '')}, "
                "khác phiên bản trong If-Match."
            )
        if error.code == "concurrent_update":
            return "Hội nghị vừa được người khác cập nhật; hãy tải lại rồi thử lại."
    field = str(details.get("field", ""))
    if error.code == "invalid_command" and field in FIELDS:
        return f"Giá trị «{FIELDS[field]}» không hợp lệ ({error.message})."
    return None

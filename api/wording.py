"""Vietnamese wording of domain refusals (the domain's own messages are in English)."""

from __future__ import annotations

from api import meeting_wording
from domain.errors import DomainError
from domain.vocabulary import Status

COMMANDS = {
    "assign": "giao",
    "decline": "từ chối nhận",
    "extend the deadline of": "gia hạn",
    "answer": "trả lời",
    "answer on the spot": "ghi nhận trả lời tại hội nghị",
    "verify": "ghi nhận kết quả xác minh",
    "escalate": "báo cáo vượt cấp",
    "withdraw": "rút",
    "merge": "gộp",
    "close": "kết thúc",
    "reopen": "mở lại",
    "raise": "ghi nhận",
    "extend_deadline": "gia hạn",
    "answer_in_writing": "trả lời bằng văn bản",
    "answer_on_the_spot": "ghi nhận trả lời tại hội nghị",
    "refer": "chuyển lên tỉnh",
    "return the referral of": "trả lại",
    "return_referral": "trả lại",
    "add a note to": "ghi chú nội bộ vào",
    "note": "ghi chú nội bộ",
}
# keyed by the members, which are their values: a refusal's status string finds its label
STATUSES: dict[str, str] = {
    Status.RAISED: "mới tiếp nhận",
    Status.ASSIGNED: "đã giao",
    Status.ANSWERED: "đã trả lời",
    Status.CLOSED: "đã kết thúc",
    Status.WITHDRAWN: "đã rút",
    Status.MERGED: "đã gộp",
}
FIELDS = {
    "summary": "tóm tắt",
    "text": "nội dung",
    "cell": "chi bộ",
    "category": "lĩnh vực",
    "department": "đơn vị",
    "business_date": "ngày",
    "due_on": "hạn trả lời",
    "document_date": "ngày văn bản",
    "document_number": "số văn bản",
    "signer": "người ký",
    "verdict": "kết quả xác minh",
    "flags": "nhận xét",
    "kind": "loại",
    "channel": "kênh",
    "meeting": "hội nghị",
    "raised_by": "người phản ánh",
    "reason": "lý do",
    "attachments": "tệp đính kèm",
    "verify_by": "ngày xác minh",
    "target": "ý kiến cần gộp vào",
    "into": "ý kiến cần gộp vào",
    "petition": "ý kiến",
    "confirm": "xác nhận",
    "idempotency_key": "khóa Idempotency-Key",
    "actor": "người thực hiện",
    "answered_by": "người trả lời",
    "note": "ghi chú",
    "comment": "ý kiến",
    "date": "ngày",
    "on": "ngày",
    "from": "từ ngày",
    "to": "đến ngày",
    "briefing": "ngày hội nghị",
    "year": "năm",
    "as_of": "thời điểm",
    "raised_from": "nêu từ ngày",
    "raised_to": "nêu đến ngày",
    "organisation": "tổ chức",
}


def vietnamese(error: DomainError) -> str:
    meeting = meeting_wording.vietnamese(error)
    if meeting is not None:
        return meeting
    details = error.details
    command = COMMANDS.get(str(details.get("command", "")), str(details.get("command", "")))
    status = STATUSES.get(str(details.get("status", "")), str(details.get("status", "")))
    field = str(details.get("field", ""))
    return {
        "illegal_transition": f"Không thể {command} ý kiến đang ở trạng thái «{status}».",
        "wrong_department": f"Không thể {command}: ý kiến không giao cho đơn vị của bạn.",
        "invalid_command": f"Giá trị «{FIELDS.get(field, field)}» không hợp lệ ({error.message}).",
        "not_permitted": f"Vai trò «{details.get('role', '')}» không được phép {command}.",
        "petition_not_found": "Không tìm thấy ý kiến.",
        "stale_version": f"Ý kiến đã ở phiên bản {details.get('current_version', '')}, "
        "khác phiên bản trong If-Match.",
        "concurrent_update": "Ý kiến vừa được người khác cập nhật; hãy tải lại rồi thử lại.",
        "idempotency_key_reused": "Khóa Idempotency-Key này đã dùng cho một ý kiến khác.",
    }.get(error.code, error.message)

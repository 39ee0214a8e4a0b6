"""The refusals of lead and coordinating departments in Vietnamese, naming the same values
as ``domain.coordination_messages``: merged into ``api.messages.VIETNAMESE``."""

from __future__ import annotations

COORDINATION_VIETNAMESE: dict[str, str] = {
    "coordination.too_many": "«{field}»: giao phối hợp tối đa {count} đơn vị.",
    "coordination.lead_named": "«{field}»: đơn vị chủ trì không đồng thời là đơn vị phối hợp.",
    "coordination.twice": "«{field}»: một đơn vị phối hợp được ghi hai lần.",
    "coordination.after_lead": (
        "«{field}»: hạn gửi ý kiến phối hợp không được sau hạn trả lời của đơn vị chủ trì"
        " ({due_on})."
    ),
    "coordination.not_coordinator": "«{field}»: đơn vị không được giao phối hợp ý kiến này.",
    "coordination.already_sent": "«{field}»: đơn vị đã gửi ý kiến phối hợp rồi.",
    "coordination.already_waived": "«{field}»: Ban Thường vụ đã miễn phần phối hợp của đơn vị.",
    "coordination.waive_none": "«{field}»: hãy chọn đơn vị phối hợp được miễn.",
    "coordination.not_outstanding": (
        "«{field}»: chỉ miễn phần phối hợp còn thiếu, mỗi đơn vị một lần."
    ),
    "coordination.missing": (
        "Chưa thể ghi nhận văn bản trả lời: còn thiếu ý kiến phối hợp của {departments}."
        " Các đơn vị này gửi ý kiến, hoặc Ban Thường vụ miễn phần còn thiếu."
    ),
    "coordination.letter_after": "«{field}» không được sau ngày gửi ý kiến phối hợp.",
    "forbidden.not_coordinator": "Ý kiến phối hợp do đơn vị được giao phối hợp gửi.",
}

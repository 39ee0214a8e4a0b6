"""The refusals of the clearance of written answers, in Vietnamese: merged into
``api.messages.VIETNAMESE`` (their English is ``domain.clearance_messages``)."""

from __future__ import annotations

CLEARANCE_VIETNAMESE: dict[str, str] = {
    "clearance.held": ("Văn bản trả lời đang chờ thẩm định: hãy thẩm định hoặc trả lại trước."),
    "clearance.not_held": "Ý kiến này không có văn bản trả lời nào đang chờ thẩm định.",
    "clearance.reason_on_accept": "«{field}»: văn bản được đồng ý thì không có lý do trả lại.",
    "forbidden.clear_office": "Văn phòng thẩm định văn bản trả lời này.",
    "forbidden.clear_committee": "Thường trực cấp ủy thẩm định văn bản trả lời này.",
}

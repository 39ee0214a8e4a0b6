"""The refusals of an answer's commitment in Vietnamese, naming the same values as
``domain.commitment_messages``: merged into ``api.messages.VIETNAMESE``."""

from __future__ import annotations

COMMITMENT_VIETNAMESE: dict[str, str] = {
    "commitment.cost": "«{field}»: kinh phí là số đồng nguyên, từ 0 đến {limit}.",
    "commitment.percent": (
        "«{field}»: tiến độ là phần trăm từ 0 đến 99; khi hoàn thành, hãy ghi nhận hoàn thành"
        " kèm minh chứng."
    ),
    "commitment.due_after_answer": "«{field}»: hạn thực hiện cam kết phải sau ngày trả lời.",
    "commitment.with_answer": "«{field}»: cam kết chỉ được ghi cùng văn bản trả lời.",
    "commitment.media_type": (
        "Hãy gửi kết quả thực hiện dạng application/json, hoặc kèm minh chứng dạng"
        " multipart/form-data."
    ),
    "transition.no_commitment": "Trả lời của ý kiến này không có cam kết nào còn phải thực hiện.",
    "transition.commitment_unbound": (
        "Ý kiến đã kết thúc khi chi bộ chưa xác minh câu trả lời: cam kết của câu trả lời"
        " không còn phải theo dõi."
    ),
}

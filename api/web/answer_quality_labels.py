"""What the pages call the parts of the answers' advisory score (``domain.answer_quality``),
in Vietnamese (translated where shown)."""

from __future__ import annotations

from api.web.i18n import N_

SCORE_PARTS = {
    "reuse": N_("Trùng với trả lời khác"),
    "off_petition": N_("Ít bám nội dung kiến nghị"),
    "unspecific": N_("Thiếu chi tiết cụ thể"),
    "brevity": N_("Quá ngắn"),
}
SCORE_DETAILS = {
    "date": N_("ngày tháng"),
    "amount": N_("số liệu"),
    "place": N_("địa điểm"),
    "document": N_("văn bản"),
}
# The report's query fields (``api.answer_quality``), as a refusal names them.
ANSWER_QUALITY_FIELDS = {"likely_generic": N_("Chỉ trả lời có thể chung chung")}

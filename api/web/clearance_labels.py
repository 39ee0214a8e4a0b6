"""What the pages call the clearance of written answers (``domain.clearance``), in
Vietnamese (translated where shown): merged into ``api.web.labels``' tables."""

from __future__ import annotations

from api.web.i18n import N_
from domain.vocabulary import Clearance, ClearanceDecision, Command, ReturnReason

CLEARANCE_FIELDS = {
    "clearance": N_("Thẩm định văn bản trả lời"),
    "clearer": N_("Nơi thẩm định"),
    "decision": N_("Kết quả thẩm định"),
}
# The command said as a verb, in "Không thể {verb} ý kiến ..." (``labels.COMMAND_VERBS``).
CLEARANCE_VERBS = {Command.CLEAR: "thẩm định văn bản trả lời của"}
CLEARANCE_EVENTS = {
    "AnswerHeld": N_("Văn bản trả lời chờ thẩm định"),
    "AnswerCleared": N_("Văn bản trả lời được thẩm định"),
    "AnswerReturned": N_("Văn bản trả lời bị trả lại"),
}
# The organisation's setting, and who clears by it.
CLEARANCES = {
    Clearance.NONE: N_("Không thẩm định: trả lời được tính ngay"),
    Clearance.OFFICE: N_("Văn phòng cấp ủy thẩm định"),
    Clearance.COMMITTEE: N_("Thường trực cấp ủy thẩm định"),
}
RETURN_REASONS = {
    ReturnReason.GENERIC: N_("Trả lời chung chung"),
    ReturnReason.OFF_TOPIC: N_("Chưa đúng vấn đề"),
    ReturnReason.MISSING_DOCUMENT: N_("Thiếu văn bản, tài liệu"),
}
DECISIONS = {
    ClearanceDecision.ACCEPT: N_("Đồng ý: đưa vào hội nghị giao ban"),
    ClearanceDecision.RETURN: N_("Trả lại đơn vị trả lời lại"),
}
CLEARANCE_DONE = {
    "cleared": N_("Đã thẩm định văn bản trả lời."),
    "returned": N_("Đã trả lại văn bản trả lời cho đơn vị."),
    "answer_held": N_("Đã gửi văn bản trả lời; văn bản đang chờ thẩm định."),
}

"""What the pages call an answer's commitment, its fields and its follow-up
(``domain.commitments``), in Vietnamese (translated where shown): merged into
``api.web.labels``' tables."""

from __future__ import annotations

from api.web.i18n import N_
from domain.vocabulary import Command, Obligation

FIELDS = {
    "commitment": N_("Cam kết"),
    "commitment_text": N_("Nội dung cam kết"),
    "commitment_due_on": N_("Hạn thực hiện cam kết"),
    "commitment_cost": N_("Kinh phí (đồng)"),
    "percent": N_("Tiến độ (phần trăm)"),
    "evidence": N_("Minh chứng"),
}
OVERDUE_KINDS = {Obligation.COMMITMENT: N_("Chưa thực hiện cam kết")}
# Each follow-up said as a verb, in "Không thể {verb} ý kiến ...".
VERBS = {
    Command.RECORD_PROGRESS: "ghi nhận tiến độ cam kết của",
    Command.FULFIL_COMMITMENT: "ghi nhận hoàn thành cam kết của",
}
EVENTS = {
    "CommitmentMade": N_("Cam kết thực hiện"),
    "CommitmentProgressed": N_("Tiến độ thực hiện cam kết"),
    "CommitmentFulfilled": N_("Hoàn thành cam kết"),
}
DONE = {
    "progress": N_("Đã ghi nhận tiến độ thực hiện cam kết."),
    "fulfil": N_("Đã ghi nhận hoàn thành cam kết."),
}

"""What the pages call lead and coordinating departments' fields, events, commands and
obligation (``domain.coordination``), in Vietnamese (translated where shown): merged into
``api.web.labels``' tables."""

from __future__ import annotations

from api.web.i18n import N_
from domain.vocabulary import Command, Obligation

COORDINATION_FIELDS = {
    "coordinating": N_("Đơn vị phối hợp"),
    "departments": N_("Các đơn vị"),
    "coordinators": N_("Đơn vị phối hợp"),
    "waived_on": N_("Ngày miễn"),
    "contributed_on": N_("Ngày gửi ý kiến phối hợp"),
}
COORDINATION_EVENTS = {
    "CoordinatorsNamed": N_("Giao đơn vị phối hợp"),
    "ContributionSent": N_("Gửi ý kiến phối hợp"),
    "ContributionsWaived": N_("Miễn ý kiến phối hợp còn thiếu"),
}
# Vietnamese only, as every command's verb (``labels.COMMAND_VERBS``).
COORDINATION_VERBS = {
    Command.CONTRIBUTE: "gửi ý kiến phối hợp cho",
    Command.WAIVE_CONTRIBUTIONS: "miễn ý kiến phối hợp cho",
}
COORDINATION_KINDS = {Obligation.CONTRIBUTION: N_("Chưa gửi ý kiến phối hợp")}
COORDINATION_DONE = {
    "contribute": N_("Đã gửi ý kiến phối hợp cho đơn vị chủ trì."),
    "waive": N_("Đã miễn ý kiến phối hợp còn thiếu."),
}

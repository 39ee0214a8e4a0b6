"""What the pages call a repeat's fields and what they say once one is linked, in
Vietnamese (translated where shown): merged into ``api.web.labels``' tables."""

from __future__ import annotations

from api.web.i18n import N_
from domain.vocabulary import Command

REPEAT_FIELDS = {
    "repeats": N_("Ý kiến trước được nêu lại"),
    "repeat_of": N_("Lặp lại ý kiến"),
    "satisfied": N_("Đã kết thúc hài lòng"),
    "linked_on": N_("Ngày liên kết"),
}
REPEAT_DONE = {
    "repeat": N_("Đã liên kết là ý kiến nêu lại ý kiến trước."),
}
REPEAT_EVENTS = {"RepeatLinked": N_("Lặp lại ý kiến trước")}
REPEAT_VERBS = {Command.LINK_REPEAT: "liên kết là lặp lại ý kiến trước cho"}

"""The refusals of linking a petition as a repeat of an earlier one
(``Petition.link_repeat``), in English: merged into ``domain.messages.ENGLISH``; their
Vietnamese is ``api.repeat_messages``."""

from __future__ import annotations

REPEAT_ENGLISH: dict[str, str] = {
    "repeat.self": "{field}: a petition does not repeat itself",
    "repeat.other_organisation": "{field}: the earlier petition is of another organisation",
    "repeat.later": "{field}: the earlier petition was raised on {day}, after this one",
    "repeat.already": "{field}: the petition is already linked as a repeat of {number}",
}

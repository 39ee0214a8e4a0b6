"""The refusals of the clearance of written answers (``domain.clearance``), in English:
merged into ``domain.messages.ENGLISH``; their Vietnamese is ``api.clearance_messages``."""

from __future__ import annotations

CLEARANCE_ENGLISH: dict[str, str] = {
    "clearance.held": (
        "the written answer is waiting for clearance: it is cleared or returned first"
    ),
    "clearance.not_held": "no written answer of this petition is waiting for clearance",
    "clearance.reason_on_accept": "{field}: an answer accepted is returned for no reason",
    "forbidden.clear_office": "the committee's office clears this answer",
    "forbidden.clear_committee": "the committee clears this answer",
}

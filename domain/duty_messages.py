"""The refusals of the members' duty (``domain.duty``, ``usecases.duties``), in English:
merged into ``domain.messages.ENGLISH``; their Vietnamese is ``api.duty_messages``."""

from __future__ import annotations

DUTY_ENGLISH: dict[str, str] = {
    "duty.term_reversed": "{field}: a term's last day comes on or after its first",
    "duty.outside_term": "{field}: the term runs from {start} to {end}",
    "duty.end_outside": "{field}: an early end falls from {start} to before {end}",
    "duty.unchanged": "{field}: the member is already assigned so",
    "duty.place_twice": "{field}: a commune or cell is named twice",
    "duty.nowhere": "{field}: an assignment names a commune or a cell",
    "duty.ended": "{field}: the assignment was ended on {day}",
    "duty.date_before_last": ("{field}: {day} precedes the assignment's last recorded date {last}"),
    "duty.role_not_permitted": "the role {role} may not assign committee members",
    "duty.not_found": "no assignment {assignment_id}",
    "duty.member_unknown": "no committee member {member} is assigned here",
    "duty.version_stale": "the assignment is at version {current}, not {expected}",
    "duty.concurrent": "the assignment was changed by someone else meanwhile; reload and retry",
    "forbidden.province_duties": (
        "the province reads the organisations' assignments; each organisation's admin"
        " assigns its own members"
    ),
    "duty.period": "{field}: a month is given with its year",
}

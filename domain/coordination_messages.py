"""The refusals of lead and coordinating departments (``domain.coordination``), in English:
merged into ``domain.messages.ENGLISH``; their Vietnamese is ``api.coordination_messages``."""

from __future__ import annotations

COORDINATION_ENGLISH: dict[str, str] = {
    "coordination.too_many": "{field}: at most {count} coordinating departments",
    "coordination.lead_named": "{field}: the lead department does not coordinate with itself",
    "coordination.twice": "{field}: a coordinating department is named twice",
    "coordination.after_lead": (
        "{field}: a contribution is due no later than the lead's answer ({due_on})"
    ),
    "coordination.not_coordinator": (
        "{field}: the department does not coordinate the answer to this petition"
    ),
    "coordination.already_sent": "{field}: the department's contribution was already sent",
    "coordination.already_waived": "{field}: the committee waived the department's contribution",
    "coordination.waive_none": "{field}: name the coordinating departments whose part is waived",
    "coordination.not_outstanding": (
        "{field}: only contributions still missing are waived, each once"
    ),
    "coordination.missing": (
        "the written answer waits for the contributions of {departments}: they send them,"
        " or the committee waives them"
    ),
    "coordination.letter_after": "{field}: the letter cannot postdate its sending",
    "forbidden.not_coordinator": "a contribution comes from a coordinating department",
}

"""The labels of the topics kept in modules of their own (``api.web.<topic>_labels``),
gathered here table by table, so that ``api.web.labels`` merges each table once and a
new topic adds its module here, not to the full one."""

from __future__ import annotations

from api.web import answer_quality_labels as answer_quality
from api.web import clearance_labels as clearance
from api.web import clock_labels as clock
from api.web import commitment_labels as commitment
from api.web import coordination_labels as coordination
from api.web import repeat_labels as repeat

OVERDUE_KINDS = commitment.OVERDUE_KINDS | coordination.COORDINATION_KINDS
EVENTS = (
    clearance.CLEARANCE_EVENTS
    | commitment.EVENTS
    | clock.CLOCK_EVENTS
    | repeat.REPEAT_EVENTS
    | coordination.COORDINATION_EVENTS
)
FIELDS = (
    answer_quality.ANSWER_QUALITY_FIELDS
    | clearance.CLEARANCE_FIELDS
    | commitment.FIELDS
    | clock.CLOCK_FIELDS
    | repeat.REPEAT_FIELDS
    | coordination.COORDINATION_FIELDS
)
VERBS = (
    clearance.CLEARANCE_VERBS
    | commitment.VERBS
    | clock.CLOCK_VERBS
    | repeat.REPEAT_VERBS
    | coordination.COORDINATION_VERBS
)
DONE = (
    clearance.CLEARANCE_DONE
    | commitment.DONE
    | clock.CLOCK_DONE
    | repeat.REPEAT_DONE
    | coordination.COORDINATION_DONE
)

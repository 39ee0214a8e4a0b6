"""The refusals of an answer's commitment (``domain.commitments``, ``Petition``'s
commitment commands), in English: merged into ``domain.messages.ENGLISH``; their Vietnamese
is ``api.commitment_messages``."""

from __future__ import annotations

COMMITMENT_ENGLISH: dict[str, str] = {
    "commitment.cost": "{field}: a cost is a whole number of dong from 0 to {limit}",
    "commitment.percent": (
        "{field}: progress is a percentage from 0 to 99; done is recorded with its evidence"
    ),
    "commitment.due_after_answer": "{field}: a commitment falls due after the day of its answer",
    "commitment.with_answer": "{field}: a commitment is made with its written answer, in one",
    "commitment.media_type": (
        "send the fulfilment as application/json, or with its evidence as multipart/form-data"
    ),
    "transition.no_commitment": "the petition's answer has no commitment still to keep",
    "transition.commitment_unbound": (
        "the petition was closed without the cells' verdict on its answer: its commitment is"
        " not owed"
    ),
}

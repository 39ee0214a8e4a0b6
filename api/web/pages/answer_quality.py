"""The answers' advisory score beside each written answer on the petition page, to those
who may read it (``usecases.access``: the committee and the auditors)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from api.web.answer_quality_labels import SCORE_DETAILS, SCORE_PARTS
from domain.actors import Actor
from service.bootstrap import Service


def answer_scores(service: Service, actor: Actor, petition_id: UUID) -> dict[str, Any]:
    """The page's context: each written answer's score by its number among the petition's
    answers (none to a reader the score is not for), and the parts' labels."""
    use = service.answer_quality
    scores = (
        {s["answer_number"]: s for s in use.of_petition(actor, petition_id)}
        if use.may(actor)
        else {}
    )
    return {"answer_scores": scores, "score_parts": SCORE_PARTS, "score_details": SCORE_DETAILS}

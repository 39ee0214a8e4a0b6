"""The petition's commands whose rules live in modules of their own: a coordinating
department's contribution and the committee's waiver, the clock paused and resumed, a
commitment's progress, the clearance of a held answer, a repeat's link. Each is decided on
its loaded petition as ``Petitions.decide`` hands it over; the answer is the letters the
command stores with its events."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from domain.actors import Actor, Stamp
from domain.petition import Petition
from stores.attachments import Letter
from usecases import clearance, clock, commitments, coordination, repeats
from usecases.commands import AnswerInWriting, Change

if TYPE_CHECKING:
    from usecases.petitions import Petitions


def decide(
    app: Petitions, petition: Petition, command: Change, actor: Actor, stamp: Stamp
) -> Sequence[Letter]:
    """``command`` decided on ``petition`` (a ``TypeError`` for a command no topic knows)."""
    match command:
        case coordination.Contribute() | coordination.WaiveContributions():
            coordination.decide(app, petition, command, stamp)
        case repeats.LinkRepeat():
            repeats.link(app, petition, command.repeats, stamp)
        case commitments.RecordProgress() | commitments.FulfilCommitment():
            return commitments.follow(petition, command, stamp)
        case clock.PauseClock() | clock.ResumeClock():
            clock.decide(app.province, petition, command, stamp)
        case _:  # the clearance's command, or no command known (``usecases.clearance``)
            clearance.decide(app, petition, command, actor, stamp)
    return ()


def answer_in_writing(
    app: Petitions, petition: Petition, command: AnswerInWriting, day: date, stamp: Stamp
) -> None:
    """The department's written answer with its letters: held for clearance where the
    raising organisation's setting asks (``usecases.clearance``), with the commitment it
    makes, if any (``usecases.commitments``)."""
    petition.answer_in_writing(
        text=command.text,
        document_number=command.document_number,
        document_date=app.dates.check("document_date", command.document_date),
        signer=command.signer,
        verify_by=app.verification_date(petition, day),
        attachments=[letter.attachment() for letter in command.letters],
        stamp=stamp,
        clearance=clearance.clearance_of(app.province, petition),
    )
    commitments.pledge(petition, command.commitment, app.dates, stamp)

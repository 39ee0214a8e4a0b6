"""An answer's commitment followed to its end: made with the written answer, owed from the
cells' satisfied verdict, its progress and its fulfilment recorded by the department that
answered (``domain.commitments``). The commands are ``Petitions.execute``'s as any other:
the access rules first, then ``follow`` on the loaded petition."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from domain.actors import Command, Stamp
from domain.calendar import BusinessDates
from domain.petition import Petition
from stores.attachments import Letter
from usecases.commands import Change, Pledge

__all__ = ["FulfilCommitment", "Pledge", "RecordProgress", "follow", "pledge"]


@dataclass(frozen=True, kw_only=True)
class RecordProgress(Change):
    """How far the commitment of the petition's latest answer has come (0 to 99 %)."""

    command: ClassVar[Command] = Command.RECORD_PROGRESS
    percent: int
    note: str


@dataclass(frozen=True, kw_only=True)
class FulfilCommitment(Change):
    """The commitment is done: what was done, and the files that show it, their bytes
    stored with the event, in its transaction (as an answer's letters are)."""

    command: ClassVar[Command] = Command.FULFIL_COMMITMENT
    note: str
    letters: tuple[Letter, ...] = ()


def pledge(petition: Petition, given: Pledge | None, dates: BusinessDates, stamp: Stamp) -> None:
    """The written answer just recorded on ``petition`` makes the commitment ``given``."""
    if given is None:
        return
    petition.make_commitment(
        text=given.text,
        due_on=dates.check("commitment_due_on", given.due_on),
        cost=given.cost,
        stamp=stamp,
    )


def follow(
    petition: Petition, command: RecordProgress | FulfilCommitment, stamp: Stamp
) -> Sequence[Letter]:
    """The follow-up on its loaded petition; the letters to store with it."""
    if isinstance(command, RecordProgress):
        petition.record_commitment_progress(percent=command.percent, note=command.note, stamp=stamp)
        return ()
    petition.fulfil_commitment(
        note=command.note,
        attachments=[letter.attachment() for letter in command.letters],
        stamp=stamp,
    )
    return command.letters

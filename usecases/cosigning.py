"""Co-signing: a party cell raising a matter already recorded for another cell of the same
organisation is recorded on that petition (``Petition.cosign``) instead of as a duplicate.

The cell is looked up in every organisation of the deployment, so a cell of another one
is refused as such by the aggregate (not as an unknown code); one unknown everywhere, or
retired by the day, is refused as the raise refuses it."""

from __future__ import annotations

from datetime import date

from domain.actors import Stamp
from domain.petition import Petition
from domain.reference import Cell, Province
from usecases.commands import Cosign

__all__ = ["Cosign", "cell_of", "cosign"]


def cell_of(province: Province, code: str, petition: Petition, day: date) -> tuple[str, Cell]:
    """The organisation the cell ``code`` belongs to, and the cell as of ``day``: the
    petition's own organisation first."""
    own = petition.organisation
    holders = sorted(province.references, key=lambda o: o != own)
    holder = next((o for o in holders if code in province.references[o].cells), own)
    return holder, province.reference(holder).cell_on(code, day)


def cosign(
    province: Province, petition: Petition, command: Cosign, day: date, stamp: Stamp
) -> None:
    """The command on its loaded petition: the cell found, in an organisation that takes
    a matter raised that day (as a raise is refused in a dissolved district), then the
    aggregate decides."""
    organisation, cell = cell_of(province, command.cell, petition, day)
    province.organisation(organisation).check_takes_petition(day)
    petition.cosign(
        organisation=organisation,
        cell=cell.code,
        commune=cell.commune,
        raised_by=command.raised_by,
        channel=command.channel,
        meeting=command.meeting,
        note=command.note,
        stamp=stamp,
    )

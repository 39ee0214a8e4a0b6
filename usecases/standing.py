"""What a person's or client's standing must be: a role that may hold a credential, an
organisation the admin sees, a department exactly when the role is a department's, one of
that organisation's, and a party cell of that organisation exactly when the role is a
cell's secretary (stored in the same column as a department). Accounts and API tokens are
checked by this one rule."""

from __future__ import annotations

from enum import StrEnum

from domain.actors import Actor, Role
from domain.reference import Province
from stores.tokens import TOKEN_ROLES
from usecases import access


class StandingFault(StrEnum):
    NOT_A_ROLE = "not_a_role"
    UNKNOWN_ORGANISATION = "unknown_organisation"
    DEPARTMENT_NEEDED = "department_needed"
    NO_DEPARTMENT = "no_department"
    UNKNOWN_DEPARTMENT = "unknown_department"
    CELL_NEEDED = "cell_needed"
    NO_CELL = "no_cell"
    UNKNOWN_CELL = "unknown_cell"


def standing_faults(
    actor: Actor, province: Province, role: str, organisation: str, department: str, cell: str = ""
) -> dict[str, StandingFault]:
    """The fields among ``role``, ``organisation``, ``department`` and ``cell`` at fault,
    with why, for a credential ``actor`` (an admin) would issue."""
    found: dict[str, StandingFault] = {}
    chosen = next((r for r in TOKEN_ROLES if r.value == role), None)
    if chosen is None:
        found["role"] = StandingFault.NOT_A_ROLE
    if not access.sees_organisation(actor, province, organisation):
        found["organisation"] = StandingFault.UNKNOWN_ORGANISATION
    if chosen is Role.DEPARTMENT and not department:
        found["department"] = StandingFault.DEPARTMENT_NEEDED
    elif chosen is not None and chosen is not Role.DEPARTMENT and department:
        found["department"] = StandingFault.NO_DEPARTMENT
    elif (
        department
        and "organisation" not in found
        and department not in province.reference(organisation).departments
    ):
        found["department"] = StandingFault.UNKNOWN_DEPARTMENT
    if chosen is Role.SECRETARY and not cell:
        found["cell"] = StandingFault.CELL_NEEDED
    elif chosen is not None and chosen is not Role.SECRETARY and cell:
        found["cell"] = StandingFault.NO_CELL
    elif (
        cell and "organisation" not in found and cell not in province.reference(organisation).cells
    ):
        found["cell"] = StandingFault.UNKNOWN_CELL
    return found


def unit_of(role: str, department: str, cell: str) -> str | None:
    """What the credential's one unit column holds: a department user's department, a
    secretary's cell (``domain.actors.Actor.bound``), else nothing."""
    return (cell if role == Role.SECRETARY.value else department).strip() or None

"""What a person's or client's standing must be: a role that may hold a credential, an
organisation the admin sees, and a department exactly when the role is a department's,
one of that organisation's. Accounts and API tokens are checked by this one rule."""

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


def standing_faults(
    actor: Actor, province: Province, role: str, organisation: str, department: str
) -> dict[str, StandingFault]:
    """The fields among ``role``, ``organisation`` and ``department`` at fault, with why,
    for a credential ``actor`` (an admin) would issue."""
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
    return found

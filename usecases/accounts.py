"""The admin's accounts: list those of the admin's organisation (a province's admin:
every organisation's), create one (its one-time password shown once), disable one, reset
its password, change its role or department, remove a lost second factor; and the
history of those changes, which the auditor reads too. Who may do each is ruled in
``usecases.access``.

A request is checked whole before anything is written: every field at fault is named with
its reason (``AccountFault``, ``PasswordFault``), and nothing changes unless none is."""

from __future__ import annotations

import re
import secrets
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from domain.actors import Role
from domain.passwords import PasswordFault, password_faults
from domain.reference import Province
from stores.accounts import AccountStore, By, UsernameTaken
from stores.tokens import Principal
from usecases import access
from usecases.access import UseCase
from usecases.errors import Refused
from usecases.standing import standing_faults, unit_of

TEXT_MAX = 200
USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{2,63}")
# The one-time passwords: no letters read alike (0/o, 1/l/i), in groups of four.
ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


class AccountFault(StrEnum):
    """Why a field of a request about an account is refused (the pages say each in words)."""

    REQUIRED = "required"
    TOO_LONG = "too_long"
    CONTROL_CHARACTERS = "control_characters"
    NOT_A_USERNAME = "not_a_username"
    USERNAME_TAKEN = "username_taken"
    NOT_A_ROLE = "not_a_role"
    UNKNOWN_ORGANISATION = "unknown_organisation"
    DEPARTMENT_NEEDED = "department_needed"
    NO_DEPARTMENT = "no_department"
    UNKNOWN_DEPARTMENT = "unknown_department"
    CELL_NEEDED = "cell_needed"
    NO_CELL = "no_cell"
    UNKNOWN_CELL = "unknown_cell"
    UNKNOWN_ACCOUNT = "unknown_account"
    DISABLED = "disabled"
    OWN_ACCOUNT = "own_account"
    WRONG_PASSWORD = "wrong_password"
    MISMATCH = "mismatch"
    SAME_PASSWORD = "same_password"
    WRONG_CODE = "wrong_code"
    NO_SECOND_FACTOR = "no_second_factor"


Fault = AccountFault | PasswordFault


@dataclass(frozen=True)
class AccountRequest:
    """An account as a form or the command line gives it (blank: not given)."""

    username: str
    full_name: str
    role: str
    organisation: str = ""
    department: str = ""
    position: str = ""
    cell: str = ""  # a cell's secretary's party cell


def text_fault(value: str, *, required: bool = True) -> AccountFault | None:
    if not value.strip():
        return AccountFault.REQUIRED if required else None
    if len(value) > TEXT_MAX:
        return AccountFault.TOO_LONG
    if any(unicodedata.category(c) == "Cc" for c in value):
        return AccountFault.CONTROL_CHARACTERS
    return None


def refused(faults: dict[str, Fault]) -> Refused:
    """The refusal of a request with ``faults``: each field's fault by its value."""
    return Refused(
        "validation_error",
        "; ".join(f"{field}: {fault}" for field, fault in faults.items()),
        fields={field: fault.value for field, fault in faults.items()},
    )


def one_time_password(min_length: int) -> str:
    """A password to give once, as long as the policy asks (at least 16 letters)."""
    letters = "".join(secrets.choice(ALPHABET) for _ in range(max(16, min_length)))
    return "-".join(letters[i : i + 4] for i in range(0, len(letters), 4))


def normal_username(username: str) -> str:
    return username.strip().lower()


class AccountAdmin:
    def __init__(self, accounts: AccountStore, province: Province, min_length: int) -> None:
        self.store, self.province, self.min_length = accounts, province, min_length

    def scope(self, principal: Principal) -> frozenset[str] | None:
        return access.organisation_scope(principal.actor, self.province)

    def accounts(self, principal: Principal) -> list[dict[str, Any]]:
        """The accounts the admin manages: the active ones first, by username."""
        access.check(principal.actor, UseCase.ACCOUNTS)
        return self.store.listing(self.scope(principal))

    def history(self, principal: Principal, limit: int = 200) -> list[dict[str, Any]]:
        """The latest changes to the accounts of the user's organisation (a province's
        user: every one's), with who made each and when."""
        access.check(principal.actor, UseCase.ACCOUNT_HISTORY)
        return self.store.history(self.scope(principal), limit)

    def organisation_of(self, principal: Principal, given: str) -> str:
        """The organisation a request names, else the admin's own."""
        return given.strip() or principal.organisation or self.province.code

    def role_faults(
        self, principal: Principal, role: str, organisation: str, department: str, cell: str = ""
    ) -> dict[str, Fault]:
        found = standing_faults(
            principal.actor, self.province, role, organisation, department, cell.strip()
        )
        return {name: AccountFault(fault) for name, fault in found.items()}

    def faults(
        self, principal: Principal, request: AccountRequest, password: str | None = None
    ) -> dict[str, Fault]:
        """Every field of ``request`` (and of the password given for it) at fault, with
        why (none: it may be created)."""
        username = normal_username(request.username)
        found: dict[str, Fault] = {}
        if not username:
            found["username"] = AccountFault.REQUIRED
        elif not USERNAME.fullmatch(username):
            found["username"] = AccountFault.NOT_A_USERNAME
        elif self.store.by_username(username) is not None:
            found["username"] = AccountFault.USERNAME_TAKEN
        if fault := text_fault(request.full_name):
            found["full_name"] = fault
        if fault := text_fault(request.position, required=False):
            found["position"] = fault
        organisation = self.organisation_of(principal, request.organisation)
        found |= self.role_faults(
            principal, request.role, organisation, request.department.strip(), request.cell
        )
        if password is not None:
            policy = password_faults(password, username=username, min_length=self.min_length)
            if policy:
                found["password"] = policy[0]
        return found

    def create(
        self, principal: Principal, request: AccountRequest, password: str | None = None
    ) -> tuple[str, str]:
        """A new account: (user id, its one-time password, to be shown once and changed
        at the first sign-in). ``password``: the one-time password to give it instead of
        a new one. Refused whole if any field is wrong."""
        access.check(principal.actor, UseCase.ACCOUNTS)
        return self.create_as(By.of(principal), principal, request, password)

    def create_as(
        self,
        by: By,
        principal: Principal,
        request: AccountRequest,
        password: str | None = None,
        *,
        must_change: bool = True,
    ) -> tuple[str, str]:
        """``create``, recorded as done by ``by`` (the command line: nobody signed in),
        within what ``principal`` may see."""
        faults = self.faults(principal, request, password)
        if faults:
            raise refused(faults)
        password = password or one_time_password(self.min_length)
        try:
            user_id = self.store.create(
                username=normal_username(request.username),
                full_name=request.full_name.strip(),
                position=request.position.strip() or None,
                role=Role(request.role),
                organisation=self.organisation_of(principal, request.organisation),
                department=unit_of(request.role, request.department, request.cell),
                password=password,
                must_change=must_change,
                by=by,
            )
        except UsernameTaken:  # taken between the check and the insert
            raise refused({"username": AccountFault.USERNAME_TAKEN}) from None
        return user_id, password

    def account(self, principal: Principal, user_id: str) -> dict[str, Any]:
        """The account ``user_id`` (disabled or not), if the admin manages it; else
        refused as unknown."""
        access.check(principal.actor, UseCase.ACCOUNTS)
        row = self.store.get(user_id)
        scope = self.scope(principal)
        if row is None or (scope is not None and row["organisation"] not in scope):
            raise refused({"account": AccountFault.UNKNOWN_ACCOUNT})
        return row

    def managed(
        self, principal: Principal, user_id: str, *, not_own: bool = False
    ) -> dict[str, Any]:
        """The account ``user_id``, if the admin manages it and it is not disabled (nor,
        with ``not_own``, the admin's own)."""
        row = self.account(principal, user_id)
        if row["disabled_at"] is not None:
            raise refused({"account": AccountFault.DISABLED})
        if not_own and user_id == principal.token_id:
            raise refused({"account": AccountFault.OWN_ACCOUNT})
        return row

    def disable(self, principal: Principal, user_id: str) -> None:
        """Disable an account: its sessions and tokens stop at once. Not the admin's own."""
        self.managed(principal, user_id, not_own=True)
        if not self.store.disable(user_id, By.of(principal)):
            raise refused({"account": AccountFault.DISABLED})

    def reset_password(self, principal: Principal, user_id: str) -> str:
        """A new one-time password for the account, to be changed at its next sign-in."""
        self.managed(principal, user_id)
        password = one_time_password(self.min_length)
        self.store.set_password(user_id, password, must_change=True, by=By.of(principal))
        return password

    def change_role(
        self, principal: Principal, user_id: str, role: str, department: str, cell: str = ""
    ) -> None:
        """Another role (and department, for a department user; cell, for a cell's
        secretary). Not the admin's own."""
        row = self.managed(principal, user_id, not_own=True)
        faults = self.role_faults(principal, role, row["organisation"], department.strip(), cell)
        if faults:
            raise refused(faults)
        unit = unit_of(role, department, cell)
        self.store.set_role(user_id, Role(role), unit, By.of(principal))

    def remove_second_factor(self, principal: Principal, user_id: str) -> None:
        """Remove the account's second factor (its holder lost the device), recorded in
        the account's history; refused if it has none."""
        row = self.managed(principal, user_id)
        if row["totp_secret"] is None or not self.store.remove_second_factor(
            user_id, By.of(principal)
        ):
            raise refused({"account": AccountFault.NO_SECOND_FACTOR})

"""The admin's API tokens: list those of the admin's organisation (a province's admin:
every organisation's), issue one for a named client, revoke one; and the history of those
changes, which the auditor reads too. Who may do each is ruled in ``usecases.access``.

A token is a named client's (its role, organisation and department as the request gives
them) or an account's: it then takes the account's standing and acts as that person.

A request to issue a token is checked whole before anything is written: every field at
fault is named with its reason (``TokenFault``), and nothing is issued unless none is."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from domain.actors import Actor, Role
from domain.reference import Province
from stores.accounts import AccountStore
from stores.tokens import TokenStore
from usecases import access
from usecases.access import UseCase
from usecases.errors import Refused
from usecases.standing import standing_faults

NAME_MAX = 200


class TokenFault(StrEnum):
    """Why a field of a request about a token is refused (the pages say each in words)."""

    REQUIRED = "required"
    TOO_LONG = "too_long"
    CONTROL_CHARACTERS = "control_characters"
    NOT_A_ROLE = "not_a_role"
    UNKNOWN_ORGANISATION = "unknown_organisation"
    DEPARTMENT_NEEDED = "department_needed"
    NO_DEPARTMENT = "no_department"
    UNKNOWN_DEPARTMENT = "unknown_department"
    CELL_NEEDED = "cell_needed"
    NO_CELL = "no_cell"
    UNKNOWN_CELL = "unknown_cell"
    UNKNOWN_TOKEN = "unknown_token"
    ALREADY_REVOKED = "already_revoked"
    OWN_TOKEN = "own_token"
    UNKNOWN_ACCOUNT = "unknown_account"
    ACCOUNT_DISABLED = "account_disabled"
    OTHER_ORGANISATION = "other_organisation"


@dataclass(frozen=True)
class TokenRequest:
    """A token asked for a named client, or for an account (a user id: its role,
    organisation and department are the account's, those given here do not apply), as a
    form gives it (blank: not given)."""

    name: str
    role: str
    organisation: str
    department: str = ""
    account: str = ""


def text_faults(value: str) -> TokenFault | None:
    if not value.strip():
        return TokenFault.REQUIRED
    if len(value) > NAME_MAX:
        return TokenFault.TOO_LONG
    if any(unicodedata.category(c) == "Cc" for c in value):
        return TokenFault.CONTROL_CHARACTERS
    return None


class TokenAdmin:
    def __init__(self, tokens: TokenStore, province: Province, accounts: AccountStore) -> None:
        self.store, self.province, self.accounts = tokens, province, accounts

    def scope(self, actor: Actor) -> frozenset[str] | None:
        return access.organisation_scope(actor, self.province)

    def tokens(self, actor: Actor, account: str | None = None) -> list[dict[str, Any]]:
        """The tokens the admin manages (``account``: that account's only), active ones
        first, newest first."""
        access.check(actor, UseCase.API_TOKENS)
        return self.store.listing(self.scope(actor), account)

    def history(self, actor: Actor, limit: int = 200) -> list[dict[str, Any]]:
        """The latest creations and revocations of the tokens of the actor's organisation
        (a province's user: every one's), with who made each and when."""
        access.check(actor, UseCase.TOKEN_HISTORY)
        return self.store.changes(self.scope(actor), limit)

    def faults(self, actor: Actor, request: TokenRequest) -> dict[str, TokenFault]:
        """Every field of ``request`` at fault, with why (none: it may be issued)."""
        found: dict[str, TokenFault] = {}
        if fault := text_faults(request.name):
            found["name"] = fault
        if request.account.strip():
            if fault := self.account_fault(actor, request.account.strip()):
                found["account"] = fault
            return found
        standing = standing_faults(
            actor,
            self.province,
            request.role,
            request.organisation.strip(),
            request.department.strip(),
        )
        found |= {name: TokenFault(fault) for name, fault in standing.items()}
        return found

    def account_fault(self, actor: Actor, user_id: str) -> TokenFault | None:
        """Why a token may not be issued for the account ``user_id`` (None: it may)."""
        row = self.accounts.get(user_id)
        if row is None:
            return TokenFault.UNKNOWN_ACCOUNT
        scope = self.scope(actor)
        if scope is not None and row["organisation"] not in scope:
            return TokenFault.OTHER_ORGANISATION
        if row["disabled_at"] is not None:
            return TokenFault.ACCOUNT_DISABLED
        return None

    def issue(self, actor: Actor, request: TokenRequest) -> tuple[str, str]:
        """A token for the named client or the account: (token id, secret), the secret
        to be shown once. Refused whole (``validation_error``, each field's fault) if any
        field is wrong."""
        access.check(actor, UseCase.API_TOKENS)
        faults = self.faults(actor, request)
        if faults:
            raise Refused(
                "validation_error",
                "; ".join(f"{field}: {fault}" for field, fault in faults.items()),
                fields={field: fault.value for field, fault in faults.items()},
            )
        if request.account.strip():
            return self.issue_for_account(actor, request.name.strip(), request.account.strip())
        return self.store.create(
            role=Role(request.role),
            name=request.name.strip(),
            department=request.department.strip() or None,
            organisation=request.organisation.strip(),
            by=actor,
        )

    def issue_for_account(self, actor: Actor, name: str, user_id: str) -> tuple[str, str]:
        """A token that acts as the account's person: its standing is the account's, and
        its subject the account, so it shares the person's idempotency keys."""
        row = self.accounts.get(user_id)
        assert row is not None  # checked by ``faults``
        return self.store.create(
            role=Role(row["role"]),
            name=name,
            department=row["department"],
            subject=user_id,
            organisation=row["organisation"],
            account=user_id,
            by=actor,
        )

    def revoke(self, actor: Actor, token_id: str, account: str | None = None) -> dict[str, Any]:
        """Revoke a token the admin manages (``account``: one of that account's); returns
        its row as it was. A token of another organisation (or account) is refused as one
        that does not exist."""
        access.check(actor, UseCase.API_TOKENS)
        token = self.store.get(token_id)
        scope = self.scope(actor)
        if (
            token is None
            or (scope is not None and token["organisation"] not in scope)
            or (account is not None and token["account"] != account)
        ):
            raise Refused(
                "not_found", f"no token {token_id}", fields={"token": TokenFault.UNKNOWN_TOKEN}
            )
        if token_id == actor.id:
            raise Refused(
                "validation_error",
                "the token in use is not revoked from its own session",
                fields={"token": TokenFault.OWN_TOKEN},
            )
        if token["revoked_at"] is not None or not self.store.revoke(token_id, by=actor):
            raise Refused(
                "validation_error",
                f"token {token_id} is revoked already",
                fields={"token": TokenFault.ALREADY_REVOKED},
            )
        return token

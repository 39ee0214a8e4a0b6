"""Signing in with a username and password, the second factor's code, and what a person
does to their own account: change the one-time password, enrol a second factor.

Every attempt, of a password or of a code, is counted in PostgreSQL against the username
and the client's address before it is checked (``stores.signin_limits``), so the limits
hold across every process of the API. A session that signs in may still need a step
before any page (``next_step``): the code of its second factor, a new password in place of
a one-time one, or, where the setting asks it of the role, a second factor enrolled."""

from __future__ import annotations

import hmac
import time
from dataclasses import dataclass
from enum import StrEnum

import pyotp

from domain.passwords import password_faults
from stores.accounts import AccountStore, By, principal_of
from stores.sessions import Session
from stores.signin_limits import SignInLimits
from stores.tokens import Principal
from usecases.access import SECOND_FACTOR_ROLES
from usecases.accounts import AccountFault, Fault, normal_username, refused

ISSUER = "Theo dõi kiến nghị"  # what an authenticator app lists the key under
CODE_WINDOW = 1  # a code of the step before or after is taken too (clocks drift)


class Step(StrEnum):
    """What a session must do before it is served any other page."""

    CODE = "code"  # give the second factor's code
    PASSWORD = "password"  # change the one-time password
    ENROL = "enrol"  # enrol a second factor, which the role needs


def next_step(session: Session, second_factor_required: bool) -> Step | None:
    if session.enrolled and not session.code_given:
        return Step.CODE
    if session.must_change:
        return Step.PASSWORD
    if (
        second_factor_required
        and session.principal.role in SECOND_FACTOR_ROLES
        and not session.enrolled
    ):
        return Step.ENROL
    return None


@dataclass(frozen=True)
class SignedIn:
    principal: Principal
    needs_code: bool  # the account has a second factor: its code comes next


class TooManyAttempts(Exception):
    """Past the sign-in limits: the seconds until an attempt is taken again."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many failed sign-ins; retry in {retry_after} s")
        self.retry_after = retry_after


class SignIns:
    def __init__(self, accounts: AccountStore, limits: SignInLimits, min_length: int) -> None:
        self.accounts, self.limits, self.min_length = accounts, limits, min_length

    def sign_in(self, username: str, password: str, address: str) -> SignedIn | None:
        """The account, if ``password`` is its password; None if not. ``TooManyAttempts``
        past the limits."""
        username = normal_username(username)
        attempt = self.limits.reserve(f"user:{username}", f"address:{address}")
        if attempt.retry_after is not None:
            raise TooManyAttempts(attempt.retry_after)
        row = self.accounts.verify(username, password) if username and password else None
        if row is None:
            return None
        self.limits.forgive(attempt)
        return SignedIn(principal_of(row), row["totp_secret"] is not None)

    def give_code(self, principal: Principal, code: str, address: str) -> bool:
        """Whether ``code`` is the account's second factor's, not used before; counted
        against the limits as a password is."""
        attempt = self.limits.reserve(f"user:{principal.name}", f"address:{address}")
        if attempt.retry_after is not None:
            raise TooManyAttempts(attempt.retry_after)
        row = self.accounts.get(principal.token_id)
        secret = row["totp_secret"] if row is not None else None
        step = matching_step(secret, code) if secret else None
        if step is None or not self.accounts.use_step(principal.token_id, step):
            return False
        self.limits.forgive(attempt)
        return True

    def change_password(self, principal: Principal, current: str, new: str, repeated: str) -> None:
        """The holder's new password, in place of the current one; refused whole, each
        field's fault named, if the current one is wrong or the new one is refused by
        the policy or typed differently twice."""
        faults: dict[str, Fault] = {}
        row = self.accounts.verify(principal.name, current) if current else None
        if row is None:
            faults["current"] = AccountFault.WRONG_PASSWORD
        policy = password_faults(new, username=principal.name, min_length=self.min_length)
        if policy:
            faults["password"] = policy[0]
        elif new == current:
            faults["password"] = AccountFault.SAME_PASSWORD
        if not hmac.compare_digest(new.encode(), repeated.encode()):
            faults["repeated"] = AccountFault.MISMATCH
        if faults:
            raise refused(faults)
        self.accounts.set_password(principal.token_id, new, must_change=False, by=By.of(principal))

    def enrol(self, principal: Principal, secret: str, code: str) -> None:
        """Enrol ``secret`` as the account's second factor, once a code of it is given."""
        step = matching_step(secret, code) if is_secret(secret) else None
        if step is None:
            raise refused({"code": AccountFault.WRONG_CODE})
        self.accounts.set_second_factor(principal.token_id, secret, step, By.of(principal))


def new_secret() -> str:
    return pyotp.random_base32()


def is_secret(secret: str) -> bool:
    return len(secret) == 32 and all(c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567" for c in secret)


def provisioning_uri(secret: str, username: str) -> str:
    """The otpauth:// address an authenticator app reads the key from."""
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)


def matching_step(secret: str, code: str, now: float | None = None) -> int | None:
    """The time step whose code ``code`` is (within ``CODE_WINDOW`` of now), else None."""
    code = code.strip().replace(" ", "")
    if not (len(code) == 6 and code.isdigit()):
        return None
    totp = pyotp.TOTP(secret)
    moment = time.time() if now is None else now
    current = totp.timecode(moment)
    for offset in range(-CODE_WINDOW, CODE_WINDOW + 1):
        if hmac.compare_digest(totp.at(moment, counter_offset=offset), code):
            return current + offset
    return None

"""The password policy: long enough, not the username, not a common password (Vietnamese
ones among them), every reason at once; and the steps a session takes before any page."""

from __future__ import annotations

import pytest

from domain.actors import Role
from domain.passwords import PasswordFault, common_passwords, folded, password_faults
from stores.sessions import Session
from stores.tokens import Principal
from usecases.signin import Step, matching_step, next_step

F = PasswordFault


@pytest.mark.parametrize(
    ("password", "username", "faults"),
    [
        ("matkhau", "an", [F.TOO_SHORT, F.COMMON]),
        ("Mật Khẩu 123", "an", [F.COMMON]),  # accents, case and spaces aside: matkhau123
        ("123456a@", "an", [F.TOO_SHORT, F.COMMON]),
        ("anhyeuem123", "an", [F.COMMON]),
        ("nguyen.van.an", "nguyen.van.an", [F.IS_USERNAME]),
        ("NGUYEN.VAN.AN1", "nguyen.van.an", [F.IS_USERNAME]),
        ("na.nav.neyugn", "nguyen.van.an", [F.IS_USERNAME]),
        ("short", "an", [F.TOO_SHORT]),
        ("x" * 257, "an", [F.TOO_LONG]),
        ("giao ban thang muoi", "nguyen.van.an", []),
        ("nguyen.van.an-giao-ban", "nguyen.van.an", []),  # the name and more: taken
    ],
)
def test_a_password_is_refused_for_every_reason_it_has(
    password: str, username: str, faults: list[PasswordFault]
) -> None:
    assert password_faults(password, username=username, min_length=10) == faults


def test_the_common_list_holds_the_vietnamese_favourites() -> None:
    common = common_passwords()
    assert {"matkhau", "123456a@", "anhyeuem", "123456", "password"} <= common
    assert len(common) > 150
    assert folded("Mật khẩu") == "matkhau" and folded("Đà Nẵng") == "danang"


def test_the_minimum_length_is_the_settings() -> None:
    assert password_faults("giao-ban-1", username="an", min_length=12) == [F.TOO_SHORT]
    assert password_faults("giao-ban-1", username="an", min_length=10) == []


def session(role: Role, **flags: bool) -> Session:
    principal = Principal("usr_1", "an", role, None, "usr_1", "huyen")
    return Session(principal, "csrf", **flags)


def test_a_session_takes_its_steps_in_order_before_any_page() -> None:
    waiting = session(Role.CLERK, enrolled=True, code_given=False, must_change=True)
    assert next_step(waiting, False) is Step.CODE
    assert next_step(session(Role.CLERK, must_change=True), True) is Step.PASSWORD
    # the setting asks a second factor of the admin, committee and auditor, not the clerk
    for role in (Role.ADMIN, Role.COMMITTEE, Role.AUDITOR):
        assert next_step(session(role), True) is Step.ENROL
        assert next_step(session(role), False) is None
        assert next_step(session(role, enrolled=True), True) is None
    for role in (Role.CLERK, Role.DEPARTMENT):
        assert next_step(session(role), True) is None


def test_a_code_matches_its_step_or_the_ones_beside_it_only() -> None:
    import pyotp

    secret = pyotp.random_base32()
    totp = pyotp.TOTP(secret)
    now = 1_790_000_000.0
    step = totp.timecode(now)
    assert matching_step(secret, totp.at(now), now) == step
    assert matching_step(secret, totp.at(now, counter_offset=1), now) == step + 1
    assert matching_step(secret, totp.at(now, counter_offset=-1), now) == step - 1
    assert matching_step(secret, totp.at(now, counter_offset=3), now) is None
    assert (
        matching_step(secret, "12345", now) is None and matching_step(secret, "abcdef", now) is None
    )

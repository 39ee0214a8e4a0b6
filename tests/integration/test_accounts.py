"""Accounts on real PostgreSQL: a request is refused whole with the reason per field and
writes nothing; an account keeps an argon2id hash, never its password; every change is in
the history with who and when; an admin manages its own organisation's accounts only (a
province's admin every one's); the second factor takes each code once; the sign-in limits
count per username and per address; and `petitions user create` prints a one-time
password, or takes one on standard input."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pyotp
import pytest

from domain.actors import Role
from service.bootstrap import Service, bootstrap
from service.database import Database
from service.demo_province import PROVINCE_SEED
from stores.accounts import principal_of
from stores.signin_limits import SignInLimits
from stores.tokens import Principal
from tests.conftest import settings_in
from tests.integration.helpers import PETITIONS, postgres_env, run_cli
from usecases.accounts import AccountRequest
from usecases.errors import Refused
from usecases.signin import matching_step

pytestmark = pytest.mark.integration

PROVINCE, COMMUNE, OTHER = "tinh-hung-lam", "xa-hoa-binh", "xa-xuan-son"


@pytest.fixture
def province(database: Database, schema: str, tmp_path: Path) -> Iterator[Service]:
    """The demo province's reference data, no events."""
    service = bootstrap(settings_in(tmp_path), database=database, schema=schema, seed=PROVINCE_SEED)
    yield service
    service.close()


def admin_of(organisation: str) -> Principal:
    return Principal(
        f"usr_admin_{organisation}",
        "admin",
        Role.ADMIN,
        None,
        "x",
        organisation,
        full_name="Trần Quản Trị",
        position="Chuyên viên CNTT",
    )


def department_of(service: Service, organisation: str) -> str:
    return sorted(service.app.province.reference(organisation).departments)[0]


def test_a_request_is_refused_whole_with_every_fault_and_writes_nothing(
    province: Service,
) -> None:
    admin = province.account_admin
    commune_admin = admin_of(COMMUNE)
    bad = AccountRequest(
        username="Nguyễn Văn An",
        full_name=" ",
        role="department",
        organisation=OTHER,  # not the admin's
        position="x" * 201,
    )
    with pytest.raises(Refused) as refused:
        admin.create(commune_admin, bad)
    assert refused.value.code == "validation_error"
    assert refused.value.fields == {
        "username": "not_a_username",
        "full_name": "required",
        "position": "too_long",
        "organisation": "unknown_organisation",
        "department": "department_needed",
    }
    other_department = department_of(province, OTHER)
    wrong_department = AccountRequest(
        "an.nguyen", "Nguyễn An", "clerk", department=other_department
    )
    with pytest.raises(Refused) as refused:
        admin.create(commune_admin, wrong_department)
    assert refused.value.fields == {"department": "no_department"}
    with pytest.raises(Refused) as refused:
        admin.create(commune_admin, AccountRequest("an.nguyen", "Nguyễn An", "clerk"), "matkhau123")
    assert refused.value.fields == {"password": "common"}
    assert province.accounts.listing() == [] and province.accounts.history() == []


def test_an_account_keeps_a_hash_and_its_history_names_who_changed_it(province: Service) -> None:
    admin, boss = province.account_admin, admin_of(COMMUNE)
    department = department_of(province, COMMUNE)
    user_id, password = admin.create(
        boss,
        AccountRequest(
            " An.Nguyen ",
            "Nguyễn Văn An",
            "department",
            department=department,
            position="Chuyên viên",
        ),
    )
    row = province.accounts.get(user_id)
    assert row is not None and user_id.startswith("usr_") and row["username"] == "an.nguyen"
    assert row["organisation"] == COMMUNE and row["must_change"] is True
    assert row["password_hash"].startswith("$argon2id$") and password not in row["password_hash"]
    assert len(password.replace("-", "")) >= 16
    assert province.accounts.verify("an.nguyen", password) is not None
    assert province.accounts.verify("an.nguyen", password + "x") is None
    with pytest.raises(Refused) as taken:
        admin.create(boss, AccountRequest("an.nguyen", "Người khác", "clerk"))
    assert taken.value.fields == {"username": "username_taken"}

    fresh = admin.reset_password(boss, user_id)
    assert province.accounts.verify("an.nguyen", password) is None
    assert province.accounts.verify("an.nguyen", fresh) is not None
    admin.change_role(boss, user_id, "clerk", "")
    itself, _ = admin.create(boss, AccountRequest("quan.tri", "Trần Quản Trị", "admin"))
    own = principal_of(province.accounts.get(itself) or {})
    for act in (
        lambda: admin.disable(own, itself),
        lambda: admin.change_role(own, itself, "clerk", ""),
    ):
        with pytest.raises(Refused) as refused:
            act()
        assert refused.value.fields == {"account": "own_account"}
    admin.disable(boss, user_id)
    assert province.accounts.verify("an.nguyen", fresh) is None  # disabled: no sign-in
    with pytest.raises(Refused) as again:
        admin.reset_password(boss, user_id)
    assert again.value.fields == {"account": "disabled"}

    history = [h for h in reversed(admin.history(boss)) if h["user_id"] == user_id]
    assert [h["change"] for h in history] == [
        "created",
        "password_reset",
        "role_changed",
        "disabled",
    ]
    assert {(h["by_id"], h["by_name"], h["by_position"]) for h in history} == {
        (boss.token_id, "Trần Quản Trị", "Chuyên viên CNTT")
    }
    assert history[2]["detail"] == {
        "from": {"role": "department", "department": department},
        "to": {"role": "clerk", "department": None},
    }
    assert all(password not in str(h) and fresh not in str(h) for h in history)


def test_an_admin_manages_its_own_organisations_accounts_and_the_province_every_one(
    province: Service,
) -> None:
    admin = province.account_admin
    mine, _ = admin.create(
        admin_of(COMMUNE), AccountRequest("hoa.binh.clerk", "Lê Thị Hoa", "clerk")
    )
    theirs, _ = admin.create(
        admin_of(OTHER), AccountRequest("xuan.son.clerk", "Vũ Văn Sơn", "clerk")
    )
    listed = {r["username"] for r in admin.accounts(admin_of(COMMUNE))}
    assert listed == {"hoa.binh.clerk"}
    for act in (
        lambda: admin.disable(admin_of(COMMUNE), theirs),
        lambda: admin.reset_password(admin_of(COMMUNE), theirs),
        lambda: admin.change_role(admin_of(COMMUNE), theirs, "auditor", ""),
    ):
        with pytest.raises(Refused) as refused:
            act()
        assert refused.value.fields == {"account": "unknown_account"}
    assert {r["username"] for r in admin.accounts(admin_of(PROVINCE))} == {
        "hoa.binh.clerk",
        "xuan.son.clerk",
    }
    assert {h["username"] for h in admin.history(admin_of(COMMUNE))} == {"hoa.binh.clerk"}
    # the province's admin disables either; the auditor of a commune reads its history only
    admin.disable(admin_of(PROVINCE), theirs)
    auditor = Principal("usr_a", "kt", Role.AUDITOR, None, "x", OTHER)
    assert [h["change"] for h in admin.history(auditor)] == ["disabled", "created"]
    clerk = principal_of(province.accounts.get(mine) or {})
    with pytest.raises(Refused) as refused:
        admin.accounts(clerk)
    assert refused.value.code == "forbidden"


def test_a_second_factor_takes_each_code_once(province: Service) -> None:
    user_id, password = province.account_admin.create(
        admin_of(COMMUNE), AccountRequest("ban.thuong.vu", "Phạm Văn Đức", "committee")
    )
    principal = principal_of(province.accounts.get(user_id) or {})
    sign_ins = province.sign_ins
    secret = pyotp.random_base32()
    with pytest.raises(Refused) as wrong:
        sign_ins.enrol(principal, secret, pyotp.TOTP(secret).at(time.time(), counter_offset=5))
    assert wrong.value.fields == {"code": "wrong_code"}
    totp = pyotp.TOTP(secret)
    sign_ins.enrol(principal, secret, totp.now())
    signed = sign_ins.sign_in("ban.thuong.vu", password, "10.0.0.1")
    assert signed is not None and signed.needs_code
    assert not sign_ins.give_code(principal, totp.now(), "10.0.0.1")  # used to enrol
    later = totp.at(time.time(), counter_offset=1)
    assert sign_ins.give_code(principal, later, "10.0.0.1")
    assert not sign_ins.give_code(principal, later, "10.0.0.1")  # once only
    assert matching_step(secret, later) is not None
    changes = [h["change"] for h in province.accounts.history()]
    assert changes[0] == "second_factor_enrolled"


def test_the_limits_count_per_username_and_per_address(province: Service) -> None:
    limits = SignInLimits(province.app.datastore, limit=3, window_seconds=60)
    # one username from many addresses
    attempts = [limits.reserve("user:an", f"address:10.0.0.{n}") for n in range(5)]
    assert [a.allowed for a in attempts] == [True, True, True, False, False]
    assert all(0 < (a.retry_after or 0) <= 60 for a in attempts[3:])
    # one address trying many usernames
    attempts = [limits.reserve(f"user:u{n}", "address:10.9.9.9") for n in range(5)]
    assert [a.allowed for a in attempts] == [True, True, True, False, False]
    # an attempt that signs in is forgiven: it is no failure
    ok = limits.reserve("user:binh", "address:10.1.1.1")
    limits.forgive(ok)
    assert all(limits.reserve("user:binh", "address:10.1.1.1").allowed for _ in range(3))
    assert not limits.reserve("user:binh", "address:10.1.1.2").allowed


def test_user_create_prints_a_one_time_password_or_takes_one(province: Service) -> None:
    made = run_cli(
        province,
        "user",
        "create",
        "--username",
        "cli.clerk",
        "--full-name",
        "Đặng Thị Thu",
        "--role",
        "clerk",
        "--organisation",
        COMMUNE,
        "--position",
        "Văn thư",
    )
    assert made.returncode == 0, made.stderr
    password = made.stdout.split("one-time password: ")[1].split()[0]
    row = province.accounts.verify("cli.clerk", password)
    assert row is not None and row["must_change"] and row["position"] == "Văn thư"
    assert province.accounts.history()[0]["by_id"] is None  # the command line

    env = {
        **postgres_env(province.database, province.app.datastore.schema),
        "PETITIONS_DATA_DIR": str(province.settings.data_dir),
        "LOG_FORMAT": "json",
        "PATH": "/usr/bin:/bin",
    }
    department = department_of(province, COMMUNE)
    given = subprocess.run(
        [
            *PETITIONS,
            "user",
            "create",
            "--username",
            "cli.dept",
            "--full-name",
            "Bùi Văn Nam",
            "--role",
            "department",
            "--organisation",
            COMMUNE,
            "--department",
            department,
            "--password-stdin",
        ],
        input="giao-ban-thang-11\n",
        env=env,
        text=True,
        capture_output=True,
        timeout=120,
    )
    assert given.returncode == 0, given.stderr
    assert "giao-ban-thang-11" not in given.stdout
    assert province.accounts.verify("cli.dept", "giao-ban-thang-11") is not None

    refused = run_cli(
        province,
        "user",
        "create",
        "--username",
        "x",
        "--full-name",
        "Ai Đó",
        "--role",
        "department",
        "--organisation",
        COMMUNE,
    )
    assert refused.returncode == 2
    assert "username: Từ 3 đến 64 ký tự" in refused.stderr
    assert "department: Người dùng của phòng, ban, ngành cần chọn đơn vị" in refused.stderr
    assert {r["username"] for r in province.accounts.listing()} == {"cli.clerk", "cli.dept"}
    no_organisation = run_cli(
        province, "user", "create", "--username", "ai.do", "--full-name", "Ai Đó", "--role", "clerk"
    )
    assert no_organisation.returncode == 2 and "--organisation" in no_organisation.stderr


def test_the_demo_accounts_are_one_per_role_and_organisation_and_kept(
    province: Service, tmp_path: Path
) -> None:
    from service import demo_accounts, demo_tokens

    made = demo_accounts.demo_accounts(province.accounts, tmp_path, province.app.province, None)
    secretaries = demo_accounts.secretaries(province.app.province)
    wanted = demo_tokens.wanted(province.app.province) + secretaries
    assert len(made) == len(wanted) and len({a.username for a in made}) == len(made)
    assert {"tinh-hung-lam.admin", "xa-hoa-binh.clerk"} <= {a.username for a in made}
    # two cells' secretaries, each of its organisation's first cell, reading it alone
    assert [a.role for a in made].count("secretary") == len(secretaries) == 2
    for account in (a for a in made if a.role == "secretary"):
        row = province.accounts.by_username(account.username)
        assert (
            row is not None
            and row["department"] in province.app.province.reference(row["organisation"]).cells
        )
    for account in made:
        assert account.password is not None
        row = province.accounts.verify(account.username, account.password)
        assert row is not None and not row["must_change"] and row["full_name"]
    assert (tmp_path / demo_accounts.FILE_NAME).stat().st_mode & 0o077 == 0
    clerk = next(a for a in made if a.username == "xa-hoa-binh.clerk")
    row = province.accounts.by_username(clerk.username)
    assert row is not None
    province.accounts.set_password(row["user_id"], "doi-mat-khau-roi", must_change=False)
    again = demo_accounts.demo_accounts(province.accounts, tmp_path, province.app.province, None)
    assert [(a.username, a.password) for a in again] == [
        (a.username, None if a is clerk else a.password) for a in made
    ]
    assert len(province.accounts.listing()) == len(made)  # nothing made twice

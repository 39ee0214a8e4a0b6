"""The demo's accounts, one per role of each organisation (as ``demo_tokens.wanted``
lists them) and the secretaries of two party cells (``secretaries``), the same at every
start of ``petitions serve --demo``: people sign in to the pages with them.

Each has a fictional person's name and position. Their passwords are made once and kept
in a file of mode 0600 in the data folder (by username); an account whose kept password no
longer signs in (its user changed it) is left as it is and said so. The demo's passwords
need no change at the first sign-in, so a demo opens straight on the role's pages; accounts
an admin creates do."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from domain.actors import Role
from domain.reference import Province
from service import demo_tokens
from stores.accounts import AccountStore

FILE_NAME = "demo-accounts.json"
KEY = "accounts"
PEOPLE = (
    "Nguyễn Thị Lan",
    "Trần Văn Minh",
    "Lê Thị Hồng",
    "Phạm Văn Đức",
    "Hoàng Thị Mai",
    "Vũ Văn Hải",
    "Đặng Thị Thu",
    "Bùi Văn Nam",
)
POSITIONS = {
    Role.CLERK: "Chuyên viên Văn phòng",
    Role.COMMITTEE: "Phó Bí thư Thường trực",
    Role.DEPARTMENT: "Trưởng phòng",
    Role.AUDITOR: "Ủy viên Ủy ban Kiểm tra",
    Role.ADMIN: "Quản trị hệ thống",
    Role.SECRETARY: "Bí thư Chi bộ",
}
SECRETARIES = 2  # the demo's cells whose secretary has an account


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    department: str | None
    password: str | None  # None: its user has changed it since
    organisation: str | None


def username_of(role: Role, department: str | None, organisation: str | None) -> str:
    parts = [organisation or "demo", role.value]
    if organisation is None and department is not None:
        parts.append(department)  # one organisation: a department user (secretary) of two
    return ".".join(parts)


def secretaries(
    province: Province, raised: Callable[[str], Mapping[str, int]] | None = None
) -> list[tuple[Role, str | None, str | None]]:
    """The demo's secretaries as (role, cell, organisation), as ``demo_tokens.wanted``
    lists the others: of a deployment of one organisation, its first two cells (organisation
    None); of a province, the first cell of each of the first two organisations below it
    that have cells. First: the cells that raised the most petitions (``raised``, per
    organisation: so that the secretary has something to read), then by code."""

    def ranked(organisation: str) -> list[str]:
        counts = raised(organisation) if raised else {}
        cells = province.reference(organisation).cells
        return sorted(cells, key=lambda c: (-counts.get(c, 0), c))

    only = province.only_below()
    if only is not None:
        return [(Role.SECRETARY, cell, None) for cell in ranked(only.code)[:SECRETARIES]]
    found: list[tuple[Role, str | None, str | None]] = []
    for organisation in province.below():
        cells = ranked(organisation.code)
        if cells and len(found) < SECRETARIES:
            found.append((Role.SECRETARY, cells[0], organisation.code))
    return found


def demo_accounts(
    accounts: AccountStore,
    data_dir: Path,
    province: Province,
    only: str | None,
    raised: Callable[[str], Mapping[str, int]] | None = None,
) -> list[DemoAccount]:
    """An account per demo role (of each organisation of ``province``; ``only``: the
    deployment's one organisation below it, if it has just one; ``raised``: the petitions
    each cell raised, per organisation, where the secretaries' cells are chosen)."""
    path = data_dir / FILE_NAME
    kept = demo_tokens.read(path, KEY)
    found = []
    wanted = demo_tokens.wanted(province) + secretaries(province, raised)
    for n, (role, department, organisation) in enumerate(wanted):
        username = username_of(role, department, organisation)
        password: str | None = kept.get(username)
        if accounts.by_username(username) is None:
            password = f"demo-{secrets.token_urlsafe(9)}"
            accounts.create(
                username=username,
                full_name=PEOPLE[n % len(PEOPLE)],
                position=POSITIONS[role],
                role=role,
                department=department,
                organisation=organisation or only or province.code,
                password=password,
                must_change=False,
            )
            kept[username] = password
            demo_tokens.write(path, kept, KEY)  # at once: a password made is never lost
        elif password is None or accounts.verify(username, password) is None:
            password = None
        found.append(DemoAccount(username, role.value, department, password, organisation))
    # each organisation's accounts together, its secretary's last (the names kept as made)
    first = {a.organisation: n for n, a in reversed(list(enumerate(found)))}
    return sorted(found, key=lambda a: first[a.organisation])

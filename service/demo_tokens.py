"""The demo's tokens, one per role (and organisation), the same at every start of
``petitions serve --demo``.

A deployment of one district gets one token per role, as it always has. A province gets
its committee's, one of its departments', its auditor's and its administrator's, and each
organisation below it its clerk's, committee's, one department's and auditor's: each
token of its organisation, named after it.

Clients keep the tokens a demo start printed, so a restart must not take them away: the
secrets are kept in a file of mode 0600 in the data folder (by token name, which names
the organisation), those still valid (the same name, role, department and organisation)
are reused, and only the missing ones (never issued, revoked, or issued by another
database) are issued. Nothing is revoked here; ``petitions token revoke`` ends one.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import structlog

from domain.actors import Role
from domain.reference import Province
from stores.tokens import TokenStore

log = structlog.get_logger(__name__)

FILE_NAME = "demo-tokens.json"
ROLES = (
    (Role.CLERK, None),
    (Role.COMMITTEE, None),
    (Role.DEPARTMENT, "kinh-te-ha-tang"),
    (Role.DEPARTMENT, "cong-an"),
    (Role.AUDITOR, None),
    (Role.ADMIN, None),
)
# The roles of an organisation below the province (a department: ``department_of``'s).
OWN_ROLES = (Role.CLERK, Role.COMMITTEE, Role.DEPARTMENT, Role.AUDITOR)
PROVINCE_ROLES = (Role.COMMITTEE, Role.DEPARTMENT, Role.AUDITOR, Role.ADMIN)
# The department a demo token is given, the first of these an organisation has (else
# its first by code): those the demo's petitions go to most.
DEPARTMENTS = ("so-xay-dung", "kinh-te-ha-tang")


@dataclass(frozen=True)
class DemoToken:
    role: str
    department: str | None
    secret: str
    reused: bool  # printed at an earlier start, still valid
    organisation: str | None = None  # None: the deployment's only organisation


def name_of(role: Role, department: str | None, organisation: str | None = None) -> str:
    """The token's name, which is also the subject it stands for."""
    return (
        f"demo {role.value}"
        + (f" {organisation}" if organisation else "")
        + (f" {department}" if department else "")
    )


def department_of(province: Province, organisation: str) -> str | None:
    """The department of ``organisation`` its demo token is given (None: it has none)."""
    own = sorted(province.reference(organisation).departments)
    preferred = [code for code in own if code in DEPARTMENTS or code == f"{organisation}-kinh-te"]
    choices = preferred or own
    return choices[0] if choices else None


def wanted(province: Province | None) -> list[tuple[Role, str | None, str | None]]:
    """The demo's tokens as (role, department, organisation): a deployment of one
    organisation below its province (or none given), one per role of ``ROLES``; a
    province, its own and each organisation's below it."""
    if province is None or province.only_below() is not None:
        return [(role, department, None) for role, department in ROLES]
    found: list[tuple[Role, str | None, str | None]] = []
    for organisation, roles in [
        (province.code, PROVINCE_ROLES),
        *((o.code, OWN_ROLES) for o in province.below()),
    ]:
        department = department_of(province, organisation)
        found += [
            (role, department if role is Role.DEPARTMENT else None, organisation)
            for role in roles
            if role is not Role.DEPARTMENT or department is not None
        ]
    return found


def read(path: Path, key: str = "tokens") -> dict[str, str]:
    """The secrets kept in ``path`` under ``key`` (none if it is missing or unreadable)."""
    try:
        kept = json.loads(path.read_text())
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as error:
        log.warning("demo_tokens.unreadable", file=str(path), error=repr(error))
        return {}
    if path.stat().st_mode & 0o077:
        path.chmod(0o600)  # secrets: for its owner only
    tokens = kept.get(key) if isinstance(kept, dict) else None
    return {k: v for k, v in (tokens or {}).items() if isinstance(v, str)}


def write(path: Path, tokens: dict[str, str], key: str = "tokens") -> None:
    """Replace the file at once; it is created with mode 0600, never readable by others."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as out:
        json.dump({key: tokens}, out, indent=1)
    partial.chmod(0o600)
    os.replace(partial, path)


def demo_tokens(
    tokens: TokenStore, data_dir: Path, province: Province | None = None
) -> list[DemoToken]:
    """A token per demo role (of each organisation of ``province``, see ``wanted``):
    the kept one if it is still valid, else a new one."""
    path = data_dir / FILE_NAME
    kept = read(path)
    found = []
    for role, department, organisation in wanted(province):
        name = name_of(role, department, organisation)
        secret = kept.get(name, "")
        holder = tokens.authenticate(secret) if secret else None
        reused = holder is not None and (holder.name, holder.role, holder.department) == (
            name,
            role,
            department,
        )
        if holder is not None and organisation is not None:
            reused = reused and holder.organisation == organisation
        if not reused:
            secret = tokens.create(
                role=role, department=department, name=name, organisation=organisation
            )[1]
            kept[name] = secret
            write(path, kept)  # at once: a token issued is never lost
        found.append(DemoToken(role.value, department, secret, reused, organisation))
    return found

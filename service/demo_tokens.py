"""The demo's tokens, one per role, the same at every start of ``petitions serve --demo``.

Clients keep the tokens a demo start printed, so a restart must not take them away: the
secrets are kept in a file of mode 0600 in the data folder, those still valid are reused,
and only the missing ones (never issued, revoked, or issued by another database) are
issued. Nothing is revoked here; ``petitions token revoke`` ends one.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import structlog

from domain.actors import Role
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


@dataclass(frozen=True)
class DemoToken:
    role: str
    department: str | None
    secret: str
    reused: bool  # printed at an earlier start, still valid


def name_of(role: Role, department: str | None) -> str:
    """The token's name, which is also the subject it stands for."""
    return f"demo {role.value}" + (f" {department}" if department else "")


def read(path: Path) -> dict[str, str]:
    try:
        kept = json.loads(path.read_text())
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as error:
        log.warning("demo_tokens.unreadable", file=str(path), error=repr(error))
        return {}
    if path.stat().st_mode & 0o077:
        path.chmod(0o600)  # secrets: for its owner only
    tokens = kept.get("tokens") if isinstance(kept, dict) else None
    return {k: v for k, v in (tokens or {}).items() if isinstance(v, str)}


def write(path: Path, tokens: dict[str, str]) -> None:
    """Replace the file at once; it is created with mode 0600, never readable by others."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as out:
        json.dump({"tokens": tokens}, out, indent=1)
    partial.chmod(0o600)
    os.replace(partial, path)


def demo_tokens(tokens: TokenStore, data_dir: Path) -> list[DemoToken]:
    """A token per demo role: the kept one if it is still valid, else a new one."""
    path = data_dir / FILE_NAME
    kept = read(path)
    found = []
    for role, department in ROLES:
        name = name_of(role, department)
        secret = kept.get(name, "")
        holder = tokens.authenticate(secret) if secret else None
        reused = holder is not None and (holder.name, holder.role, holder.department) == (
            name,
            role,
            department,
        )
        if not reused:
            secret = tokens.create(role=role, department=department, name=name)[1]
            kept[name] = secret
            write(path, kept)  # at once: a token issued is never lost
        found.append(DemoToken(role.value, department, secret, reused))
    return found

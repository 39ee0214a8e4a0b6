"""A section of the settings (``postgres_*``, ``smtp_*``) builds the object it describes,
each setting giving the parameter it names, or nothing while its host is unset."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from service.database import Database, from_library_env
from service.settings import Settings
from workers.mail import SmtpSettings
from workers.policy import smtp_from

SECTIONS: list[tuple[Callable[[Settings], object], str, dict[str, Any], object]] = [
    (
        from_library_env,
        "postgres_",
        {"host": "db", "port": 6543, "user": "u", "password": "p", "dbname": "d"},
        Database("db", 6543, "u", "p", "d"),
    ),
    (
        smtp_from,
        "smtp_",
        {"host": "mail", "port": 587, "sender": "a@b.vn", "username": "u", "starttls": True},
        SmtpSettings("mail", 587, "a@b.vn", "u", starttls=True),
    ),
]


@pytest.mark.parametrize(("build", "prefix", "given", "expected"), SECTIONS)
def test_a_section_builds_what_it_names(
    build: Callable[[Settings], object], prefix: str, given: dict[str, Any], expected: object
) -> None:
    settings = Settings(**{prefix + name: value for name, value in given.items()})
    assert build(settings) == expected
    unset: dict[str, Any] = {f"{prefix}host": ""}
    assert build(Settings(**unset)) is None

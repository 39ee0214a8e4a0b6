"""The password policy of the accounts, in one place: long enough (the minimum is a
setting), not the username, not one of the passwords people choose most (the list
``common_passwords.txt``, Vietnamese ones among them). A refused password is refused for
every reason at once (``PasswordFault``); the pages and the command line say each in words.

Passwords are compared with the list and the username as people type them: case, spaces
around and Vietnamese accents aside ("Mật khẩu" is "matkhau")."""

from __future__ import annotations

import unicodedata
from enum import StrEnum
from functools import cache
from pathlib import Path

COMMON_PASSWORDS = Path(__file__).with_name("common_passwords.txt")
DEFAULT_MIN_LENGTH = 10
MAX_LENGTH = 256  # past this, hashing is work for nothing: refused


class PasswordFault(StrEnum):
    """Why a password is refused."""

    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    IS_USERNAME = "is_username"
    COMMON = "common"


def folded(text: str) -> str:
    """``text`` lower-cased, spaces and accents taken away (đ read as d)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c) and not c.isspace())


@cache
def common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(folded(line) for line in lines if line.strip() and not line.startswith("#"))


def password_faults(
    password: str, *, username: str, min_length: int = DEFAULT_MIN_LENGTH
) -> list[PasswordFault]:
    """Every reason ``password`` may not be ``username``'s (none: it may)."""
    faults = []
    if len(password) < min_length:
        faults.append(PasswordFault.TOO_SHORT)
    if len(password) > MAX_LENGTH:
        faults.append(PasswordFault.TOO_LONG)
    typed = folded(password)
    name = folded(username)
    if name and (typed in (name, name[::-1]) or (name in typed and len(typed) < len(name) + 4)):
        faults.append(PasswordFault.IS_USERNAME)  # the name, backwards, or with a few more
    if typed in common_passwords():
        faults.append(PasswordFault.COMMON)
    return faults

"""Secrets kept out of what is logged or stored: anything shaped like an API token
(``pt_<role>_<secret>``) or a web session id is removed from a request's path and query
string before the request log or the access log sees them."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, unquote, urlencode

from stores.sessions import SESSION_ID_CHARS
from stores.tokens import TOKEN_ROLES

REDACTED = "[redacted]"
URLSAFE = r"A-Za-z0-9_\-"  # base64url
ROLES = frozenset(role.value for role in TOKEN_ROLES)
ANY_ROLE = "|".join(sorted(ROLES))
# A token wherever it is, or a word starting like one (a near miss, a mistyped role);
# not one redacted already.
TOKEN = re.compile(
    rf"(?:pt_(?:{ANY_ROLE})_|(?<![A-Za-z0-9])pt_(?!(?:{ANY_ROLE})_{re.escape(REDACTED)}))"
    rf"[{URLSAFE}]+",
    re.IGNORECASE,
)
# A session id (or a CSRF secret, the same shape): a run of exactly that many characters.
SESSION_ID = re.compile(rf"(?<![{URLSAFE}])[{URLSAFE}]{{{SESSION_ID_CHARS}}}(?![{URLSAFE}=])")


def without_token(match: re.Match[str]) -> str:
    role, _, secret = match.group(0)[3:].partition("_")
    return f"pt_{role}_{REDACTED}" if role.lower() in ROLES and secret else f"pt_{REDACTED}"


def redact(text: str) -> str:
    """``text`` with every token- or session-id-shaped run replaced."""
    return SESSION_ID.sub(REDACTED, TOKEN.sub(without_token, text))


def revealed(value: str) -> str:
    """Percent-decoded until it no longer changes (a token encoded twice, as in a
    ``next=`` that carries a whole query, is found too)."""
    for _ in range(4):
        decoded = unquote(value)
        if decoded == value:
            break
        value = decoded
    return value


def redact_query(query: str) -> str:
    """The query string as it came when it holds nothing secret-shaped, else re-encoded
    from its decoded parameters with those parts replaced."""
    pairs = [(revealed(k), revealed(v)) for k, v in parse_qsl(query, keep_blank_values=True)]
    cleaned = [(redact(k), redact(v)) for k, v in pairs]
    if cleaned == pairs:
        return query
    return urlencode(cleaned, safe="[]/:", quote_via=quote)

"""Tokens and session ids are redacted from paths and query strings before a request is
logged or written to the access log; everything else is kept as it came."""

from __future__ import annotations

from urllib.parse import quote, unquote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from audit.redaction import redact, redact_query
from domain.actors import Role
from stores.sessions import new_session_id
from stores.tokens import TOKEN_ROLES, new_secret

TEXT = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=30)


def secrets_in(kept: str, secret: str) -> bool:
    """Whether ``secret`` (or its random part) can be read back from ``kept``."""
    random_part = secret.split("_", 2)[2] if secret.startswith("pt_") else secret
    decoded = unquote(unquote(kept))
    return random_part in kept or random_part in decoded


@given(
    role=st.sampled_from(TOKEN_ROLES),
    before=TEXT,
    after=TEXT,
    name=st.sampled_from(["note", "token", "q", "next"]),
    times_encoded=st.integers(0, 2),
)
def test_a_token_anywhere_in_a_query_is_never_kept(
    role: Role, before: str, after: str, name: str, times_encoded: int
) -> None:
    secret = new_secret(role)
    value = f"{before}{secret}{after}"
    for _ in range(times_encoded):
        value = quote(value, safe="")
    query = f"limit=5&{name}={quote(value, safe='') if times_encoded == 0 else value}"
    kept = redact_query(query)
    assert not secrets_in(kept, secret), kept
    assert kept.startswith("limit=5&") and "[redacted]" in kept
    assert redact_query(kept) == kept  # shown again as it was kept


@given(before=st.sampled_from(["", "x ", "/trang?sid=", "petitions_session="]))
def test_a_session_id_in_a_query_or_a_path_is_never_kept(before: str) -> None:
    session_id = new_session_id()
    kept = redact_query("next=" + quote(before + session_id, safe=""))
    assert not secrets_in(kept, session_id) and "[redacted]" in kept
    assert redact(f"/v1/petitions/{session_id}") == "/v1/petitions/[redacted]"


def test_a_token_in_a_path_is_never_kept() -> None:
    secret = new_secret(Role.COMMITTEE)
    redacted = redact(f"/v1/petitions/{secret}/events")
    assert redacted == "/v1/petitions/pt_committee_[redacted]/events"
    assert redact("/v1/petitions/pt_nobody_x") == "/v1/petitions/pt_[redacted]"  # near miss
    # Text that looks redacted already hides nothing.
    assert redact(f"{secret}[redacted]") == "pt_committee_[redacted][redacted]"


@pytest.mark.parametrize(
    "query",
    [
        "",
        "limit=5&offset=100&sort=days&order=desc",
        "q=%C4%90%C6%B0%E1%BB%9Dng+%E1%BB%91ng&department=cong-an",
        "q=adapt_layer&kind=reflection",  # "pt_" inside a word is no token
        # a list cursor (base64 of a date and a petition id) is longer than a session id
        "cursor=MjAyNi0xMS0wM3w2ZjFjMmE0ZS0zYjdkLTVlOGYtOWEwYi0xYzJkM2U0ZjVhNmI%3D",
        "on=2026-11-23&as_of=2026-11-23T10%3A00%3A00%2B07%3A00",
        "q=%E1%BA",  # malformed percent-encoding, kept as it came
    ],
)
def test_a_query_without_secrets_is_kept_as_it_came(query: str) -> None:
    assert redact_query(query) == query


def test_ids_of_petitions_and_requests_are_kept() -> None:
    for path in (
        "/v1/petitions/6f1c2a4e-3b7d-5e8f-9a0b-1c2d3e4f5a6b/events",
        "/v1/briefings/khu-1/2026-11-03/packet",
    ):
        assert redact(path) == path

"""Tokens and the subject they stand for: idempotency keys scoped to the subject, and a
token table from before subjects upgraded in place."""

from __future__ import annotations

import psycopg
from psycopg import sql

from domain.actors import Role
from service.bootstrap import Service, bootstrap
from service.database import Database
from service.demo import DEMO_SEED
from service.settings import Settings
from stores.tokens import Principal, digest
from tests.integration.helpers import draft, stored_event_count
from usecases.commands import Context


def principal(service: Service, secret: str) -> Principal:
    found = service.tokens.authenticate(secret)
    assert found is not None
    return found


def test_tokens_of_one_subject_share_its_keys_and_other_subjects_never_do(
    service: Service,
) -> None:
    app, tokens = service.app, service.tokens
    lan = "Văn phòng Huyện ủy — chuyên viên Lan"
    first = principal(service, tokens.create(role=Role.CLERK, name="laptop", subject=lan)[1])
    reissued = principal(service, tokens.create(role=Role.CLERK, name="phone", subject=lan)[1])
    other = principal(service, tokens.create(role=Role.CLERK, name="laptop")[1])
    assert first.subject == reissued.subject == lan and other.subject == "laptop"
    assert first.token_id != reissued.token_id

    raised = app.raise_petition(draft(), Context.of(first), idempotency_key="khu-1/row-1")
    events = stored_event_count(service)
    again = app.raise_petition(draft(), Context.of(reissued), idempotency_key="khu-1/row-1")
    assert (again.id, again.replayed) == (raised.id, True)
    assert again.position == raised.position  # the first write's position, not the head
    assert stored_event_count(service) == events  # nothing recorded twice

    # Another subject, even one named like the first token, never shares the key.
    theirs = app.raise_petition(draft(), Context.of(other), idempotency_key="khu-1/row-1")
    assert theirs.id != raised.id and not theirs.replayed


def test_a_key_recorded_before_subjects_still_answers_its_own_token(service: Service) -> None:
    """Keys were scoped to the token before: a retry by that token is still recognised."""
    app, tokens = service.app, service.tokens
    secret = tokens.create(role=Role.CLERK, name="clerk before the upgrade")[1]
    holder = principal(service, secret)
    before = app.raise_petition(draft(), Context(holder.actor), idempotency_key="old-key")
    events = stored_event_count(service)
    retried = app.raise_petition(draft(), Context.of(holder), idempotency_key="old-key")
    assert (retried.id, retried.replayed) == (before.id, True)
    assert retried.position == before.position
    assert stored_event_count(service) == events
    # A new key of the same token is scoped to its subject from now on.
    new = app.raise_petition(draft(), Context.of(holder), idempotency_key="new-key")
    assert not new.replayed and new.id != before.id


def test_a_token_table_from_before_subjects_is_upgraded_in_place(
    database: Database, schema: str, settings: Settings
) -> None:
    table = sql.Identifier(schema, "api_tokens")
    with psycopg.connect(database.conninfo(), autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
        conn.execute(  # the table as earlier versions made it
            sql.SQL(
                "CREATE TABLE {} (token_id text PRIMARY KEY,"
                " sha256 text NOT NULL UNIQUE, name text NOT NULL, role text NOT NULL,"
                " department text, created_at timestamptz NOT NULL DEFAULT now(),"
                " revoked_at timestamptz)"
            ).format(table)
        )
        conn.execute(
            sql.SQL(
                "INSERT INTO {} (token_id, sha256, name, role, department, revoked_at) VALUES"
                " ('tok_old1', %s, 'chị Lan', 'clerk', NULL, NULL),"
                " ('tok_old2', %s, 'phòng kinh tế', 'department', 'kinh-te-ha-tang', NULL),"
                " ('tok_old3', %s, 'đã thu hồi', 'committee', NULL, now())"
            ).format(table),
            (digest("pt_clerk_old-one"), digest("pt_department_old-two"), digest("pt_old3")),
        )
    for _ in range(2):  # and a second start changes nothing
        service = bootstrap(settings, database=database, schema=schema, seed=DEMO_SEED)
        try:
            # and before organisations: every old token is the founding organisation's
            assert principal(service, "pt_clerk_old-one") == Principal(
                "tok_old1", "chị Lan", Role.CLERK, None, "chị Lan", "huyen"
            )
            infra = principal(service, "pt_department_old-two")
            assert (infra.department, infra.subject) == ("kinh-te-ha-tang", "phòng kinh tế")
            assert service.tokens.authenticate("pt_old3") is None  # still revoked
            service.tokens.create(role=Role.AUDITOR, name=f"new {_}")
        finally:
            service.close()
    with psycopg.connect(database.conninfo()) as conn:
        rows = conn.execute(
            sql.SQL("SELECT token_id, subject, revoked_at IS NOT NULL FROM {} ORDER BY 1").format(
                table
            )
        ).fetchall()
        nullable = conn.execute(
            "SELECT is_nullable FROM information_schema.columns WHERE table_schema = %s"
            " AND table_name = 'api_tokens' AND column_name = 'subject'",
            (schema,),
        ).fetchone()
    assert [r for r in rows if r[0].startswith("tok_old")] == [
        ("tok_old1", "chị Lan", False),
        ("tok_old2", "phòng kinh tế", False),
        ("tok_old3", "đã thu hồi", True),
    ]
    assert len(rows) == 5 and nullable == ("NO",)

"""Events name the person who acted: a named principal's events carry its full name and
position, a client token's its name; events recorded before actors named anyone keep
their stored actor and are shown under their token's name where the token is known; the
log still verifies intact; timelines, the back-dated list and the access log name them."""

from __future__ import annotations

import json
from datetime import date

import psycopg
from psycopg import sql

from audit.verify import verify_database
from domain.actors import Actor, Role
from service.bootstrap import Service
from stores.tokens import Principal
from tests.integration.helpers import AUDITOR, draft
from usecases.commands import Context
from workers.runner import catch_up


def person(service: Service, token_id: str, full_name: str, position: str) -> Principal:
    """The principal of a signed-in account, as sign-in fills it: its token's row with
    the person's name and position."""
    row = service.tokens.get(token_id)
    assert row is not None
    return Principal(
        token_id,
        row["name"],
        Role(row["role"]),
        row["department"],
        row["subject"],
        row["organisation"],
        full_name=full_name,
        position=position,
        account="lan",
    )


def stored_actors(service: Service) -> list[dict[str, object]]:
    """Each stored event's actor, as the event table holds it (the transcoding's JSON)."""
    with psycopg.connect(service.conninfo) as conn:
        rows = conn.execute(
            sql.SQL("SELECT state FROM {} ORDER BY notification_id").format(
                sql.Identifier(service.app.datastore.schema, "petitions_events")
            )
        ).fetchall()
    actors = [json.loads(bytes(state))["actor"] for (state,) in rows]
    assert all(a["_type_"] == "actor" for a in actors)
    return [a["_data_"] for a in actors]


def test_events_carry_the_persons_name_and_old_ones_show_their_tokens(service: Service) -> None:
    app, tokens = service.app, service.tokens
    committee_token = tokens.create(role=Role.COMMITTEE, name="máy của chị Lan")[0]
    lan = person(service, committee_token, "Nguyễn Thị Lan", "Chánh Văn phòng")
    portal = tokens.authenticate(tokens.create(role=Role.CLERK, name="Cổng tiếp nhận ý kiến")[1])
    assert portal is not None
    old_token = tokens.create(role=Role.CLERK, name="Văn thư (mã cũ)")[0]

    # an event recorded before actors named anyone: only the token's id
    old = app.raise_petition(draft(), Context(Actor(old_token, Role.CLERK))).id
    # and one by an actor no token stands for
    app.raise_petition(draft(summary="Đèn đường hỏng"), Context(Actor("van-thu-1", Role.CLERK)))
    app.assign(old, Context.of(lan), department="kinh-te-ha-tang", on=date(2026, 3, 5))
    by_portal = app.raise_petition(draft(summary="Rác thải"), Context.of(portal)).id

    stored = stored_actors(service)
    assert "name" not in stored[0] and "position" not in stored[0]  # written as before
    assert stored[2]["name"] == "Nguyễn Thị Lan"
    assert stored[2]["position"] == "Chánh Văn phòng"
    assert stored[3]["name"] == "Cổng tiếp nhận ý kiến" and "position" not in stored[3]

    timeline = service.queries.history(AUDITOR.actor, old)
    shown = [(e["type"], e["actor"]["name"], e["actor"]["position"]) for e in timeline]
    assert shown == [
        ("Raised", "Văn thư (mã cũ)", None),  # the token's name, from the token table
        ("Assigned", "Nguyễn Thị Lan", "Chánh Văn phòng"),
    ]
    assert timeline[0]["actor"]["id"] == old_token  # the id stays as it was recorded
    assert service.queries.history(AUDITOR.actor, by_portal)[0]["actor"]["name"] == (
        "Cổng tiếp nhận ý kiến"
    )

    # the chain covers the new events as any other: the log verifies intact
    catch_up(service.runners, app.recorder, app.mapper)
    assert service.chain.signing_key is not None
    report = verify_database(
        service.conninfo, app.datastore.schema, service.chain.signing_key.public_key()
    )
    assert report.ok and report.events == 4, report.lines()

    # the back-dated list (the draft's business date lies months back) names them too
    items = service.queries.backdated(AUDITOR.actor)["items"]
    named = {(r["type"], r["actor_id"]): (r["actor_name"], r["actor_position"]) for r in items}
    assert named[("Raised", old_token)] == ("Văn thư (mã cũ)", None)
    assert named[("Raised", "van-thu-1")] == (None, None)  # no token: shown by its id
    assert named[("Assigned", committee_token)] == ("Nguyễn Thị Lan", "Chánh Văn phòng")


def test_the_access_log_names_the_reader(service: Service) -> None:
    tokens, log = service.tokens, service.access_log
    auditor = tokens.create(role=Role.AUDITOR, name="Kiểm tra viên (mã)")[0]
    reader = person(service, auditor, "Trần Văn Minh", "Ủy viên Ủy ban Kiểm tra")
    old_row = {"role": "auditor", "method": "GET", "query": "", "request_id": None}
    log.record(token_id=auditor, path="/v1/petitions", **old_row)  # as reads were recorded
    log.record(token_id="tok_gone", path="/audit", **old_row)  # a token no longer known
    log.record(
        token_id=auditor,
        path="/audit",
        actor_name=reader.actor.name,
        actor_position=reader.position,
        **old_row,
    )
    entries = log.entries(10)
    assert [(e["actor_name"], e["actor_position"]) for e in entries] == [
        ("Trần Văn Minh", "Ủy viên Ủy ban Kiểm tra"),
        (None, None),
        ("Kiểm tra viên (mã)", None),
    ]
    only = tokens.only
    assert only is not None
    scoped = log.entries(10, organisations=frozenset({only}))
    assert [e["actor_name"] for e in scoped] == ["Trần Văn Minh", "Kiểm tra viên (mã)"]
    # a read recorded with its organisation counts as that organisation's, token or not
    log.record(
        token_id="usr_1", path="/audit", actor_name="Lê Hoa", organisation="xa-khac", **old_row
    )
    assert [e["actor_name"] for e in log.entries(1, organisations=frozenset({"xa-khac"}))] == [
        "Lê Hoa"
    ]
    assert [e["actor_name"] for e in log.entries(10, organisations=frozenset({only}))] == [
        "Trần Văn Minh",
        "Kiểm tra viên (mã)",
    ]

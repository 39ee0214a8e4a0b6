"""Secrets (reliability check 10, RELIABILITY.md): the API's part; the pages' is in
tests/e2e/web/test_web_security.py.

* Tokens are never logged: ``petitions serve`` runs as a process with JSON logs at DEBUG;
  requests carry each role's token (good, revoked-looking, near-miss, misplaced in the
  query string and in a body) and the log lines must name the request but contain neither
  the token, nor its random part, nor its SHA-256 (what the token table keeps).
* Secrets are never in the event log, nor anywhere in the database but the token table's
  hashes: after a lifecycle written by every role, every row of every table of the schema
  (the stored events' bytes included) is searched for the tokens, their hashes and the
  audit signing key (raw, hex, base64, PEM).
"""

from __future__ import annotations

import base64
import hashlib
import json
import signal
import uuid
from pathlib import Path
from urllib.parse import quote

import httpx
import psycopg
from cryptography.hazmat.primitives import serialization
from psycopg import sql

from service.bootstrap import bootstrap
from service.database import Database
from service.demo import DEMO_SEED
from stores.sessions import new_session_id
from tests.conftest import settings_in
from tests.e2e.conftest import DEPARTMENT, Live, free_port, tokens_per_role
from tests.e2e.test_operations import status, wait_until
from tests.e2e.test_writes import RAISE, WRITTEN, ok
from tests.figures import record
from tests.integration.helpers import cli_env, own_database, start_petitions


def forms_of_token(token: str) -> set[str]:
    secret_part = token.split("_", 2)[2]  # after pt_<role>_ (base64url may hold "_" too)
    assert len(secret_part) >= 32, token
    digest = hashlib.sha256(token.encode()).hexdigest()
    return {token, secret_part, digest, digest.upper()}


def test_tokens_are_never_logged(database: Database, tmp_path: Path) -> None:
    target = own_database(database, "sec")
    settings = settings_in(tmp_path)
    prepared = bootstrap(settings, database=target, seed=DEMO_SEED)
    tokens = tokens_per_role(prepared, "clerk", "committee", "department", "auditor", "admin")
    prepared.close()
    port = free_port()
    server = start_petitions(
        cli_env(tmp_path, target, LOG_LEVEL="DEBUG"), "serve", "--port", str(port)
    )
    request_ids: list[str] = []
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until(lambda: status(f"{url}/healthz") == 200)
        committee, clerk = tokens["committee"], tokens["clerk"]
        near_miss = clerk[:-1] + ("A" if clerk[-1] != "A" else "B")

        def send(method: str, path: str, token: str, **kwargs: object) -> httpx.Response:
            request_id = f"secret-check-{len(request_ids)}"
            request_ids.append(request_id)
            headers = {"Authorization": f"Bearer {token}", "X-Request-ID": request_id}
            return httpx.request(method, f"{url}{path}", headers=headers, timeout=30, **kwargs)  # type: ignore[arg-type]

        for who, token in tokens.items():
            assert send("GET", "/v1/reference", token).status_code == 200, who
            send("GET", "/v1/overdue", token)  # 200 or 403 by role
            send("POST", "/v1/petitions", token, json=RAISE)  # 201 or 403
        assert send("GET", "/v1/overdue", near_miss).status_code == 401
        assert send("GET", f"/v1/overdue?token={committee}", near_miss).status_code == 401
        session_id = new_session_id()
        misplaced = f"/v1/overdue?note={clerk}&sid={session_id}&limit=5"
        assert send("GET", misplaced, committee).status_code == 200
        assert send("GET", f"/v1/petitions/{clerk}", committee).status_code == 422
        refused = send("POST", "/v1/petitions", clerk, json={**RAISE, "summary": committee * 20})
        assert refused.status_code == 422  # the token pasted into a field, too long
        assert send("GET", "/v1/petitions/not-a-uuid", committee).status_code == 422
        assert send("GET", f"/v1/petitions/{uuid.uuid4()}", committee).status_code == 404
    finally:
        server.send_signal(signal.SIGINT)
        stdout_rest, stderr = server.communicate(timeout=60)
        with psycopg.connect(database.conninfo("postgres"), autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                    sql.Identifier(target.dbname)
                )
            )
    lines = [json.loads(line) for line in stderr.splitlines() if line.startswith("{")]
    logged = {e.get("request_id") for e in lines if e.get("event") == "request"}
    assert set(request_ids) <= logged  # every request was logged...
    secrets = {form for token in tokens.values() for form in forms_of_token(token)}
    secrets |= forms_of_token(near_miss) | {session_id}
    assert [(e["path"], e["query"]) for e in lines if e.get("query", "").startswith("note=")] == [
        ("/v1/overdue", "note=pt_clerk_[redacted]&sid=[redacted]&limit=5")
    ]  # the request log names the query, redacted
    leaks = sorted(s[:12] for s in secrets if s in stderr or s in stdout_rest)  # prefixes only
    record(
        "10 tokens never logged",
        f"{len(request_ids)} requests with {len(tokens) + 1} tokens, {len(lines)} JSON log "
        f"lines at DEBUG: {len(leaks)} with a token, its secret part or its hash",
        requests=len(request_ids),
        log_lines=len(lines),
        leaks=len(leaks),
    )
    assert not leaks  # ...and no line holds a token in any form


def test_secrets_are_never_in_the_event_log_or_the_database(live: Live) -> None:
    service = live.service
    with (
        live.client("clerk") as clerk,
        live.client("committee") as committee,
        live.client("department") as department,
        live.client("auditor") as auditor,
    ):
        pid = ok(clerk.post("/v1/petitions", json=RAISE, headers={"Idempotency-Key": "k1"}), 201)
        pid = pid["id"]
        ok(
            committee.post(
                f"/v1/petitions/{pid}/assignment",
                json={"department": DEPARTMENT, "assigned_on": "2026-06-05"},
            )
        )
        ok(department.post(f"/v1/petitions/{pid}/answer", json=WRITTEN))
        ok(
            clerk.post(
                f"/v1/petitions/{pid}/verification",
                json={"verdict": "satisfied", "verified_on": "2026-07-03"},
            )
        )
        ok(auditor.get(f"/v1/petitions/{pid}/events"))  # recorded in the access log
        # Secrets misplaced in what the access log keeps: the query and the path.
        misplaced = [live.tokens["clerk"], live.tokens["department"], new_session_id()]
        ok(committee.get("/v1/overdue", params={"note": misplaced[0], "sid": misplaced[2]}))
        ok(auditor.get("/v1/overdue", params={"next": f"/board?t={quote(misplaced[1])}"}))
        assert committee.get(f"/v1/petitions/{misplaced[1]}").status_code == 422
        shown = ok(auditor.get("/v1/audit/access-log"))
        written = ok(committee.get(f"/v1/petitions/{pid}"))
    assert {(e["path"], e["query"]) for e in shown[1:4]} == {
        ("/v1/petitions/pt_department_[redacted]", ""),
        ("/v1/overdue", "next=/board%3Ft%3Dpt_department_[redacted]"),
        ("/v1/overdue", "note=pt_clerk_[redacted]&sid=[redacted]"),
    }  # what auditors are shown
    service.chain.wait("Petitions", service.app.recorder.max_notification_id(), timeout=10)
    assert service.chain.checkpoint_now() is not None  # a signature in the database too
    assert written["status"] == "closed" or written["verifications"]

    key = service.chain.signing_key
    raw = key.private_bytes_raw()  # type: ignore[union-attr]
    pem = key.private_bytes(  # type: ignore[union-attr]
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    pem_body = "".join(pem.strip().splitlines()[1:-1])
    key_forms = {
        raw.hex(),
        base64.b64encode(raw).decode(),
        base64.urlsafe_b64encode(raw).decode().rstrip("="),
        pem_body,
        pem_body[:40],
    }
    token_forms = {form for token in live.tokens.values() for form in forms_of_token(token)}
    token_forms.add(misplaced[2])
    hashes = {hashlib.sha256(t.encode()).hexdigest() for t in live.tokens.values()}
    schema = service.app.datastore.schema
    found: dict[str, list[str]] = {}
    rows = 0
    with psycopg.connect(service.conninfo) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = %s",
                (schema,),
            )
        ]
        assert "petitions_events" in tables and "api_tokens" in tables, tables
        for name in tables:
            ident = sql.Identifier(schema, name)
            texts = [r[0] for r in conn.execute(sql.SQL("SELECT t::text FROM {} t").format(ident))]
            if name == "petitions_events":  # the stored bytes themselves, decoded
                texts += [
                    bytes(r[0]).decode("utf-8", "replace")
                    for r in conn.execute(sql.SQL("SELECT state FROM {}").format(ident))
                ]
            rows += len(texts)
            blob = "\n".join(texts)
            hits = [s[:12] for s in (token_forms | key_forms) if s in blob]
            if name == "api_tokens":  # where the hashes belong, and only they
                assert hashes <= {h for h in hashes if h in blob}  # the search does find
                hits = [s[:12] for s in (token_forms - hashes) | key_forms if s in blob]
            if hits:
                found[name] = hits
    events = service.app.recorder.max_notification_id()
    record(
        "10 secrets not in the event log",
        f"{events} events and {rows} rows of {len(tables)} tables searched for "
        f"{len(live.tokens)} tokens (3 forms each) and the signing key (5 forms): "
        f"{sum(len(v) for v in found.values())} found",
        tables=len(tables),
        rows=rows,
        found=found,
    )
    assert not found

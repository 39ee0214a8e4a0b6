"""`petitions serve --demo` (what `make run` calls) on a real PostgreSQL, from outside: the
demo province recorded once, named organisation by organisation; and `petitions
quality-eval` on it."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import psycopg
from psycopg import sql

from service.database import Database
from tests.integration.helpers import cli_env, own_database, run_petitions


def run_cli(database: Database, data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # The demo's year of meetings takes a minute or two to record on a busy 2-core machine.
    return run_petitions(cli_env(data_dir, database), *args, timeout=300)


def test_serve_demo_records_the_demo_province_once(database: Database, tmp_path: Path) -> None:
    target = own_database(database, "cli")
    try:
        first = run_cli(target, tmp_path, "serve", "--demo", "--once")
        assert first.returncode == 0, first.stderr
        assert "Province: Tỉnh Hưng Lâm (tỉnh mẫu) [tinh-hung-lam]: 8 departments" in first.stdout
        district = re.search(
            r"^  Huyện Yên Hòa \(huyện mẫu\) \[huyen-yen-hoa\], district from 2000-01-01 until"
            r" 2025-07-01: 4 zones, 25 communes, 250 party cells, 12 departments;"
            r" (\d+) petitions$",
            first.stdout,
            re.M,
        )
        assert district is not None, first.stdout
        assert 150 <= int(district.group(1)) <= 230  # a district's year: 150-200 petitions
        communes = re.findall(
            r"^  (?:Xã|Phường) .+ \[(.+)\], commune from 2025-07-01: \d+ zones?,"
            r" (\d+) party cells, 10 departments; (\d+) petitions$",
            first.stdout,
            re.M,
        )
        assert [code for code, _, _ in communes] == ["phuong-yen-hoa", "xa-hoa-binh", "xa-xuan-son"]
        assert all(20 <= int(cells) <= 60 and int(n) > 0 for _, cells, n in communes)
        events = int(re.search(r"Event log: (\d+) events", first.stdout).group(1))  # type: ignore[union-attr]
        petitions = int(re.search(r"Petitions: (\d+)", first.stdout).group(1))  # type: ignore[union-attr]
        assert petitions == int(district.group(1)) + sum(int(n) for _, _, n in communes)
        assert events > 3 * petitions
        for name in (
            "Raised",
            "Assigned",
            "AnsweredInWriting",
            "Verified",
            "Reopened",
            "ReferredUpward",
            "ReferralReturned",
            "Closed",
            "Scheduled",  # the briefings, meetings the demo keeps
            "NoticeSent",
            "AgendaIssued",
            "Held",
            "MinutesRecorded",
        ):
            assert re.search(rf"^\s+{name}\s+\d+$", first.stdout, re.M), name
        second = run_cli(target, tmp_path, "serve", "--demo", "--once")
        assert second.returncode == 0, second.stderr
        assert f"Event log: {events} events" in second.stdout
        assert "demo.skipped" in second.stderr
        assert f"Read models at position {events}:" in second.stdout
        # the answers' score against the secretaries' flags, on the province's demo
        measured = run_cli(target, tmp_path, "quality-eval", "--json")
        assert measured.returncode == 0, measured.stderr
        figures = json.loads(measured.stdout.strip().splitlines()[-1])
        assert figures["verified"] > 200 and figures["flagged_generic"] > 50
        # the demo ends today, so its figures move from day to day (0.72 and 0.87 on 4
        # December 2026): looser floors than the fixed year's (test_answer_quality.py)
        assert figures["precision"] >= 0.55 and figures["recall"] >= 0.75, figures
    finally:
        with psycopg.connect(database.conninfo("postgres"), autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                    sql.Identifier(target.dbname)
                )
            )

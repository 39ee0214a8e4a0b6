"""Auditors over HTTP: back-dating marks and list, the log's integrity, the access log."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import psycopg
from psycopg import sql

from tests.e2e.conftest import Live


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def petition(live: Live, days_ago: int) -> dict[str, Any]:
    raised_on = live.service.app.today() - timedelta(days=days_ago)
    return ok(
        live.client("clerk").post(
            "/v1/petitions",
            json={
                "kind": "reflection",
                "category": "security",
                "summary": f"Trộm cắp vật nuôi ({days_ago} ngày trước)",
                "text": "Trộm cắp vật nuôi xảy ra nhiều lần trong thôn.",
                "cell": "dong-tam-thon2",
                "raised_by": "Đỗ Văn Tuấn",
                "channel": "written_report",
                "raised_on": raised_on.isoformat(),
            },
        ),
        201,
    )


def test_back_dated_events_are_marked_in_the_history_and_listed(live: Live) -> None:
    tolerance = live.service.settings.backdating_tolerance_days
    fresh, late = petition(live, 0), petition(live, tolerance + 7)
    auditor = live.client("auditor")
    assert [
        (e["delay_days"], e["backdated"])
        for e in ok(auditor.get(f"/v1/petitions/{fresh['id']}/events"))
    ] == [(0, False)]
    assert [
        (e["delay_days"], e["backdated"])
        for e in ok(auditor.get(f"/v1/petitions/{late['id']}/events"))
    ] == [(tolerance + 7, True)]
    listed = ok(auditor.get("/v1/audit/backdated", params={"min_position": late["position"]}))
    ids = {item["petition_id"] for item in listed["items"]}
    assert late["id"] in ids and fresh["id"] not in ids
    assert listed["tolerance_days"] == tolerance


def test_integrity_status_and_a_full_verification(live: Live) -> None:
    written = petition(live, 1)
    live.service.chain.wait("Petitions", written["position"], timeout=10)
    auditor = live.client("auditor")
    status = ok(auditor.get("/v1/audit/integrity"))
    assert status["chain_position"] >= written["position"]
    assert status["public_key"].startswith("-----BEGIN PUBLIC KEY-----")
    verified = ok(auditor.get("/v1/audit/integrity", params={"verify": "true"}))
    assert verified["intact"] is True and verified["first_break"] is None
    assert verified["events_checked"] >= written["position"] - 1
    # The events past the latest signed checkpoint: their count, the oldest one's age
    # (the workers sign within AUDIT_CHECKPOINT_SECONDS, so well within the bound).
    latest = verified["latest_checkpoint"] or 0
    assert 0 <= verified["unsigned"] <= verified["log_position"] - latest
    assert verified["unsigned_bound_seconds"] == 2 * live.service.settings.audit_checkpoint_seconds
    assert (verified["unsigned_age_seconds"] is None) == (verified["unsigned"] == 0)
    assert verified["verdict"] == "intact"
    assert status["verdict"] is None and status["unsigned"] is None  # not verified: not counted


def test_reads_by_auditors_and_the_committee_are_recorded(live: Live) -> None:
    marker = "/v1/reports/categories"
    live.client("committee", **{"X-Request-ID": "committee-read-1"}).get(marker)
    live.client("clerk", **{"X-Request-ID": "clerk-read-1"}).get("/v1/reference")
    entries = ok(live.client("auditor").get("/v1/audit/access-log", params={"limit": 50}))
    requests = {e["request_id"]: e for e in entries}
    assert requests["committee-read-1"]["path"] == marker
    assert requests["committee-read-1"]["role"] == "committee"
    assert "clerk-read-1" not in requests  # clerks' reads are not audited


def test_a_read_whose_record_cannot_be_written_is_refused(live: Live) -> None:
    schema = live.service.app.datastore.schema
    table, away = (sql.Identifier(schema, name) for name in ("audit_access_log", "x"))
    with psycopg.connect(live.service.conninfo, autocommit=True) as conn:
        conn.execute(sql.SQL("ALTER TABLE {} RENAME TO {}").format(table, sql.Identifier("x")))
    try:
        refused = live.client("auditor").get("/v1/overdue")
        assert refused.status_code == 503
        assert refused.json()["code"] == "access_log_unavailable"
        assert "items" not in refused.json()
        assert live.client("clerk").get("/v1/reference").status_code == 200
    finally:
        with psycopg.connect(live.service.conninfo, autocommit=True) as conn:
            conn.execute(
                sql.SQL("ALTER TABLE {} RENAME TO {}").format(
                    away, sql.Identifier("audit_access_log")
                )
            )
    assert live.client("auditor").get("/v1/overdue").status_code == 200

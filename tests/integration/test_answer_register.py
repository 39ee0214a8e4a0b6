"""The monthly answer register against the real database, and its offline check through
the command line: the month's answers of the organisation (every cell's), each letter's
SHA-256 as measured; the signed file verifies with the published key and with the key it
carries, and a one-byte change to it, or another key, fails with ALTERED and exit 1."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pytest

from audit.keys import public_pem
from domain.actors import Actor, Role
from domain.errors import InvalidCommand
from service.bootstrap import Service
from stores.attachments import Letter
from tests.integration.helpers import assigned_to_infra, run_cli, write_answer
from usecases.register import AnswerRegister
from workers.runner import catch_up

LETTER = Letter(
    name="cv-12.pdf", content=b"%PDF-1.4 signed letter 12", content_type="application/pdf"
)


def register_of(service: Service) -> AnswerRegister:
    key = service.chain.signing_key
    assert key is not None
    return AnswerRegister(service.app, service.views.petition_list, service.queries.numbers, key)


def secretary(service: Service, cell: str = "yen-lac-thon3") -> Actor:
    only = service.app.province.only_below()
    assert only is not None
    return Actor("secretary-1", Role.SECRETARY, organisation=only.code, cell=cell)


def test_the_register_verifies_offline_and_a_one_byte_change_fails(
    service: Service, tmp_path: Path
) -> None:
    app = service.app
    ours = assigned_to_infra(app).id
    theirs = assigned_to_infra(app, cell="yen-lac-thon1").id
    later = assigned_to_infra(app).id
    write_answer(app, ours, date(2026, 3, 20), document_number="12/KTHT", letters=[LETTER])
    write_answer(app, theirs, date(2026, 3, 25), document_number="13/KTHT")
    write_answer(app, later, date(2026, 4, 2), document_number="14/KTHT")  # April's
    catch_up(service.runners, app.recorder, app.mapper)

    register, data = register_of(service).signed(secretary(service), None, "2026-03")
    rows = register["rows"]
    assert [(r["petition_id"], r["document_number"]) for r in rows] == [
        (str(ours), "12/KTHT"),
        (str(theirs), "13/KTHT"),
    ]  # every cell's answers of the month, by day; not April's
    first = rows[0]
    assert (first["cell"], first["department"], first["answered_on"]) == (
        "yen-lac-thon3",
        "kinh-te-ha-tang",
        "2026-03-20",
    )
    assert (first["document_date"], first["signer"], first["mode"]) == (
        "2026-03-20",
        "TP",
        "written",
    )
    assert [a["sha256"] for a in first["attachments"]] == [
        hashlib.sha256(LETTER.content).hexdigest()
    ]
    assert first["number"] and rows[1]["attachments"] == []

    kept = tmp_path / "so-tra-loi.json"
    kept.write_bytes(data)
    key = service.chain.signing_key
    assert key is not None
    published = tmp_path / "checkpoint.pem"
    published.write_text(public_pem(key.public_key()))

    intact = run_cli(None, "audit", "verify-register", str(kept), "--public-key", str(published))
    assert intact.returncode == 0, intact.stderr
    assert intact.stdout.splitlines()[0] == "INTACT"
    carried = run_cli(None, "audit", "verify-register", str(kept))
    assert carried.returncode == 0, carried.stderr
    assert "INTACT" in carried.stdout and "key id" in carried.stdout

    # one byte of the letter's number changed: 12/KTHT becomes 17/KTHT
    assert data.count(b"12/KTHT") == 1
    at = data.index(b"12/KTHT") + 1
    changed = tmp_path / "so-tra-loi-sua.json"
    changed.write_bytes(data[:at] + b"7" + data[at + 1 :])
    altered = run_cli(
        None, "audit", "verify-register", str(changed), "--public-key", str(published)
    )
    assert altered.returncode == 1
    assert altered.stdout.splitlines()[0] == "ALTERED"
    assert run_cli(None, "audit", "verify-register", str(changed)).returncode == 1

    # signed by the service's key, checked against another: not the published one
    other = tmp_path / "other.pem"
    made = run_cli(None, "audit", "keygen", str(tmp_path / "other-key.pem"))
    assert made.returncode == 0, made.stderr
    other.write_text(made.stdout[made.stdout.index("-----BEGIN") :])
    wrong = run_cli(None, "audit", "verify-register", str(kept), "--public-key", str(other))
    assert wrong.returncode == 1 and "ALTERED" in wrong.stdout


def test_a_secretary_reads_its_own_organisations_register_only(service: Service) -> None:
    register = register_of(service)
    province = service.app.province.code
    with pytest.raises(InvalidCommand):
        register.register(secretary(service), province, "2026-03")
    with pytest.raises(InvalidCommand):
        register.register(secretary(service), None, "2026-3")
    assert register.register(secretary(service), None, "2026-01")["rows"] == []

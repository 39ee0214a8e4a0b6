"""Signed letters uploaded with written answers, through the pages and through the API.

A letter is stored only with the answer that names it, in the transaction of its event:
every refused answer (a role that may not answer, another department, a petition that does
not exist or is not this department's, a stale version, a date the domain refuses, a
missing field, a file that is no letter) leaves the attachments table as it was. An answer
names only the letters uploaded through it: the API takes the files themselves (multipart),
records the size and type measured from the bytes, and refuses a JSON list of attachments.
A download is served as its measured type, never sniffed, named with that type's extension.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any
from urllib.parse import unquote
from uuid import UUID

import httpx
import pytest
from eventsourcing.persistence import IntegrityError

from domain.actors import Actor, Role, Stamp
from stores.attachments import Letter, measure
from stores.outbox import LETTERS
from tests.e2e.conftest import DEPARTMENT, OTHER_DEPARTMENT, Live
from tests.e2e.web.conftest import raise_petition
from tests.e2e.web.test_web_security import head, signed_in
from tests.figures import record
from usecases.commands import Context

pytestmark = pytest.mark.integration

LETTER_BYTES = 2_000_000  # each refused letter: over the API's 1 MB body limit for JSON
COMMITTEE = Context(Actor("e2e-committee", Role.COMMITTEE))


def pdf(size: int = LETTER_BYTES) -> bytes:
    """A letter no other test uploads: a PDF by its first bytes, random after them."""
    return b"%PDF-1.7\n" + os.urandom(size - 9)


def stored(live: Live) -> tuple[int, int]:
    """Rows in the attachments table, and the bytes they hold."""
    datastore = live.service.app.datastore
    with datastore.transaction(commit=False) as curs:
        curs.execute(
            f"SELECT count(*) AS n, coalesce(sum(octet_length(content)), 0) AS bytes"
            f' FROM "{datastore.schema}".attachments'
        )
        row = curs.fetchone()
    assert row is not None
    return int(row["n"]), int(row["bytes"])


def assigned(live: Live, summary: str, department: str = DEPARTMENT) -> str:
    petition = raise_petition(live, summary, days_ago=3)
    live.service.app.assign(petition, COMMITTEE, department=department)
    return str(petition)


def answer_fields(live: Live, **changes: str) -> dict[str, str]:
    today = live.service.app.today().isoformat()
    return {
        "mode": "written",
        "text": "Đã xử lý xong, có văn bản kèm theo.",
        "document_number": "12/CV-KTHT",
        "document_date": today,
        "signer": "Trưởng phòng Lê Văn Cường",
        **changes,
    }


@pytest.fixture(scope="module")
def petitions(live: Live) -> dict[str, str]:
    """Petitions the refused answers aim at: one assigned to the department, one only
    raised, one assigned to another department, one the department has answered (with a
    letter, so the table holds a row before)."""
    answered = assigned(live, "Đã trả lời rồi")
    today = live.service.app.today()
    live.service.app.answer_in_writing(
        UUID(answered),
        Context(Actor("e2e-department", Role.DEPARTMENT, DEPARTMENT)),
        text="Đã trả lời.",
        document_number="1/KTHT",
        document_date=today,
        signer="Trưởng phòng",
        letters=[measure("1-KTHT.pdf", pdf(), live.service.settings.max_upload_bytes)],
    )
    return {
        "assigned": assigned(live, "Đường làng xuống cấp"),
        "raised": str(raise_petition(live, "Chưa giao đơn vị")),
        "others": assigned(live, "Giao đơn vị khác", OTHER_DEPARTMENT),
        "answered": answered,
        "missing": str(uuid.uuid4()),
    }


@pytest.fixture(scope="module")
def pages(live: Live) -> Iterator[dict[str, tuple[httpx.Client, str]]]:
    """A signed-in browser session (client and CSRF token) for each role of the pages."""
    sessions = {
        who: signed_in(live, who)
        for who in ("auditor", "clerk", "committee", "department", "other_department")
    }
    yield sessions
    for client, _ in sessions.values():
        client.close()


def page_answer(
    pages: dict[str, tuple[httpx.Client, str]],
    who: str,
    petition: str,
    fields: dict[str, str],
    letter: tuple[str, bytes],
) -> httpx.Response:
    client, csrf = pages[who]
    form = {k: v for k, v in fields.items() if k != "mode"} | {"csrf": csrf}
    return client.post(f"/petitions/{petition}/answer", data=form, files={"letter": letter})


def api_answer(
    live: Live,
    who: str,
    petition: str,
    fields: dict[str, str],
    letters: list[tuple[str, bytes, str]],
    **headers: str,
) -> httpx.Response:
    with live.client(who, **headers) as client:
        return client.post(
            f"/v1/petitions/{petition}/answer",
            data=fields,
            files=[("letter", letter) for letter in letters],
        )


def refused_combinations(
    live: Live, petitions: dict[str, str]
) -> list[tuple[str, str, str, dict[str, str], int]]:
    """(who, petition, what is wrong, fields, status) of answers that must be refused."""
    tomorrow = (live.service.app.today() + timedelta(days=1)).isoformat()
    fine = answer_fields(live)
    mine = petitions["assigned"]
    return [
        ("auditor", mine, "an auditor answering", fine, 403),
        ("clerk", mine, "a clerk answering in writing", fine, 403),
        ("committee", mine, "the committee answering", fine, 403),
        ("other_department", mine, "another department", fine, 404),
        ("department", petitions["missing"], "no such petition", fine, 404),
        ("department", petitions["raised"], "a petition never assigned", fine, 404),
        ("department", petitions["others"], "another department's petition", fine, 404),
        ("department", petitions["answered"], "a petition already answered", fine, 409),
        ("department", mine, "a stale version", fine | {"version": "99"}, 412),
        ("department", mine, "a letter dated tomorrow", fine | {"document_date": tomorrow}, 422),
        ("department", mine, "an answer dated tomorrow", fine | {"answered_on": tomorrow}, 422),
        ("department", mine, "no signer", {k: v for k, v in fine.items() if k != "signer"}, 422),
    ]


def test_a_refused_answer_stores_no_letter_through_the_pages_or_the_api(
    live: Live, petitions: dict[str, str], pages: dict[str, tuple[httpx.Client, str]]
) -> None:
    before = stored(live)
    events = head(live)
    tried = 0

    def measured(where: str) -> None:
        after = stored(live)
        record(
            "7d refused uploads stored",
            f"{tried} refused answers with a 2 MB letter ({where}): attachments {before[0]} "
            f"rows, {before[1]:,} bytes before; {after[0]} rows, {after[1]:,} bytes after",
            combinations=tried,
            rows_before=before[0],
            rows_after=after[0],
            bytes_before=before[1],
            bytes_after=after[1],
        )
        assert after == before, where
        assert head(live) == events, where

    combinations = refused_combinations(live, petitions)
    for who, petition, wrong, fields, status in combinations:
        response = page_answer(pages, who, petition, fields, ("cong-van.pdf", pdf()))
        assert response.status_code == status, f"{wrong}: {response.status_code}"
        tried += 1
    measured("pages")
    for who, petition, wrong, fields, status in combinations:
        headers = {"If-Match": f'"{fields["version"]}"'} if "version" in fields else {}
        api_fields = {k: v for k, v in fields.items() if k != "version"}
        response = api_answer(
            live, who, petition, api_fields, [("cong-van.pdf", pdf(), "application/pdf")], **headers
        )
        assert response.status_code == status, f"{wrong}: {response.text[:300]}"
        tried += 1
    # The API's own refusals: a token with no part in answers, an answer on the spot
    # carrying a letter, a file that is no letter, a field a written answer does not take.
    clerk_spot = {"mode": "on_the_spot", "text": "Đã trả lời tại hội nghị", "answered_by": "PCT"}
    for who, petition, fields, letter, status in (
        ("admin", petitions["assigned"], answer_fields(live), pdf(), 403),
        ("clerk", petitions["raised"], clerk_spot, pdf(), 422),
        ("department", petitions["assigned"], answer_fields(live), b"MZ\x90\x00" * 1000, 422),
        ("department", petitions["assigned"], answer_fields(live, meeting="x"), pdf(), 422),
    ):
        response = api_answer(live, who, petition, fields, [("a.pdf", letter, "application/pdf")])
        assert response.status_code == status, response.text[:300]
        tried += 1
    measured("pages and API")


def test_a_letter_is_stored_with_its_answer_as_measured_and_downloads_by_its_type(
    live: Live, pages: dict[str, tuple[httpx.Client, str]]
) -> None:
    petition = assigned(live, "Cầu tràn sạt lở")
    content = pdf(300_000)
    rows, size = stored(live)
    # The part claims to be a PNG named .png: the bytes are a PDF, and that is what counts.
    response = api_answer(
        live,
        "department",
        petition,
        answer_fields(live),
        [("Công văn số 12 trả lời.png", content, "image/png")],
    )
    assert response.status_code == 200, response.text
    assert stored(live) == (rows + 1, size + len(content))
    answer = live.service.app.state(UUID(petition))["answers"][-1]
    digest = hashlib.sha256(content).hexdigest()
    assert answer["attachments"] == [
        {
            "name": "Công văn số 12 trả lời.png",
            "sha256": digest,
            "size": len(content),
            "content_type": "application/pdf",
        }
    ]
    client, _ = pages["department"]
    download = client.get(f"/petitions/{petition}/files/{digest}")
    assert download.status_code == 200 and download.content == content
    assert download.headers["content-type"] == "application/pdf"
    assert download.headers["x-content-type-options"] == "nosniff"
    csp = download.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "sandbox" in csp
    disposition = download.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="Cong van so 12 tra loi.pdf"; ')
    encoded = disposition.split("filename*=UTF-8''", 1)[1]
    assert unquote(encoded) == "Công văn số 12 trả lời.pdf"


def test_a_letter_uploaded_with_no_name_downloads_as_letter_pdf(
    live: Live, pages: dict[str, tuple[httpx.Client, str]]
) -> None:
    petition = assigned(live, "Đèn đường hỏng")
    content = pdf(5_000)
    response = page_answer(pages, "department", petition, answer_fields(live), ("letter", content))
    assert response.status_code == 303, response.text[:300]
    digest = hashlib.sha256(content).hexdigest()
    client, _ = pages["department"]
    download = client.get(f"/petitions/{petition}/files/{digest}")
    assert download.status_code == 200
    assert download.headers["content-disposition"] == (
        "attachment; filename=\"letter.pdf\"; filename*=UTF-8''letter.pdf"
    )


def test_an_answer_cannot_name_a_letter_it_did_not_upload(
    live: Live, pages: dict[str, tuple[httpx.Client, str]]
) -> None:
    """Naming a stored letter by its hash (another department's, or one never uploaded) is
    refused with a 422 problem; the letter stays out of reach of the other petition."""
    theirs = assigned(live, "Trật tự đô thị", OTHER_DEPARTMENT)
    content = pdf(4_000)
    uploaded = api_answer(
        live, "other_department", theirs, answer_fields(live), [("cv.pdf", content, "")]
    )
    assert uploaded.status_code == 200, uploaded.text
    digest = hashlib.sha256(content).hexdigest()
    mine = assigned(live, "Nước sinh hoạt")
    rows, events = stored(live), head(live)
    for named in (
        {"name": "cv.pdf", "sha256": digest, "size": len(content), "content_type": "image/png"},
        {"name": "x.pdf", "sha256": "ab" * 32, "size": 10},
    ):
        with live.client("department") as client:
            response = client.post(
                f"/v1/petitions/{mine}/answer",
                json=answer_fields(live) | {"attachments": [named]},
            )
        assert response.status_code == 422, response.text
        body = response.json()
        assert body["code"] == "validation_error"
        assert body["errors"] == [
            {"field": "attachments", "in": "body", "message": "Hãy tải lên văn bản."}
        ]
        assert "multipart/form-data" in body["detail"]
    assert (stored(live), head(live)) == (rows, events)
    assert live.service.app.state(UUID(mine))["status"] == "assigned"
    client, _ = pages["department"]
    assert client.get(f"/petitions/{mine}/files/{digest}").status_code == 404
    # Without letters a JSON answer is recorded as before.
    with live.client("department") as client:
        response = client.post(f"/v1/petitions/{mine}/answer", json=answer_fields(live))
    assert response.status_code == 200, response.text


def test_the_api_checks_a_letter_as_the_pages_do(live: Live) -> None:
    """Too large, or not a PDF, PNG or JPEG by its first bytes: 422 naming the letter, and
    nothing stored; several letters in one answer are all stored with it."""
    petition = assigned(live, "Thu gom rác")
    limit = live.service.settings.max_upload_bytes
    rows, events = stored(live), head(live)
    for letter in (
        ("big.pdf", b"%PDF-" + b"0" * limit, "application/pdf"),
        ("scan.pdf", b"GIF89a" + b"0" * 100, "application/pdf"),
    ):
        response = api_answer(live, "department", petition, answer_fields(live), [letter])
        assert response.status_code == 422, response.text[:300]
        assert response.json()["errors"][0]["field"] == "letter"
    assert (stored(live), head(live)) == (rows, events)
    png, jpeg = b"\x89PNG\r\n\x1a\n" + os.urandom(500), b"\xff\xd8\xff\xe0" + os.urandom(500)
    response = api_answer(
        live,
        "department",
        petition,
        answer_fields(live),
        [("p1.png", png, "image/png"), ("p2.jpg", jpeg, "image/jpeg")],
    )
    assert response.status_code == 200, response.text
    kinds = [
        (a["name"], a["content_type"], a["size"])
        for a in live.service.app.state(UUID(petition))["answers"][-1]["attachments"]
    ]
    assert kinds == [("p1.png", "image/png", len(png)), ("p2.jpg", "image/jpeg", len(jpeg))]
    assert stored(live)[0] == rows[0] + 2


def answered_unsaved(live: Live, petition: UUID, attachments: list[dict[str, Any]]) -> Any:
    """The petition as loaded now, answered in writing by the department, not yet saved."""
    app = live.service.app
    loaded = app.repository.get(petition)
    loaded.answer_in_writing(
        text="Đã xử lý",
        document_number="3/KTHT",
        document_date=app.today(),
        signer="Trưởng phòng",
        verify_by=app.verification_date(loaded, app.today()),
        attachments=attachments,
        stamp=Stamp(Actor("e2e-department", Role.DEPARTMENT, DEPARTMENT), app.today()),
    )
    return loaded


def test_a_letter_is_not_stored_when_its_answer_loses_a_race(live: Live) -> None:
    """The letter's row is written in the transaction that inserts the answer's event:
    when that insert fails (the petition was changed meanwhile), the row is not kept."""
    app = live.service.app
    petition = UUID(assigned(live, "Trạm y tế xuống cấp"))
    letter = measure("cv.pdf", pdf(10_000), live.service.settings.max_upload_bytes)
    stale = answered_unsaved(live, petition, [letter.attachment()])
    app.escalate(petition, COMMITTEE, reason="Cấp bách")
    before = stored(live)
    with pytest.raises(IntegrityError):
        app.save(stale, **{LETTERS: [letter]})
    assert stored(live) == before


def test_an_answer_recorded_naming_letters_stays_readable(live: Live) -> None:
    """Answers recorded before letters were uploaded through the answer itself name their
    letters by hash alone: their events are read as they were stored."""
    petition = UUID(assigned(live, "Ý kiến cũ"))
    named: dict[str, Any] = {"name": "cv45.pdf", "sha256": "cd" * 32, "size": 2048}
    live.service.app.save(answered_unsaved(live, petition, [named]))
    with live.client("committee") as client:
        state = client.get(f"/v1/petitions/{petition}")
        events = client.get(f"/v1/petitions/{petition}/events")
    assert state.status_code == 200 and events.status_code == 200
    assert state.json()["answers"][-1]["attachments"] == [named | {"content_type": None}]
    assert events.json()[-1]["payload"]["attachments"] == [named]


def test_a_letter_measures_its_own_bytes() -> None:
    letter = Letter(name="cv.pdf", content=b"%PDF-1.4 x", content_type="application/pdf")
    assert letter.size == 10
    assert letter.sha256 == hashlib.sha256(b"%PDF-1.4 x").hexdigest()
    assert "PDF-1.4" not in repr(letter)

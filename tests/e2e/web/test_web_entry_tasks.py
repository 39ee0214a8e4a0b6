"""Tasks on the pages, over HTTP: internal notes that no other department reads through any
read path, saved filters that are each user's own, the duplicate warning before a briefing's
petitions are recorded, and a form typed into an ended session, kept and filled in again
after signing in (the session is ended in the database, as time would end it)."""

from __future__ import annotations

import hashlib
import html
import re
import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit
from uuid import UUID

import httpx
import psycopg
import pytest
from psycopg import sql

from domain.actors import Actor, Role
from tests.e2e.conftest import DEPARTMENT, OTHER_DEPARTMENT, Live, live_service, web_client
from usecases.commands import Context, PetitionDraft

pytestmark = pytest.mark.integration

SECRET_NOTE = "Ghi chú mật: chủ tịch xã hứa xử lý trước Tết"
DEPARTMENT_NOTE = "Đơn vị đã khảo sát hiện trường ngày 20"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@pytest.fixture(scope="module")
def live(database: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    def tokens(service: Any) -> dict[str, str]:
        made = {}
        for who, role, department, subject in (
            ("clerk", Role.CLERK, None, "clerk"),
            ("committee", Role.COMMITTEE, None, "ông Ba"),
            ("committee_again", Role.COMMITTEE, None, "ông Ba"),  # the same person, reissued
            ("other_committee", Role.COMMITTEE, None, "bà Tư"),
            ("department", Role.DEPARTMENT, DEPARTMENT, "department"),
            ("other_department", Role.DEPARTMENT, OTHER_DEPARTMENT, "other_department"),
            ("auditor", Role.AUDITOR, None, "auditor"),
        ):
            made[who] = service.tokens.create(
                role=role, department=department, name=f"e2e {who}", subject=subject
            )[1]
        return made

    yield from live_service(database, tmp_path_factory, tokens=tokens)


def signed_in(live: Live, who: str, next_path: str = "") -> tuple[httpx.Client, httpx.Response]:
    """A client signed in as ``who`` (sent on to ``next_path``), and the page it landed on.
    ``committee_again`` is the committee's person signing in once more: the same account
    (as its reissued token is the same subject on the API)."""
    if who == "committee_again":
        live.accounts.setdefault(who, live.account("committee"))
    client, answer = web_client(live, who, next=next_path)
    assert answer.status_code == 303, answer.text
    return client, client.get(answer.headers["location"], follow_redirects=True)


def csrf_of(page: httpx.Response) -> str:
    found = CSRF.search(page.text)
    assert found, page.text[:500]
    return found.group(1)


def events(live: Live) -> int:
    return live.service.app.recorder.max_notification_id() or 0


def raised(live: Live, summary: str, text: str, *, cell: str | None = None) -> tuple[UUID, int]:
    """A petition raised today by the clerk (through the application), and its position."""
    app = live.service.app
    written = app.raise_petition(
        PetitionDraft(
            kind="proposal",
            category="services",
            summary=summary,
            text=text,
            cell=cell or next(iter(app.district.cells)),
            raised_by="Nguyễn Văn Thử",
            channel="meeting",
            meeting="Giao ban",
            raised_on=app.today(),
        ),
        Context(Actor("e2e-clerk", Role.CLERK)),
    )
    return written.id, written.position or 0


def api(live: Live, who: str) -> httpx.Client:
    return live.client(who)


# ---- internal notes -------------------------------------------------------------------


def test_a_note_is_read_by_the_committee_and_the_department_in_charge_only(live: Live) -> None:
    pid, _ = raised(live, "Cống thoát nước thôn 6 tắc", "Cống tắc, nước tràn vào nhà dân.")
    committee = api(live, "committee")
    assigned = committee.post(f"/v1/petitions/{pid}/assignment", json={"department": DEPARTMENT})
    assert assigned.status_code == 200, assigned.text
    noted = committee.post(f"/v1/petitions/{pid}/notes", json={"text": SECRET_NOTE})
    assert noted.status_code == 200, noted.text
    # the department in charge writes one on the petition's page
    department, page = signed_in(live, "department", f"/petitions/{pid}")
    assert SECRET_NOTE in page.text and "Thêm ghi chú nội bộ" in page.text
    posted = department.post(
        f"/petitions/{pid}/note", data={"csrf": csrf_of(page), "text": DEPARTMENT_NOTE}
    )
    assert posted.status_code == 303, posted.text
    shown = department.get(posted.headers["location"]).text
    assert DEPARTMENT_NOTE in shown and "Đã thêm ghi chú nội bộ." in shown

    notes = ok(committee.get(f"/v1/petitions/{pid}/notes"))
    assert [n["text"] for n in notes] == [SECRET_NOTE, DEPARTMENT_NOTE]
    assert notes[1]["actor"]["department"] == DEPARTMENT
    for who in ("committee", "auditor", "department"):
        history = ok(api(live, who).get(f"/v1/petitions/{pid}/events"))
        assert [e["type"] for e in history].count("NoteAdded") == 2, who

    # a department never assigned the petition: no such petition, on every path
    assert_no_note(live, "other_department", pid, found=False)
    # the petition goes to the other department: the first no longer reads the notes
    reassigned = committee.post(
        f"/v1/petitions/{pid}/assignment", json={"department": OTHER_DEPARTMENT}
    )
    assert reassigned.status_code == 200, reassigned.text
    assert_no_note(live, "department", pid, found=True)
    now_in_charge = ok(api(live, "other_department").get(f"/v1/petitions/{pid}/notes"))
    assert len(now_in_charge) == 2
    # a note is the committee's or the department in charge's to write
    refused = api(live, "department").post(f"/v1/petitions/{pid}/notes", json={"text": "x"})
    assert refused.status_code == 409, refused.text  # as any command of the department in charge
    assert refused.json()["code"] == "wrong_department"
    clerk = api(live, "clerk").post(f"/v1/petitions/{pid}/notes", json={"text": "x"})
    assert clerk.status_code == 403, clerk.text
    empty = committee.post(f"/v1/petitions/{pid}/notes", json={"text": "  "})
    assert empty.status_code == 422, empty.text
    assert len(ok(committee.get(f"/v1/petitions/{pid}/notes"))) == 2


def ok(response: httpx.Response) -> Any:
    assert response.status_code == 200, response.text
    return response.json()


def assert_no_note(live: Live, who: str, pid: UUID, *, found: bool) -> None:
    """Through every read ``who`` has (API, exports, pages), no note's text nor its event;
    the petition itself is readable only to a department it was ever assigned to."""
    client = api(live, who)
    reads = {
        "state": client.get(f"/v1/petitions/{pid}"),
        "history": client.get(f"/v1/petitions/{pid}/events"),
        "notes": client.get(f"/v1/petitions/{pid}/notes"),
        "list": client.get("/v1/petitions", params={"q": "Cống thoát nước thôn 6"}),
        "inbox": client.get("/v1/inbox"),
        "export": client.get("/v1/exports/petitions", params={"format": "csv"}),
        "board": client.get("/v1/overdue"),
    }
    pages, _ = signed_in(live, who)
    reads |= {
        "page": pages.get(f"/petitions/{pid}"),
        "page list": pages.get("/petitions"),
        "page inbox": pages.get("/inbox"),
        "page as of": pages.get(f"/petitions/{pid}", params={"as_of": "2100-01-01T00:00"}),
    }
    for name, response in reads.items():
        assert response.status_code < 500, (name, response.text)
        text = html.unescape(response.text)
        for secret in (SECRET_NOTE, DEPARTMENT_NOTE, "NoteAdded", "Ghi chú nội bộ"):
            assert secret not in text, (who, name, secret)
    expected = 200 if found else 404
    assert reads["state"].status_code == expected
    assert reads["history"].status_code == expected
    assert reads["page"].status_code == expected
    assert reads["notes"].status_code == (403 if found else 404)
    if found:
        assert all(e["type"] != "NoteAdded" for e in reads["history"].json())


def test_notes_keep_the_audit_chain_intact_and_the_business_clock_where_it_was(
    live: Live,
) -> None:
    pid, _ = raised(live, "Biển báo giao thông bị đổ", "Biển báo ngã ra đường.")
    clock = live.service.app.load(pid).last_business_date
    committee = api(live, "committee")
    noted = committee.post(f"/v1/petitions/{pid}/notes", json={"text": "Nhắc xã kiểm tra."})
    assert noted.status_code == 200, noted.text
    petition = live.service.app.load(pid)
    assert petition.last_business_date == clock and petition.status == "raised"
    integrity = ok(api(live, "auditor").get("/v1/audit/integrity", params={"verify": "true"}))
    assert integrity["intact"] is True, integrity
    assert integrity["events_checked"] >= noted.json()["position"]


# ---- saved filters --------------------------------------------------------------------


def test_saved_filters_are_each_user_s_own(live: Live) -> None:
    committee, board = signed_in(live, "committee", "/board")
    csrf = csrf_of(board)
    query = f"department={DEPARTMENT}&kind=answer&sort=due_on&order=asc&offset=100&done=x"
    saved = committee.post(
        "/filters/board", data={"csrf": csrf, "name": "Kinh tế chưa trả lời", "query": query}
    )
    assert saved.status_code == 303, saved.text
    target = urlsplit(saved.headers["location"])
    assert target.path == "/board"
    assert parse_qs(target.query) == {
        "department": [DEPARTMENT],
        "kind": ["answer"],
        "order": ["asc"],
        "sort": ["due_on"],
        "done": ["filter_saved"],
    }
    shown = committee.get(saved.headers["location"]).text
    assert "Đã lưu bộ lọc." in shown and "Kinh tế chưa trả lời" in shown
    link = re.search(r'href="(/board\?[^"]+)">Kinh tế chưa trả lời<', shown)
    assert link, shown
    applied = committee.get(html.unescape(link.group(1)))
    assert applied.status_code == 200
    assert f'<option value="{DEPARTMENT}" selected>' in applied.text

    # the same person with a reissued token finds it; another committee member does not
    _, again = signed_in(live, "committee_again", "/board")
    assert "Kinh tế chưa trả lời" in again.text
    other, theirs = signed_in(live, "other_committee", "/board")
    assert "Kinh tế chưa trả lời" not in theirs.text
    assert "Chưa lưu bộ lọc nào." in theirs.text
    stolen = other.post(
        "/filters/board/delete", data={"csrf": csrf_of(theirs), "name": "Kinh tế chưa trả lời"}
    )
    assert stolen.status_code == 404
    assert "Kinh tế chưa trả lời" in committee.get("/board").text
    # nor is a filter of one page another's
    assert "Kinh tế chưa trả lời" not in committee.get("/petitions").text

    nameless = committee.post("/filters/board", data={"csrf": csrf, "name": " ", "query": ""})
    assert nameless.status_code == 422 and "Tên bộ lọc" in nameless.text
    unknown_page = committee.post("/filters/audit", data={"csrf": csrf, "name": "x"})
    assert unknown_page.status_code == 404
    forged = committee.post("/filters/board", data={"csrf": "forged", "name": "x"})
    assert forged.status_code == 403
    deleted = committee.post(
        "/filters/board/delete", data={"csrf": csrf, "name": "Kinh tế chưa trả lời"}
    )
    assert deleted.status_code == 303
    after = committee.get(deleted.headers["location"]).text
    assert "Đã xóa bộ lọc." in after and "Kinh tế chưa trả lời" not in after


def test_a_department_saves_a_filter_of_the_list(live: Live) -> None:
    department, listed = signed_in(live, "department", "/petitions?status=assigned&q=cong")
    saved = department.post(
        "/filters/petitions",
        data={"csrf": csrf_of(listed), "name": "Đã giao", "query": "status=assigned&q=cong"},
    )
    assert saved.status_code == 303, saved.text
    page = department.get("/petitions").text
    assert 'href="/petitions?q=cong&amp;status=assigned">Đã giao<' in page


# ---- the duplicate warning ------------------------------------------------------------


def briefing_row(live: Live, cell: str, summary: str, text: str, key: str) -> dict[str, str]:
    return {
        "key": key,
        "cell": cell,
        "category": "services",
        "kind": "proposal",
        "summary": summary,
        "text": text,
        "raised_by": "Trần Thị Lan",
        "spot_by": "",
        "spot_text": "",
    }


def briefing_form(live: Live, csrf: str, *rows: dict[str, str], **extra: str) -> dict[str, Any]:
    app = live.service.app
    zone = app.district.zone_of_cell(rows[0]["cell"]).code
    form: dict[str, Any] = {
        "csrf": csrf,
        "zone": zone,
        "briefing": app.today().isoformat(),
        "channel": "meeting",
        "meeting": "Giao ban tháng này",
        **extra,
    }
    for name in rows[0]:
        form[name] = [row[name] for row in rows]
    return form


def test_a_briefing_warns_of_a_petition_already_open_before_recording(live: Live) -> None:
    app = live.service.app
    cell = next(iter(app.district.cells))
    summary, text = "Đường ống nước sạch xóm Bến bị vỡ", "Ống vỡ từ tuần trước, 30 hộ thiếu nước."
    existing, position = raised(live, summary, text, cell=cell)
    listed = api(live, "clerk").get("/v1/petitions", params={"min_position": position})
    assert listed.status_code == 200
    clerk, page = signed_in(live, "clerk", "/briefing")
    csrf = csrf_of(page)
    same = briefing_row(live, cell, summary, text, uuid.uuid4().hex)
    # typed again without diacritics, and worded a little differently
    unmarked = "Ong vo tu tuan truoc, 30 ho thieu nuoc sach."
    close = briefing_row(live, cell, "Duong ong nuoc sach xom Ben bi vo", unmarked, "k-close")
    new = briefing_row(live, cell, "Xin hỗ trợ giống lúa", "Vụ mùa mất trắng.", uuid.uuid4().hex)
    before = events(live)
    warned = clerk.post("/briefing", data=briefing_form(live, csrf, same, close, new))
    assert warned.status_code == 409, warned.text
    assert events(live) == before  # nothing recorded
    assert warned.text.count("Có thể trùng với ý kiến đã có:") == 2
    assert warned.text.count(f'href="/petitions/{existing}"') == 2
    assert "giống hệt" in warned.text
    assert f'name="duplicate-{same["key"]}"' in warned.text
    assert f'name="duplicate-{new["key"]}"' not in warned.text
    # the rows stay as typed
    assert unmarked in warned.text

    # the clerk records the near one anyway and leaves out the copy
    chosen = briefing_form(
        live,
        csrf,
        same,
        close,
        new,
        **{f"duplicate-{same['key']}": "skip", f"duplicate-{close['key']}": "record"},
    )
    recorded = clerk.post("/briefing", data=chosen)
    assert recorded.status_code == 303, recorded.text
    raised_now = [
        e for e in app.events.get(existing) if e.originator_version > 1
    ]  # the existing petition is untouched
    assert raised_now == []
    search = {"q": "giong lua", "limit": 200, "min_position": events(live)}  # what it recorded
    listed = ok(api(live, "clerk").get("/v1/petitions", params=search))
    assert [p["summary"] for p in listed["items"]] == ["Xin hỗ trợ giống lúa"]
    copies = ok(api(live, "clerk").get("/v1/petitions", params={"q": "xom Ben bi vo"}))
    assert len(copies["items"]) == 2  # the existing one and the near one recorded anyway

    # every row left out: nothing recorded, and the page says so
    again = briefing_row(live, cell, summary, text, uuid.uuid4().hex)
    warned_again = clerk.post("/briefing", data=briefing_form(live, csrf, again))
    assert warned_again.status_code == 409
    before = events(live)
    skipped = clerk.post(
        "/briefing",
        data=briefing_form(live, csrf, again, **{f"duplicate-{again['key']}": "skip"}),
    )
    assert skipped.status_code == 303 and "done=none_new" in skipped.headers["location"]
    assert events(live) == before


def test_a_word_for_word_copy_is_warned_of_whatever_its_category_and_cell(live: Live) -> None:
    app = live.service.app
    cells = list(app.district.cells.values())
    first = cells[0]
    elsewhere = next(c for c in cells if c.commune != first.commune)
    summary, text = "Trạm y tế xã thiếu thuốc", "Trạm y tế hết thuốc cảm từ đầu tháng."
    existing, position = raised(live, summary, text, cell=first.code)
    api(live, "clerk").get("/v1/petitions", params={"min_position": position})
    clerk, page = signed_in(live, "clerk", "/briefing")
    row = briefing_row(live, elsewhere.code, summary, text, uuid.uuid4().hex)
    row["category"] = next(c for c in app.district.categories if c != "services")
    warned = clerk.post("/briefing", data=briefing_form(live, csrf_of(page), row))
    assert warned.status_code == 409, warned.text
    assert f'href="/petitions/{existing}"' in warned.text and "giống hệt" in warned.text


def test_a_row_s_cell_cosigns_the_open_petition_instead_of_repeating_it(live: Live) -> None:
    """The button of the warning records the row's cell on the petition, at once and once
    only; the row is not raised, the other rows stay as typed and are recorded when sent."""
    app = live.service.app
    cells = list(app.district.cells.values())
    first = cells[0]
    neighbour = next(c for c in cells if c.commune == first.commune and c.code != first.code)
    summary = "Cầu tràn thôn Đông bị sạt"
    text = "Mưa lớn làm sạt mố cầu tràn, xe máy không qua được."
    existing, position = raised(live, summary, text, cell=first.code)
    api(live, "clerk").get("/v1/petitions", params={"min_position": position})
    clerk, page = signed_in(live, "clerk", "/briefing")
    csrf = csrf_of(page)
    copy = briefing_row(live, neighbour.code, summary, text, uuid.uuid4().hex)
    own = briefing_row(live, first.code, summary, text, uuid.uuid4().hex)
    other = briefing_row(
        live, neighbour.code, "Xin lắp đèn đường", "Đường tối, 2 vụ va chạm.", "k-other"
    )
    warned = clerk.post("/briefing", data=briefing_form(live, csrf, copy, own, other))
    assert warned.status_code == 409, warned.text
    button = f'name="cosign" value="{copy["key"]}:{existing}"'
    assert button in warned.text
    assert f'value="{own["key"]}:{existing}"' not in warned.text  # its own cell: no co-signing
    before = events(live)
    form = briefing_form(live, csrf, copy, own, other, cosign=f"{copy['key']}:{existing}")
    cosigned = clerk.post("/briefing", data=form)
    assert cosigned.status_code == 200, cosigned.text
    assert events(live) == before + 1
    (cosigner,) = app.state(existing)["cosigners"]
    assert (cosigner["cell"], cosigner["raised_by"], cosigner["cosigned_on"]) == (
        neighbour.code,
        "Trần Thị Lan",
        app.today(),
    )
    assert "Đã ghi nhận chi bộ cùng kiến nghị vào ý kiến đã có" in cosigned.text
    assert f'name="duplicate-{copy["key"]}" value="cosigned:{existing}"' in cosigned.text
    assert "Xin lắp đèn đường" in cosigned.text and "2 vụ va chạm." in cosigned.text
    assert f'name="duplicate-{own["key"]}"' in cosigned.text  # still to be chosen
    again = clerk.post("/briefing", data=form)  # the form sent again: nothing twice
    assert again.status_code == 200 and events(live) == before + 1
    sent = briefing_form(
        live,
        csrf,
        copy,
        own,
        other,
        **{f"duplicate-{copy['key']}": f"cosigned:{existing}", f"duplicate-{own['key']}": "skip"},
    )
    recorded = clerk.post("/briefing", data=sent)
    assert recorded.status_code == 303, recorded.text
    found = ok(api(live, "clerk").get("/v1/petitions", params={"q": "cau tran thon dong"}))
    assert [p["petition_id"] for p in found["items"]] == [str(existing)]
    assert found["items"][0]["cosigners"] == 1
    lights = ok(api(live, "clerk").get("/v1/petitions", params={"q": "xin lap den duong"}))
    assert len(lights["items"]) == 1
    assert [e.originator_version for e in app.events.get(existing)] == [1, 2]


def test_a_refused_cosigning_says_why_on_its_row_and_records_nothing(live: Live) -> None:
    app = live.service.app
    cells = list(app.district.cells.values())
    first, second = cells[0], cells[1]
    summary, text = "Nghĩa trang thôn chưa có lối vào", "Lối vào nghĩa trang lầy lội mùa mưa."
    existing, position = raised(live, summary, text, cell=first.code)
    api(live, "clerk").get("/v1/petitions", params={"min_position": position})
    clerk, page = signed_in(live, "clerk", "/briefing")
    row = briefing_row(live, second.code, summary, text, uuid.uuid4().hex)
    row["raised_by"] = ""
    before = events(live)
    refused = clerk.post(
        "/briefing",
        data=briefing_form(live, csrf_of(page), row, cosign=f"{row['key']}:{existing}"),
    )
    assert refused.status_code == 422, refused.text
    assert 'aria-invalid="true"' in refused.text and events(live) == before
    assert app.state(existing)["cosigners"] == []
    row["raised_by"] = "Trần Thị Lan"
    for wrong in ("not-an-id", str(uuid.uuid4())):  # a form not as the page gave it
        unknown = clerk.post(
            "/briefing",
            data=briefing_form(live, csrf_of(page), row, cosign=f"{row['key']}:{wrong}"),
        )
        assert unknown.status_code == 404, unknown.text
        assert "Không tìm thấy ý kiến" in unknown.text and events(live) == before


# ---- typed work kept over an ended session ---------------------------------------------


def end_session(live: Live, client: httpx.Client) -> None:
    """The session expires, as time would end it: in the database."""
    session_id = client.cookies["petitions_session"]
    schema = live.service.app.datastore.schema
    with psycopg.connect(live.service.conninfo, autocommit=True) as conn:
        conn.execute(
            sql.SQL(
                "UPDATE {} SET expires_at = now() - interval '1 minute' WHERE sha256 = %s"
            ).format(sql.Identifier(schema, "web_sessions")),
            (hashlib.sha256(session_id.encode()).hexdigest(),),
        )


def test_a_note_typed_into_an_ended_session_is_there_after_signing_in(live: Live) -> None:
    pid, _ = raised(live, "Chợ tạm lấn chiếm lòng đường", "Chợ họp dưới lòng đường mỗi sáng.")
    committee, page = signed_in(live, "committee", f"/petitions/{pid}")
    csrf = csrf_of(page)
    end_session(live, committee)
    typed = "Đề nghị công an xã phối hợp — đã trao đổi với trưởng thôn <b>ngày 3</b>"
    before = events(live)
    posted = committee.post(
        f"/petitions/{pid}/note",
        data={"csrf": csrf, "text": typed},
        headers={"Referer": f"{live.url}/petitions/{pid}"},
    )
    assert posted.status_code == 303
    assert events(live) == before  # nothing recorded without a session
    signin = urlsplit(posted.headers["location"])
    assert signin.path == "/signin"
    back = parse_qs(signin.query)["next"][0]
    assert back.startswith(f"/petitions/{pid}?draft=")
    assert committee.get(f"/petitions/{pid}").status_code == 303  # the session has ended

    # another user opening the same address sees nothing of it
    _, stranger = signed_in(live, "other_committee", back)
    assert stranger.status_code == 200
    assert "trưởng thôn" not in stranger.text and "hết hạn" not in stranger.text
    # the one who typed it signs in again: back on the form, filled in as typed
    again, restored = signed_in(live, "committee", back)
    assert urlsplit(str(restored.url)).path == f"/petitions/{pid}"
    assert "Phiên đăng nhập đã hết hạn" in restored.text
    textarea = re.search(r'<textarea id="note-text"[^>]*>([^<]*)</textarea>', restored.text)
    assert textarea and html.unescape(textarea.group(1)) == typed
    sent = again.post(f"/petitions/{pid}/note", data={"csrf": csrf_of(restored), "text": typed})
    assert sent.status_code == 303
    notes = ok(api(live, "committee").get(f"/v1/petitions/{pid}/notes"))
    assert [n["text"] for n in notes] == [typed]
    # the same person with a reissued token is the same owner
    _, reissued = signed_in(live, "committee_again", back)
    assert "Phiên đăng nhập đã hết hạn" in reissued.text


def test_a_briefing_typed_into_an_ended_session_comes_back_without_its_cookie(live: Live) -> None:
    """A browser drops the cookie when it expires: the form's own CSRF secret still says
    whose it was."""
    app = live.service.app
    cell = next(iter(app.district.cells))
    clerk, page = signed_in(live, "clerk", "/briefing")
    csrf = csrf_of(page)
    end_session(live, clerk)
    rows = [
        briefing_row(live, cell, "Nhà văn hóa thôn dột mái", "Mái tôn thủng nhiều chỗ.", "k1"),
        briefing_row(live, cell, "Mương nội đồng bồi lấp", "Cần nạo vét trước vụ.", "k2"),
    ]
    form = briefing_form(live, csrf, *rows)
    form["meeting"] = "Giao ban đặc biệt"
    cookieless = httpx.Client(base_url=live.url, timeout=30)
    before = events(live)
    posted = cookieless.post("/briefing", data=form)
    assert posted.status_code == 303 and events(live) == before
    back = parse_qs(urlsplit(posted.headers["location"]).query)["next"][0]
    assert back.startswith("/briefing?draft=")
    _, restored = signed_in(live, "clerk", back)
    text = html.unescape(restored.text)
    assert "Phiên đăng nhập đã hết hạn" in text
    assert 'value="Nhà văn hóa thôn dột mái"' in text and "Cần nạo vét trước vụ." in text
    assert 'value="Giao ban đặc biệt"' in text
    assert text.count('name="key" value="k') == 2

    # a form posted with no session behind it at all is not kept, and leaks nowhere
    forged = httpx.Client(base_url=live.url).post("/briefing", data={**form, "csrf": "made-up"})
    assert forged.status_code == 303
    assert "draft=" not in forged.headers["location"]


def test_a_form_posted_after_signing_out_elsewhere_is_kept_too(live: Live) -> None:
    pid, _ = raised(live, "Trường mầm non thiếu phòng học", "Hai lớp học chung một phòng.")
    committee, page = signed_in(live, "committee", f"/petitions/{pid}")
    csrf = csrf_of(page)
    signed_out = committee.post("/signout", data={"csrf": csrf})  # in another tab
    assert signed_out.status_code == 303
    assert committee.get(f"/petitions/{pid}").status_code == 303
    posted = httpx.Client(base_url=live.url).post(
        f"/petitions/{pid}/note", data={"csrf": csrf, "text": "Xin ý kiến phòng giáo dục"}
    )
    back = parse_qs(urlsplit(posted.headers["location"]).query)["next"][0]
    assert "draft=" in back
    _, restored = signed_in(live, "committee", back)
    assert "Xin ý kiến phòng giáo dục</textarea>" in restored.text


def test_a_kept_form_is_kept_for_a_day_only(live: Live) -> None:
    owner = "subject:e2e-kept"
    store = live.service.drafts
    from stores.drafts import Draft

    draft_id = store.keep(owner, Draft("/briefing", "/briefing", (("summary", "x"),)))
    assert store.find(draft_id, owner) is not None
    assert store.find(draft_id, "subject:someone-else") is None
    assert store.find("not-" + draft_id, owner) is None
    schema = live.service.app.datastore.schema
    with psycopg.connect(live.service.conninfo, autocommit=True) as conn:
        conn.execute(
            sql.SQL("UPDATE {} SET expires_at = now() - %s WHERE owner = %s").format(
                sql.Identifier(schema, "form_drafts")
            ),
            (timedelta(seconds=1), owner),
        )
    assert store.find(draft_id, owner) is None

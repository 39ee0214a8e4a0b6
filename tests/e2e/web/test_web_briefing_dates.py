"""The dates of the clerk's briefing pages: a briefing that has not been held yet is refused
with the reason, and nothing recorded; the verification page opens on a briefing whose
listed petitions can be verified on it, and a verdict recorded there is accepted."""

from __future__ import annotations

import re
from datetime import date, timedelta
from uuid import UUID

import pytest

from domain.actors import Actor, Role
from tests.e2e.conftest import DEPARTMENT, Live
from tests.e2e.web.test_web_forms import rows
from tests.e2e.web.test_web_security import head, signed_in
from usecases.commands import Context, PetitionDraft

pytestmark = pytest.mark.integration


def test_a_briefing_not_held_yet_is_refused_with_its_reason(live: Live) -> None:
    tomorrow = live.service.app.today() + timedelta(days=1)
    client, csrf = signed_in(live, "clerk")
    form = rows(live, 2) | {"csrf": [csrf], "briefing": [tomorrow.isoformat()]}
    before = head(live)
    refused = client.post("/briefing", data=form)
    assert refused.status_code == 422
    day = tomorrow.strftime("%d/%m/%Y")
    reason = f"Hội nghị ngày {day} chưa diễn ra: chỉ ghi nhận ý kiến của hội nghị đã họp."
    assert reason in refused.text
    # The rows themselves are right: none is marked, and what was typed is kept.
    assert "aria-invalid" not in refused.text and 'class="petition-row invalid' not in refused.text
    assert refused.text.count("Ý kiến số") == 2
    assert head(live) == before
    # The page says so before anything is typed, and in English too.
    page = client.get("/briefing", params={"briefing": tomorrow.isoformat()})
    assert page.status_code == 200 and reason in page.text
    client.cookies.set("lang", "en")
    english = client.post("/briefing", data=form)
    assert english.status_code == 422 and head(live) == before
    assert (
        f"The briefing of {day} has not been held yet: only a briefing that has met can be "
        "recorded." in english.text
    )
    client.cookies.delete("lang")


def test_a_refusal_that_names_no_field_of_the_row_says_why_in_the_row(live: Live) -> None:
    """A refusal of something the rows do not show (the meeting's name, here too long) is
    written out in the row it stopped, never just a red row."""
    client, csrf = signed_in(live, "clerk")
    form = rows(live, 1) | {"csrf": [csrf], "meeting": ["x" * 201]}
    before = head(live)
    refused = client.post("/briefing", data=form)
    assert refused.status_code == 422 and head(live) == before
    row = re.search(r'<fieldset class="petition-row invalid".*?</fieldset>', refused.text, re.S)
    assert row and 'role="alert">Hội nghị: quá dài<' in row.group(0)


def answered_before(live: Live, zone: str, summary: str, answered_on: date) -> tuple[str, int]:
    """A petition of ``zone`` answered in writing on ``answered_on``; its id and the log
    position of the answer."""
    app = live.service.app
    raised_on = answered_on - timedelta(days=10)
    cell = next(
        c.code for c in app.district.cells.values() if app.district.communes[c.commune].zone == zone
    )
    petition = app.raise_petition(
        PetitionDraft(
            kind="proposal",
            category="services",
            summary=summary,
            text=summary + ".",
            cell=cell,
            raised_by="Nguyễn Văn Thử",
            channel="meeting",
            meeting="Giao ban",
            raised_on=raised_on,
        ),
        Context(Actor("e2e-clerk", Role.CLERK)),
    ).id
    app.assign(
        petition,
        Context(Actor("e2e-committee", Role.COMMITTEE)),
        department=DEPARTMENT,
        on=raised_on + timedelta(days=1),
    )
    answer = app.answer_in_writing(
        petition,
        Context(Actor("e2e-department", Role.DEPARTMENT, DEPARTMENT)),
        text="Đã xử lý.",
        document_number="7/KTHT",
        document_date=answered_on,
        signer="Trưởng phòng",
        on=answered_on,
    )
    return str(petition), answer.position or 0


def test_the_verification_page_opens_on_a_briefing_its_petitions_can_be_verified_at(
    live: Live,
) -> None:
    """By default the page shows the zone's latest briefing held, today's on a briefing day.
    An answer given after a briefing is verified at a later one, so it is not offered a
    verdict there (a verdict dated before the answer is refused); every petition the page
    lists takes its verdict."""
    app = live.service.app
    today = app.today()
    held = {z: app.district.previous_briefing(z, today) for z in app.district.zones}
    zone = next(z for z, day in held.items() if day is not None)  # held before today
    briefing = held[zone]
    assert briefing is not None and briefing < today
    due, _ = answered_before(live, zone, "Trả lời trước hội nghị", briefing - timedelta(days=2))
    later, position = answered_before(live, zone, "Trả lời sau hội nghị", today)
    client, csrf = signed_in(live, "clerk")
    opened = client.get("/verification", params={"zone": zone, "min_position": position})
    latest = app.district.previous_briefing(zone, today + timedelta(days=1))  # held by today
    assert latest is not None and latest >= briefing
    assert f'name="briefing" value="{latest.isoformat()}"' in opened.text
    # The briefing before today, asked for by name: on a briefing day it is not the default.
    page = client.get(
        "/verification",
        params={"zone": zone, "briefing": briefing.isoformat(), "min_position": position},
    )
    assert page.status_code == 200
    assert f'name="briefing" value="{briefing.isoformat()}"' in page.text
    listed = re.findall(r'name="petition" value="([0-9a-f-]{36})"', page.text)
    assert due in listed and later not in listed
    assert "Trả lời sau hội nghị" in page.text  # named among those verified later
    assert "1 ý kiến trả lời sau hội nghị này" in page.text
    versions = dict(re.findall(r'name="version-([0-9a-f-]{36})" value="(\d+)"', page.text))
    form: dict[str, list[str]] = {
        "csrf": [csrf],
        "zone": [zone],
        "briefing": [briefing.isoformat()],
        "meeting": ["Giao ban"],
        "petition": listed,
    }
    for petition in listed:
        form[f"verdict-{petition}"] = ["satisfied"]
        form[f"version-{petition}"] = [versions[petition]]
    before = head(live)
    recorded = client.post("/verification", data=form)
    assert recorded.status_code == 303, re.findall(r'role="alert">([^<]*)<', recorded.text)
    assert head(live) == before + len(listed)
    assert app.state(UUID(due))["status"] == "closed"
    assert app.state(UUID(due))["verifications"][-1]["verified_on"] == briefing
    assert app.state(UUID(later))["status"] == "answered"


def test_a_briefing_not_held_yet_offers_no_verdict(live: Live) -> None:
    app = live.service.app
    zone = next(iter(app.district.zones))
    coming = app.district.next_briefing(zone, app.today())
    assert coming is not None
    _, position = answered_before(live, zone, "Chờ hội nghị tới", app.today())
    client, _ = signed_in(live, "clerk")
    page = client.get(
        "/verification",
        params={"zone": zone, "briefing": coming.isoformat(), "min_position": position},
    )
    assert page.status_code == 200
    day = coming.strftime("%d/%m/%Y")
    assert f"Hội nghị ngày {day} chưa diễn ra: ghi nhận kết quả xác minh từ ngày đó." in page.text
    assert "Chờ hội nghị tới" in page.text and 'name="petition"' not in page.text

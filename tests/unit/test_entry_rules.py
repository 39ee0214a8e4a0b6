"""The rules behind the entry tasks, without a database: a note changes nothing of the
petition's handling, who reads notes, how close two texts are, which query parameters a
saved filter keeps."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from urllib.parse import parse_qsl

import pytest

from api.web.pages.filters import filter_query
from domain.actors import Actor, Role, Stamp
from domain.errors import IllegalTransition, WrongDepartment
from domain.petition import Petition
from domain.reference import District, single
from domain.similarity import CLOSE_ENOUGH, likeness
from stores.tokens import Principal
from tests.unit.builders import COMMITTEE, ROADS, WATER, assigned
from usecases import access

LATER = date(2026, 4, 1)
PROVINCE = single(District("Huyện", {}, {}, {}, {}))


def test_a_note_changes_no_state_and_does_not_move_the_business_clock() -> None:
    p = assigned()
    status, clock, version = p.status, p.last_business_date, p.version
    p.add_note(text="  Đã gọi trưởng thôn.  ", stamp=Stamp(ROADS, LATER))
    assert (p.status, p.last_business_date, p.version) == (status, clock, version + 1)
    (event,) = [e for e in p.collect_events() if isinstance(e, Petition.NoteAdded)]
    assert event.text == "Đã gọi trưởng thôn." and not event.moves_clock
    with pytest.raises(WrongDepartment):
        p.add_note(text="x", stamp=Stamp(WATER, LATER))
    p.close(reason="Xong", stamp=Stamp(COMMITTEE, LATER))
    with pytest.raises(IllegalTransition):
        p.add_note(text="x", stamp=Stamp(COMMITTEE, LATER))


@pytest.mark.parametrize(
    ("actor", "reads"),
    [
        (COMMITTEE, True),
        (Actor("a", Role.AUDITOR), True),
        (ROADS, True),  # in charge
        (WATER, False),  # held it before
        (Actor("w", Role.DEPARTMENT, "wells"), False),  # never held it
        (Actor("c", Role.CLERK), False),
    ],
)
def test_notes_are_read_by_the_committee_the_auditors_and_the_department_in_charge(
    actor: Actor, reads: bool
) -> None:
    petition = SimpleNamespace(
        id="p", organisation=PROVINCE.founding, departments=["water", "roads"], department="roads"
    )
    assert access.reads_notes(actor, petition, PROVINCE) is reads


def test_likeness_sees_a_copy_typed_without_diacritics_and_not_another_matter() -> None:
    text = "Đường ống nước sạch thôn 3 bị vỡ\n40 hộ thiếu nước sinh hoạt."
    assert likeness(text, text) == 1.0
    assert likeness("Duong ong nuoc sach thon 3 bi vo, 40 ho thieu nuoc sinh hoat", text) == 1.0
    assert likeness("Ống nước sạch thôn 3 vỡ, 40 hộ không có nước", text) >= CLOSE_ENOUGH
    assert likeness("Đề nghị hỗ trợ giống lúa cho hộ nghèo", text) < CLOSE_ENOUGH
    assert likeness("", text) == 0.0


def test_a_saved_filter_keeps_the_page_s_own_filters_only() -> None:
    board = filter_query("board", "department=roads&offset=200&done=x&zone=&evil=1&sort=days")
    assert dict(parse_qsl(board)) == {"department": "roads", "sort": "days"}
    listed = filter_query("petitions", "q=duong&cursor=abc&min_position=9&status=raised")
    assert dict(parse_qsl(listed)) == {"q": "duong", "status": "raised"}


def test_the_owner_of_saved_filters_is_the_account_else_the_subject() -> None:
    token = Principal("tok_1", "máy", Role.COMMITTEE, None, "ông Ba")
    assert access.owner(token) == "subject:ông Ba"
    person = Principal("tok_2", "x", Role.COMMITTEE, None, "ông Ba", account="ba")
    assert access.owner(person) == "account:ba"

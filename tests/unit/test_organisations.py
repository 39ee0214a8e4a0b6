"""Organisations in the domain and the use cases, without a database: a province with a
commune, a second commune and a dissolved district; who sees and does what; referral
upward and its return; the dissolved district's end date; the founding upcast."""

from __future__ import annotations

from datetime import date

import pytest

from domain.actors import Actor, Role
from domain.calendar import BriefingCalendar, BriefingRule, BusinessDates
from domain.errors import InvalidCommand, PetitionNotFound
from domain.organisations import WORDS, Level, Organisation
from domain.petition import FOUNDING, Petition
from domain.reference import Cell, Commune, Department, District, Province, Zone
from usecases import access
from usecases.commands import Assign, Context, PetitionDraft, RaisePetition, Refer
from usecases.errors import Refused
from usecases.petitions import Petitions

TODAY = date(2026, 6, 10)
PROVINCE = "tinh"


def commune(code: str, day: int) -> District:
    zone = Zone(code, code, BriefingCalendar(BriefingRule(day=day)))
    return District(
        name=f"Xã {code}",
        zones={code: zone},
        communes={code: Commune(code, f"Xã {code}", None)},
        cells={f"{code}-thon-1": Cell(f"{code}-thon-1", "Chi bộ thôn 1", code, code)},
        departments={f"{code}-kinh-te": Department(f"{code}-kinh-te", "Phòng Kinh tế")},
        organisation=code,
    )


def province() -> Province:
    organisations = {
        PROVINCE: Organisation(PROVINCE, "Tỉnh mẫu", Level.PROVINCE, None, date(1997, 1, 1)),
        "xa-a": Organisation("xa-a", "Xã A", Level.COMMUNE, PROVINCE, date(2025, 7, 1)),
        "xa-b": Organisation("xa-b", "Xã B", Level.COMMUNE, PROVINCE, date(2025, 7, 1)),
        "huyen": Organisation(
            "huyen", "Huyện cũ", Level.DISTRICT, PROVINCE, date(2000, 1, 1), date(2025, 7, 1)
        ),
    }
    references = {
        PROVINCE: District(
            "Tỉnh mẫu",
            {},
            {},
            {},
            {"so-xd": Department("so-xd", "Sở Xây dựng")},
            organisation=PROVINCE,
        ),
        "xa-a": commune("xa-a", 3),
        "xa-b": commune("xa-b", 5),
        "huyen": commune("huyen", 7),
    }
    return Province(PROVINCE, organisations, references, founding="huyen")


def application() -> Petitions:
    return Petitions(
        province(),
        env={"PERSISTENCE_MODULE": "eventsourcing.popo"},
        today=lambda: TODAY,
        dates=BusinessDates(earliest=date(2000, 1, 1)),
    )


def of(organisation: str, role: Role, department: str | None = None) -> Context:
    return Context(Actor(f"{organisation}-{role}", role, department, organisation))


def draft(cell: str = "xa-a-thon-1", raised_on: date = date(2026, 6, 3)) -> PetitionDraft:
    return PetitionDraft(
        kind="proposal",
        category="transport",
        summary="Đề nghị sửa đường tỉnh lộ",
        text="Đường tỉnh lộ qua thôn 1 sạt lở.",
        cell=cell,
        raised_by="Bí thư chi bộ",
        channel="written_report",
        raised_on=raised_on,
    )


def test_a_petition_belongs_to_the_organisation_it_is_raised_in() -> None:
    app = application()
    written = app.execute(RaisePetition(draft=draft()), of("xa-a", Role.CLERK))
    assert app.state(written.id)["organisation"] == "xa-a"
    # another commune's cell is unknown to it, and the province raises nothing
    with pytest.raises(InvalidCommand, match="cell: unknown code xa-a-"):
        app.execute(RaisePetition(draft=draft()), of("xa-b", Role.CLERK))
    with pytest.raises(InvalidCommand, match="not the province"):
        app.execute(RaisePetition(draft=draft()), of(PROVINCE, Role.CLERK))


def test_a_dissolved_district_takes_no_petition_raised_after_its_end() -> None:
    app = application()
    clerk = of("huyen", Role.CLERK)
    with pytest.raises(InvalidCommand, match="ceased to exist on 2025-07-01") as refused:
        app.execute(RaisePetition(draft=draft("huyen-thon-1", date(2025, 7, 1))), clerk)
    assert refused.value.field == "raised_on"
    # old minutes of its active years are still entered
    old = app.execute(RaisePetition(draft=draft("huyen-thon-1", date(2025, 6, 30))), clerk)
    assert app.state(old.id)["organisation"] == "huyen"
    assert app.recorder.max_notification_id() == 1


def test_another_commune_gets_no_such_petition() -> None:
    app = application()
    pid = app.execute(RaisePetition(draft=draft()), of("xa-a", Role.CLERK)).id
    with pytest.raises(PetitionNotFound, match=f"no petition {pid}"):
        app.execute(Assign(petition_id=pid, department="xa-b-kinh-te"), of("xa-b", Role.COMMITTEE))
    committee_a = of("xa-a", Role.COMMITTEE)
    with pytest.raises(InvalidCommand, match="department: unknown code xa-b-kinh-te"):  # B's
        app.execute(Assign(petition_id=pid, department="xa-b-kinh-te"), committee_a)
    assert app.load(pid).version == 1


def test_referral_upward_answer_and_verification() -> None:
    app = application()
    pid = app.execute(RaisePetition(draft=draft()), of("xa-a", Role.CLERK)).id
    province_committee = of(PROVINCE, Role.COMMITTEE)
    with pytest.raises(Refused, match="referred to it"):  # not referred yet
        app.execute(Assign(petition_id=pid, department="so-xd"), province_committee)
    with pytest.raises(InvalidCommand, match="goes to the province"):
        app.execute(
            Refer(petition_id=pid, organisation="xa-b", department="xa-b-kinh-te"),
            of("xa-a", Role.COMMITTEE),
        )
    refer = Refer(petition_id=pid, organisation=PROVINCE, department="so-xd", on=TODAY)
    app.execute(refer, of("xa-a", Role.COMMITTEE))
    state = app.state(pid)
    assert (state["status"], state["department"], state["referred_to"]) == (
        "assigned",
        "so-xd",
        PROVINCE,
    )
    assert state["due_on"] == date(2026, 7, 3)  # commune A's briefing calendar (day 3)
    with pytest.raises(InvalidCommand, match="already referred"):
        app.execute(refer, of("xa-a", Role.COMMITTEE))
    with pytest.raises(Refused, match="its departments handle it"):
        app.execute(Assign(petition_id=pid, department="xa-a-kinh-te"), of("xa-a", Role.COMMITTEE))
    building = of(PROVINCE, Role.DEPARTMENT, "so-xd")
    app.answer_in_writing(
        pid,
        building,
        text="Sở sẽ sửa trong quý III.",
        document_number="12/SXD",
        document_date=TODAY,
        signer="Giám đốc Sở",
        on=TODAY,
    )
    assert app.state(pid)["answers"][0]["verify_by"] == date(2026, 7, 3)
    app.today = lambda: date(2026, 7, 3)
    app.verify(pid, of("xa-a", Role.CLERK), verdict="satisfied", on=date(2026, 7, 3))
    assert app.state(pid)["status"] == "closed"


def test_a_returned_referral_goes_back_to_the_raising_committee() -> None:
    app = application()
    pid = app.execute(RaisePetition(draft=draft()), of("xa-a", Role.CLERK)).id
    app.refer(pid, of("xa-a", Role.COMMITTEE), organisation=PROVINCE, department="so-xd", on=TODAY)
    app.return_referral(pid, of(PROVINCE, Role.COMMITTEE), reason="Thuộc thẩm quyền xã", on=TODAY)
    state = app.state(pid)
    assert (state["status"], state["department"], state["referred_to"]) == ("raised", None, None)
    assert state["departments"] == ["so-xd"]  # it was the province's, and stays so for it
    app.assign(pid, of("xa-a", Role.COMMITTEE), department="xa-a-kinh-te", on=TODAY)


def test_scopes_of_the_organisations() -> None:
    p = province()
    a, prov = Actor("a", Role.COMMITTEE, None, "xa-a"), Actor("p", Role.AUDITOR, None, PROVINCE)
    assert access.organisation_scope(a, p) == {"xa-a"}
    assert access.organisation_scope(prov, p) is None
    assert access.organisations_asked(prov, p, "xa-b") == {"xa-b"}
    assert access.organisations_asked(a, p, None) == {"xa-a"}
    for asked in ("xa-b", "nowhere"):  # another's and none are answered alike
        with pytest.raises(InvalidCommand) as refused:
            access.organisations_asked(a, p, asked)
        assert refused.value.field == "organisation"
        assert refused.value.message.endswith(f"unknown organisation {asked}")
    assert [o.code for o in access.organisations_seen(a, p)] == [PROVINCE, "xa-a"]
    assert len(access.organisations_seen(prov, p)) == 4


def test_the_words_of_each_level() -> None:
    assert WORDS[Level.COMMUNE].committee == "Đảng ủy xã"
    assert WORDS[Level.DISTRICT].committee == "Huyện ủy"
    assert WORDS[Level.PROVINCE].departments == "sở, ban, ngành tỉnh"
    assert province().organisation("huyen").words.office == "Văn phòng Huyện ủy"


def test_a_raised_event_of_version_1_is_the_founding_organisations() -> None:
    state = {"kind": "reflection"}
    Petition.Raised.upcast_v1_v2(state)
    assert state["organisation"] == FOUNDING
    app = application()
    assert app.mapper.founding == "huyen"  # type: ignore[attr-defined]

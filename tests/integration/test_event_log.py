"""The Petitions application on real PostgreSQL: every event type stored and read back,
reopening, the upcast of an old stored event, and refusals that record nothing."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime
from uuid import uuid4

import pytest
from eventsourcing.persistence import StoredEvent

from domain.errors import (
    DomainError,
    IllegalTransition,
    InvalidCommand,
    NotPermitted,
    PetitionNotFound,
    StaleVersion,
    WrongDepartment,
)
from domain.petition import RECORDED_EVENTS, Petition
from service.bootstrap import Service, bootstrap
from service.settings import Settings
from stores.attachments import Letter
from tests.integration.helpers import (
    AUDITOR,
    CLERK,
    COMMITTEE,
    INFRA,
    POLICE,
    SYSTEM,
    add_province_department,
    assigned_to_infra,
    department_context,
    draft,
    stored_event_count,
    write_answer,
)
from tests.integration.test_meeting_calendar import admin
from usecases.clearance import Clear
from usecases.clock import PauseClock, ResumeClock
from usecases.commands import AddNote, Cosign, Pledge, Reopen
from usecases.commitments import FulfilCommitment, RecordProgress
from usecases.coordination import Contribute, WaiveContributions
from usecases.petitions import Petitions
from usecases.repeats import LinkRepeat

D = date
CV45 = b"%PDF-1.4 " + b"0" * 2039  # a signed letter of 2,048 bytes

ALL_EVENT_TYPES = {cls.__name__ for cls in RECORDED_EVENTS}  # ours, not the library's


def fresh_reader(service: Service, settings: Settings) -> Petitions:
    """A second application on the same store, with nothing cached."""
    return bootstrap(settings, database=service.database, schema=service.app.datastore.schema).app


def test_every_event_type_is_stored_and_read_back(service: Service, settings: Settings) -> None:
    app = service.app
    first = app.raise_petition(draft(), CLERK).id
    app.assign(first, COMMITTEE, department="cong-an", on=D(2026, 3, 4))
    app.assign(
        first,
        COMMITTEE,
        department="tai-nguyen-moi-truong",
        on=D(2026, 3, 5),
        note="Chuyển đúng thẩm quyền",
    )
    app.decline_assignment(
        first,
        department_context("tai-nguyen-moi-truong"),
        reason="Không thuộc thẩm quyền",
        on=D(2026, 3, 6),
    )
    app.assign(first, COMMITTEE, department="kinh-te-ha-tang", on=D(2026, 3, 7))
    app.extend_deadline(
        first, COMMITTEE, due_on=D(2026, 4, 20), reason="Cần khảo sát", on=D(2026, 3, 30)
    )
    app.handle(
        PauseClock(petition_id=first, reason="site_visit", note="Đo tuyến ống", on=D(2026, 3, 31)),
        COMMITTEE,
    )
    app.handle(ResumeClock(petition_id=first, on=D(2026, 4, 1)), COMMITTEE)
    write_answer(
        app,
        first,
        D(2026, 4, 2),
        text="Đã thay đoạn ống 20 m.",
        document_number="45/CV-KTHT",
        document_date=D(2026, 4, 1),
        signer="Trưởng phòng Lê Văn A",
        letters=[Letter("cv45.pdf", CV45, "application/pdf")],
    )
    app.verify(
        first,
        CLERK,
        verdict="unsatisfied",
        flags=["generic"],
        meeting="giao-ban-khu-1-2026-05-03",
        comment="Chưa nói rõ thời gian",
        on=D(2026, 5, 3),
    )
    app.escalate(first, COMMITTEE, reason="Phản ánh nhiều lần", on=D(2026, 5, 4))
    app.handle(AddNote(petition_id=first, text="Đã gọi điện hỏi phòng"), COMMITTEE)
    app.handle(
        Cosign(petition_id=first, cell="yen-lac-thon1", raised_by="Trần Thị Mai",
               channel="written_report", on=D(2026, 3, 10)),
        CLERK,
    )
    app.issue_reminder(first, SYSTEM, kind="due_soon", on=app.state(first)["due_on"])
    second = app.raise_petition(draft(summary="Loa truyền thanh hỏng"), CLERK).id
    app.answer_on_the_spot(
        second,
        CLERK,
        text="Sẽ thay loa trong tháng",
        answered_by="PCT UBND huyện",
        meeting="giao-ban-khu-1-2026-03-03",
        on=D(2026, 3, 3),
    )
    app.close_petition(second, COMMITTEE, reason="Đã thay loa", on=D(2026, 3, 20))
    third = app.raise_petition(draft(summary="Trùng nội dung"), CLERK).id
    app.merge(third, COMMITTEE, into=first, reason="Trùng", on=D(2026, 3, 4))
    mistaken = app.raise_petition(draft(summary="Rút nhầm"), CLERK).id
    app.withdraw(mistaken, COMMITTEE, reason="Nhầm", on=D(2026, 3, 4))
    app.handle(Reopen(petition_id=mistaken, reason="Rút nhầm, mở lại"), COMMITTEE)
    fourth = app.raise_petition(draft(channel="written_report", meeting=None), CLERK).id
    app.withdraw(fourth, COMMITTEE, reason="Chi bộ rút", on=D(2026, 3, 5))
    fifth = app.raise_petition(draft(summary="Quốc lộ sạt lở"), CLERK).id
    province = app.province.code
    building = add_province_department(service, "so-xay-dung", "Sở Xây dựng")
    app.refer(fifth, COMMITTEE, organisation=province, department="so-xay-dung", on=D(2026, 3, 4))
    app.return_referral(fifth, building, reason="Đường huyện quản lý", on=D(2026, 3, 6))
    # a lead with two coordinating departments: one sends its part, the other's is waived
    sixth = app.raise_petition(draft(summary="Cống thoát nước tắc"), CLERK).id
    app.assign(sixth, COMMITTEE, department="kinh-te-ha-tang", due_on=D(2026, 4, 20),
               coordinating=(("cong-an", D(2026, 3, 20)), ("nong-nghiep", D(2026, 3, 25))),
               on=D(2026, 3, 5))  # fmt: skip
    app.handle(
        Contribute(petition_id=sixth, text="Đã kiểm tra hiện trường", document_number="7/CA",
                   document_date=D(2026, 3, 18), signer="Trưởng Công an", on=D(2026, 3, 18)),
        department_context("cong-an"),
    )  # fmt: skip
    app.handle(
        WaiveContributions(petition_id=sixth, departments=("nong-nghiep",),
                           reason="Không liên quan nông nghiệp", on=D(2026, 3, 26)),
        COMMITTEE,
    )  # fmt: skip
    # an answer committing its department, accepted, followed and done; a repeat of it
    seventh = app.raise_petition(draft(summary="Đường thôn 3 xuống cấp"), CLERK).id
    app.assign(seventh, COMMITTEE, department="kinh-te-ha-tang", on=D(2026, 3, 5))
    write_answer(app, seventh, D(2026, 3, 9), document_number="8/CV",
                 commitment=Pledge(text="Rải lại mặt đường", due_on=D(2026, 6, 30)))  # fmt: skip
    app.verify(seventh, CLERK, verdict="satisfied", on=D(2026, 4, 3))
    infra = department_context("kinh-te-ha-tang")
    app.handle(
        RecordProgress(petition_id=seventh, percent=40, note="Đã khảo sát", on=D(2026, 4, 10)),
        infra,
    )
    app.handle(FulfilCommitment(petition_id=seventh, note="Đã rải xong", on=D(2026, 5, 20)), infra)
    eighth = app.raise_petition(draft(summary="Đường thôn 3 lại hỏng"), CLERK).id
    app.execute(LinkRepeat(petition_id=eighth, repeats=seventh, on=D(2026, 6, 1)), COMMITTEE)
    # the office clears the answers: one returned, the next accepted
    admin(service, "clearance", clearance="office")
    app.assign(eighth, COMMITTEE, department="kinh-te-ha-tang", on=D(2026, 6, 2))
    write_answer(app, eighth, D(2026, 6, 5), document_number="9/CV")
    app.execute(Clear(petition_id=eighth, decision="return", reason="generic", note="Chung chung",
                      on=D(2026, 6, 6)), CLERK)  # fmt: skip
    write_answer(app, eighth, D(2026, 6, 8), document_number="10/CV")
    app.execute(Clear(petition_id=eighth, decision="accept", on=D(2026, 6, 9)), CLERK)

    reader = fresh_reader(service, settings)
    seen: set[str] = set()
    for pid in (first, second, third, fourth, fifth, mistaken, sixth, seventh, eighth):
        assert reader.state(pid) == app.state(pid)
        history = reader.history(pid)
        assert [h["version"] for h in history] == list(range(1, len(history) + 1))
        for record in history:
            seen.add(record["type"])
            assert isinstance(record["business_date"], date)
            assert record["recorded_at"].tzinfo is not None
            assert record["actor"]["id"]
    assert seen == ALL_EVENT_TYPES
    answer = reader.state(first)["answers"][0]
    assert answer["attachments"] == [
        {
            "name": "cv45.pdf",
            "sha256": Letter("", CV45, "").sha256,
            "size": 2048,
            "content_type": "application/pdf",
        }
    ]
    assert service.attachments.get(answer["attachments"][0]["sha256"]) == ("application/pdf", CV45)
    assert answer["document_date"] == D(2026, 4, 1)
    history = reader.history(first)
    assert history[0]["request_id"] == "req-clerk"
    assert history[1]["actor"] == {
        "id": "committee-1",
        "role": "committee",
        "department": None,
        "name": None,
        "position": None,
    }
    assert reader.state(third)["merged_into"] == first


def test_unsatisfied_verdict_reopens_with_a_new_due_date(service: Service) -> None:
    app = service.app
    assigned = assigned_to_infra(app)
    pid = assigned.id
    assert app.state(pid)["due_on"] == D(2026, 4, 3)  # zone khu-1 meets on the 3rd
    write_answer(app, pid, D(2026, 3, 25), text="Sẽ sửa.")
    reopened = app.verify(
        pid,
        CLERK,
        verdict="partially_satisfied",
        flags=["unpersuasive"],
        meeting="giao-ban-khu-1-2026-04-03",
        on=D(2026, 4, 3),
    )
    state = app.state(pid)
    assert (reopened.status, state["department"], state["due_on"], state["reopen_count"]) == (
        "assigned",
        "kinh-te-ha-tang",
        D(2026, 5, 3),
        1,
    )
    assert reopened.version == assigned.version + 3  # answered, verified, reopened
    assert reopened.position is not None and assigned.position is not None
    assert reopened.position > assigned.position
    write_answer(app, pid, D(2026, 4, 20), text="Đã sửa xong.", document_number="2/CV")
    closed = app.verify(pid, CLERK, verdict="satisfied", on=D(2026, 5, 3))
    assert closed.status == "closed"
    assert [v["verdict"] for v in app.state(pid)["verifications"]] == [
        "partially_satisfied",
        "satisfied",
    ]


def test_reopen_with_another_department(service: Service) -> None:
    app = service.app
    pid = assigned_to_infra(app).id
    write_answer(app, pid, D(2026, 3, 25))
    app.verify(
        pid,
        COMMITTEE,
        verdict="unsatisfied",
        flags=["off_topic"],
        reassign_to="cong-an",
        due_on=D(2026, 4, 30),
        on=D(2026, 4, 3),
    )
    state = app.state(pid)
    assert (state["department"], state["due_on"]) == ("cong-an", D(2026, 4, 30))
    assert state["departments"] == ["kinh-te-ha-tang", "cong-an"]


@pytest.mark.parametrize(
    ("satisfied", "verdict", "status"),
    [(True, "satisfied", "closed"), (False, "unsatisfied", "answered")],
)
def test_a_version_1_verdict_is_upcast_when_read(
    service: Service, satisfied: bool, verdict: str, status: str
) -> None:
    """Version 1 of Verified stored ``satisfied: bool``; reading it gives today's verdict
    (the three verdicts of version 2, and no meeting kept by the service, of version 3)."""
    app = service.app
    pid = assigned_to_infra(app).id
    write_answer(app, pid, D(2026, 3, 25))
    petition = app.load(pid)
    current = Petition.Verified(
        originator_id=pid,
        originator_version=petition.version + 1,
        timestamp=datetime.now(UTC),
        actor=CLERK.actor,
        business_date=D(2026, 4, 3),
        request_id=None,
        verdict=verdict,
        flags=[],
        meeting="giao-ban",
        comment=None,
        meeting_id=None,
    )
    stored = app.mapper.to_stored_event(current)
    state = json.loads(stored.state)
    assert state.pop("class_version") == 3
    del state["verdict"], state["flags"], state["meeting_id"]
    state["satisfied"] = satisfied
    old = StoredEvent(
        originator_id=stored.originator_id,
        originator_version=stored.originator_version,
        topic=stored.topic,
        state=json.dumps(state).encode(),
    )
    app.recorder.insert_events([old])

    app.repository.cache = None  # read it from the store, as a restarted service would
    after = app.state(pid)
    assert after["status"] == status
    assert after["verifications"][-1]["verdict"] == verdict
    assert after["verifications"][-1]["flags"] == []
    assert after["verifications"][-1]["meeting_id"] is None
    assert app.history(pid)[-1]["payload"]["verdict"] == verdict


def test_refused_commands_leave_the_event_log_untouched(service: Service) -> None:
    app = service.app
    written = assigned_to_infra(app)
    pid = written.id
    before = stored_event_count(service)
    attempts = [
        (IllegalTransition, lambda: app.verify(pid, CLERK, verdict="satisfied", on=D(2026, 4, 3))),
        (WrongDepartment, lambda: write_answer(app, pid, D(2026, 3, 9), by=POLICE)),
        (NotPermitted, lambda: app.escalate(pid, AUDITOR, reason="x")),
        (NotPermitted, lambda: app.raise_petition(draft(), INFRA)),
        (InvalidCommand, lambda: app.assign(pid, COMMITTEE, department="no-such-department")),
        (InvalidCommand, lambda: app.raise_petition(draft(cell="no-such-cell"), CLERK)),
        (InvalidCommand, lambda: app.raise_petition(draft(category="weather"), CLERK)),
        (InvalidCommand, lambda: app.raise_petition(draft(raised_on=D(2099, 1, 1)), CLERK)),
        (
            InvalidCommand,
            lambda: app.extend_deadline(
                pid, COMMITTEE, due_on=D(2026, 3, 1), reason="x", on=D(2026, 3, 6)
            ),
        ),
        (
            StaleVersion,
            lambda: app.escalate(pid, COMMITTEE, reason="x", expected_version=written.version - 1),
        ),
        (PetitionNotFound, lambda: app.escalate(uuid4(), COMMITTEE, reason="x")),
        (InvalidCommand, lambda: app.merge(pid, COMMITTEE, into=uuid4())),
    ]
    for error, attempt in attempts:
        with pytest.raises(error):
            attempt()
    assert stored_event_count(service) == before
    assert app.state(pid)["version"] == written.version


def test_state_as_of_a_past_moment(service: Service) -> None:
    app = service.app
    pid = assigned_to_infra(app).id
    between = datetime.now(UTC)
    app.escalate(pid, COMMITTEE, reason="x", on=D(2026, 3, 6))
    assert app.state(pid, as_of=between)["escalations"] == 0
    assert app.state(pid)["escalations"] == 1
    with pytest.raises(PetitionNotFound):
        app.state(pid, as_of=datetime(2020, 1, 1, tzinfo=UTC))


def test_domain_errors_carry_codes_and_details(service: Service) -> None:
    app = service.app
    pid = app.raise_petition(draft(), CLERK).id
    with pytest.raises(DomainError) as caught:
        app.verify(pid, CLERK, verdict="satisfied")
    assert caught.value.code == "illegal_transition"
    assert caught.value.details == {"command": "verify", "status": "raised"}
    with pytest.raises(InvalidCommand) as invalid:
        app.raise_petition(replace(draft(), summary=" "), CLERK)
    assert invalid.value.details["field"] == "summary"

"""The Meeting aggregate without a database: its life from scheduling to closing, the
lateness of a notice, the frozen agenda, attendance, and refusals of commands out of order
that record nothing."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import uuid4

import pytest
from eventsourcing.application import Application

from domain.actors import Actor, Role, Stamp
from domain.errors import InvalidCommand, MeetingOutOfOrder, NotPermitted
from domain.meeting import MEETING_EVENTS, MEETING_LIFECYCLE, Attendee, Meeting
from domain.petition import Petition
from domain.vocabulary import Attendance, AttendeeRole, MeetingCommand, MeetingStatus
from usecases.records import ActorAsDict, DateAsISO

CLERK = Actor("clerk-1", Role.CLERK, organisation="huyen")
COMMITTEE = Actor("committee-1", Role.COMMITTEE, organisation="huyen")
AUDITOR = Actor("auditor-1", Role.AUDITOR, organisation="huyen")
ON = date(2026, 3, 3)


def at(day: date, actor: Actor = CLERK) -> Stamp:
    return Stamp(actor, day)


def briefing(**overrides: Any) -> Meeting:
    fields: dict[str, Any] = dict(
        organisation="huyen",
        kind="briefing",
        zone="khu-1",
        scheduled_on=ON,
        stamp=at(date(2026, 2, 20)),
    )
    fields.update(overrides)
    return Meeting.schedule(**fields)


def cell_meeting(**overrides: Any) -> Meeting:
    fields: dict[str, Any] = dict(
        organisation="huyen",
        kind="cell_meeting",
        cell="c-1",
        commune="xa-a",
        members=["Lò Văn Thắng"],
        scheduled_on=ON,
        stamp=at(date(2026, 2, 20)),
    )
    fields.update(overrides)
    return Meeting.schedule(**fields)


SECRETARIES = [
    {"role": "secretary", "cell": "c-1", "person": "Nguyễn Văn A", "status": "present"},
    {"role": "secretary", "cell": "c-2", "status": "late", "minutes_late": 20},
    {
        "role": "secretary",
        "cell": "c-3",
        "status": "absent",
        "reason": "ốm, có giấy xin phép",
        "excused": True,
    },
    {"role": "committee_member", "person": "Lò Văn Thắng", "status": "present"},
    {"role": "department_leader", "person": "Trưởng phòng Kinh tế", "status": "absent"},
]


def held(meeting: Meeting, day: date = ON) -> Meeting:
    meeting.hold(chair="Đồng chí Bí thư", attendance=SECRETARIES, stamp=at(day))
    return meeting


def types(meeting: Meeting) -> list[str]:
    return [type(e).__name__ for e in meeting.collect_events()]


def test_a_briefing_s_whole_life() -> None:
    meeting = briefing()
    packet = [uuid4(), uuid4()]
    meeting.send_notice(
        recipients=["Bí thư các chi bộ khu 1"], required_days=5, stamp=at(date(2026, 2, 24))
    )
    meeting.issue_agenda(petitions=packet, stamp=at(date(2026, 2, 25)))
    held(meeting)
    raised = [uuid4(), uuid4()]
    meeting.record_minutes(
        text="Hội nghị giao ban tháng 3.",
        petitions_raised=raised,
        answers_read=[packet[0]],
        verdicts=[(packet[0], "satisfied")],
        stamp=at(ON),
    )
    meeting.close(stamp=at(date(2026, 3, 4)))
    assert meeting.status is MeetingStatus.CLOSED
    assert meeting.agenda == tuple(packet)
    assert [n.late for n in meeting.notices] == [False]
    assert meeting.notices[0].days_before == 7
    assert meeting.held_on == ON and meeting.chair == "Đồng chí Bí thư"
    assert [a.status for a in meeting.attendance] == [
        Attendance.PRESENT,
        Attendance.LATE,
        Attendance.ABSENT,
        Attendance.PRESENT,
        Attendance.ABSENT,
    ]
    assert meeting.attendance[1].minutes_late == 20
    assert meeting.attendance[2].excused is True and meeting.attendance[4].excused is False
    assert meeting.minutes is not None
    assert meeting.minutes.petitions_raised == tuple(raised)
    assert [(v.petition, str(v.verdict)) for v in meeting.minutes.verdicts] == [
        (packet[0], "satisfied")
    ]
    assert types(meeting) == [
        "Scheduled",
        "NoticeSent",
        "AgendaIssued",
        "Held",
        "MinutesRecorded",
        "Closed",
    ]


@pytest.mark.parametrize(
    ("sent_on", "late", "days_before"),
    [(date(2026, 2, 26), False, 5), (date(2026, 2, 27), True, 4), (ON, True, 0)],
)
def test_a_notice_fewer_than_the_configured_days_before_is_late(
    sent_on: date, late: bool, days_before: int
) -> None:
    meeting = briefing()
    meeting.send_notice(recipients=["Bí thư chi bộ"], required_days=5, stamp=at(sent_on))
    assert (meeting.notices[-1].late, meeting.notices[-1].days_before) == (late, days_before)
    assert meeting.notices[-1].required_days == 5


def test_a_notice_after_the_meeting_s_date_is_refused() -> None:
    meeting = briefing()
    with pytest.raises(InvalidCommand, match="before the meeting"):
        meeting.send_notice(recipients=["x"], required_days=5, stamp=at(date(2026, 3, 4)))
    assert types(meeting) == ["Scheduled"]


def test_a_moved_meeting_s_notice_counts_from_its_new_date() -> None:
    meeting = briefing()
    meeting.move(scheduled_on=date(2026, 3, 10), reason="trùng lịch", stamp=at(date(2026, 2, 27)))
    meeting.send_notice(recipients=["x"], required_days=5, stamp=at(date(2026, 3, 2)))
    assert meeting.scheduled_on == date(2026, 3, 10) and meeting.moves == 1
    assert (meeting.notices[0].days_before, meeting.notices[0].late) == (8, False)
    with pytest.raises(InvalidCommand, match="already on"):
        meeting.move(scheduled_on=date(2026, 3, 10), reason="x", stamp=at(date(2026, 3, 2)))


def test_the_agenda_is_frozen_once_issued() -> None:
    meeting = briefing()
    meeting.issue_agenda(petitions=[uuid4()], stamp=at(date(2026, 2, 25)))
    with pytest.raises(MeetingOutOfOrder, match="frozen"):
        meeting.issue_agenda(petitions=[uuid4()], stamp=at(date(2026, 2, 26)))
    assert types(meeting) == ["Scheduled", "AgendaIssued"]


def test_minutes_before_the_meeting_is_held_are_refused() -> None:
    meeting = briefing()
    with pytest.raises(MeetingOutOfOrder, match="scheduled") as refused:
        meeting.record_minutes(text="Biên bản", stamp=at(ON))
    assert refused.value.code == "meeting_out_of_order"
    assert refused.value.details["status"] == "scheduled"
    assert types(meeting) == ["Scheduled"]


@pytest.mark.parametrize(
    ("prepare", "act"),
    [
        (lambda m: m.cancel(reason="bão", stamp=at(ON)), lambda m: held(m)),
        (
            lambda m: m.cancel(reason="bão", stamp=at(ON)),
            lambda m: m.send_notice(recipients=["x"], required_days=1, stamp=at(ON)),
        ),
        (lambda m: held(m), lambda m: held(m)),
        (lambda m: held(m), lambda m: m.move(scheduled_on=ON, reason="x", stamp=at(ON))),
        (lambda m: held(m), lambda m: m.cancel(reason="x", stamp=at(ON))),
        (
            lambda m: held(m),
            lambda m: m.issue_agenda(petitions=[], stamp=at(ON)),
        ),
        (lambda m: None, lambda m: m.close(stamp=at(ON))),
        (
            lambda m: (held(m), m.close(stamp=at(ON))),
            lambda m: m.record_minutes(text="x", stamp=at(ON)),
        ),
    ],
)
def test_commands_out_of_order_are_refused_and_record_nothing(prepare: Any, act: Any) -> None:
    meeting = briefing()
    prepare(meeting)
    before = types(meeting)
    with pytest.raises(MeetingOutOfOrder):
        act(meeting)
    assert types(meeting) == []  # nothing new since the prepared events were collected
    assert before


def test_a_meeting_may_be_closed_held_without_minutes() -> None:
    """A meeting held with no minutes is closed still; the completeness report shows it."""
    meeting = held(briefing())
    meeting.close(stamp=at(ON))
    assert meeting.status is MeetingStatus.CLOSED and meeting.minutes is None


def test_a_cancelled_meeting_keeps_its_reason() -> None:
    meeting = briefing()
    meeting.cancel(reason="Bão số 3", stamp=at(date(2026, 3, 1)))
    assert (meeting.status, meeting.cancel_reason) == (MeetingStatus.CANCELLED, "Bão số 3")


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"role": "secretary", "status": "present"}, "names the cell"),
        ({"role": "committee_member", "status": "present"}, "names the person"),
        ({"role": "chairman", "person": "x", "status": "present"}, "role must be"),
        ({"role": "secretary", "cell": "c-1", "status": "away"}, "status must be"),
        ({"role": "secretary", "cell": "c-1", "status": "late"}, "how many minutes"),
        ({"role": "secretary", "cell": "c-1", "status": "late", "minutes_late": 0}, "1 to"),
        (
            {"role": "secretary", "cell": "c-1", "status": "present", "minutes_late": 5},
            "only a late",
        ),
        ({"role": "secretary", "cell": "c-1", "status": "absent", "excused": True}, "reason"),
        (
            {"role": "secretary", "cell": "c-1", "status": "present", "reason": "x"},
            "only an absence",
        ),
    ],
)
def test_attendance_entries_are_checked(entry: dict[str, Any], message: str) -> None:
    meeting = briefing()
    with pytest.raises(InvalidCommand, match=message):
        meeting.hold(chair="Chủ trì", attendance=[entry], stamp=at(ON))
    assert types(meeting) == ["Scheduled"]


def test_a_person_is_entered_once() -> None:
    meeting = briefing()
    twice = [SECRETARIES[0], {**SECRETARIES[0], "status": "absent"}]
    with pytest.raises(InvalidCommand, match="entered twice: secretary:c-1"):
        meeting.hold(chair="Chủ trì", attendance=twice, stamp=at(ON))
    with pytest.raises(InvalidCommand, match="who was expected"):
        meeting.hold(chair="Chủ trì", attendance=[], stamp=at(ON))


def test_a_cell_meeting_is_attended_by_a_committee_member() -> None:
    meeting = cell_meeting()
    absent = {"role": "committee_member", "person": "Lò Văn Thắng", "status": "absent"}
    with pytest.raises(InvalidCommand, match="attended by a member"):
        meeting.hold(chair="Bí thư chi bộ", attendance=[absent], stamp=at(ON))
    with pytest.raises(InvalidCommand, match="whether Lò Văn Thắng came"):
        meeting.hold(chair="Bí thư chi bộ", attendance=[SECRETARIES[0]], stamp=at(ON))
    other_cell = [{**absent, "status": "late", "minutes_late": 5}, SECRETARIES[1]]
    with pytest.raises(InvalidCommand, match="its secretary"):
        meeting.hold(chair="Bí thư chi bộ", attendance=other_cell, stamp=at(ON))
    came = [{**absent, "status": "late", "minutes_late": 5}, SECRETARIES[0]]
    meeting.hold(chair="Bí thư chi bộ", attendance=came, stamp=at(ON))
    assert meeting.members_attending == ("Lò Văn Thắng",)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"kind": "party"}, "kind"),
        ({"kind": "cell_meeting", "zone": None}, "cell"),
        ({"kind": "cell_meeting", "cell": "c-1", "zone": None}, "members"),
        ({"cell": "c-1"}, "cell"),
        ({"kind": "cell_meeting", "cell": "c-1", "zone": None, "members": ["a", "a"]}, "members"),
    ],
)
def test_what_a_meeting_is_of_is_checked(overrides: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidCommand) as refused:
        briefing(**overrides)
    assert refused.value.field == field


def test_only_clerks_and_the_committee_record_meetings() -> None:
    """But that a department (or the clerk for it) says its information came."""
    for command, rule in MEETING_LIFECYCLE.items():
        extra = {Role.DEPARTMENT} if command is MeetingCommand.RECEIVE_INFORMATION else set()
        assert rule.roles == {Role.CLERK, Role.COMMITTEE} | extra, command
    assert set(MEETING_LIFECYCLE) == set(MeetingCommand)
    meeting = briefing()
    with pytest.raises(NotPermitted):
        meeting.cancel(reason="x", stamp=at(ON, AUDITOR))
    meeting.cancel(reason="x", stamp=at(ON, COMMITTEE))


def test_a_command_dated_before_the_meeting_s_last_date_is_refused() -> None:
    meeting = held(briefing())
    with pytest.raises(InvalidCommand, match="precedes"):
        meeting.record_minutes(text="x", stamp=at(date(2026, 3, 2)))


def test_minutes_name_each_petition_once_and_known_verdicts() -> None:
    meeting = held(briefing())
    pid = uuid4()
    with pytest.raises(InvalidCommand, match="named twice"):
        meeting.record_minutes(text="x", petitions_raised=[pid, pid], stamp=at(ON))
    with pytest.raises(InvalidCommand, match="a verdict is not one"):
        meeting.record_minutes(text="x", verdicts=[(pid, "fine")], stamp=at(ON))
    with pytest.raises(InvalidCommand, match="by its id"):
        meeting.record_minutes(text="x", answers_read=["nope"], stamp=at(ON))  # type: ignore[list-item]


def test_the_events_are_the_aggregate_s_leaves() -> None:
    assert len(MEETING_EVENTS) == 10 and Meeting.Event not in MEETING_EVENTS
    assert Meeting.Created not in MEETING_EVENTS


class Store(Application[Any]):
    def register_transcodings(self, transcoder: Any) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())
        transcoder.register(ActorAsDict())


def test_a_meeting_is_stored_and_read_back_as_it_was() -> None:
    store = Store(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    meeting = briefing()
    pid = uuid4()
    meeting.send_notice(recipients=["a", "b"], required_days=5, stamp=at(date(2026, 2, 27)))
    meeting.issue_agenda(petitions=[pid], stamp=at(date(2026, 2, 27)))
    held(meeting)
    meeting.record_minutes(text="x", verdicts=[(pid, "unsatisfied")], stamp=at(ON))
    store.save(meeting)
    store.repository.cache = None
    read: Meeting = store.repository.get(meeting.id)
    assert read.agenda == (pid,)
    assert read.attendance == meeting.attendance
    assert read.notices == meeting.notices and read.notices[0].late is True
    assert read.minutes == meeting.minutes
    assert Attendee.of(read.attendance[1].stored()) == read.attendance[1]
    assert read.attendance[1].role is AttendeeRole.SECRETARY


def test_a_petition_raised_at_a_cell_meeting_names_the_member() -> None:
    fields: dict[str, Any] = dict(
        organisation="huyen",
        kind="reflection",
        category="services",
        summary="Đường ống nước bị vỡ",
        text="Đường ống nước sạch thôn 3 bị vỡ.",
        cell="c-1",
        commune="xa-a",
        zone="khu-1",
        raised_by="Nguyễn Văn Hùng",
        meeting="sinh hoạt chi bộ tháng 3",
        stamp=at(ON),
    )
    mid = uuid4()
    petition = Petition.record(
        channel="cell_meeting", meeting_id=mid, member="Lò Văn Thắng", **fields
    )
    assert (petition.channel, petition.meeting_id, petition.member) == (
        "cell_meeting",
        mid,
        "Lò Văn Thắng",
    )
    with pytest.raises(InvalidCommand, match="attending member"):
        Petition.record(channel="cell_meeting", **fields)
    with pytest.raises(InvalidCommand, match="attending member"):
        Petition.record(channel="meeting", member="Lò Văn Thắng", **fields)
    with pytest.raises(InvalidCommand, match="names the meeting"):
        Petition.record(channel="cell_meeting", member="x", **{**fields, "meeting": None})


def test_older_raisings_and_verdicts_are_upcast_to_name_no_meeting() -> None:
    raised: dict[str, Any] = {"kind": "reflection"}
    Petition.Raised.upcast_v2_v3(raised)
    assert (raised["meeting_id"], raised["member"]) == (None, None)
    verified: dict[str, Any] = {"verdict": "satisfied"}
    Petition.Verified.upcast_v2_v3(verified)
    assert verified["meeting_id"] is None
    assert Petition.Raised.class_version == 3 and Petition.Verified.class_version == 3

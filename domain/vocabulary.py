"""Every closed vocabulary of the petition tracker, in one place.

The aggregate checks commands against these; the HTTP schemas, the read models' rows and
SQL, the web pages and the workers take their values from here (``values(Status)`` for a
``Literal``), so a value is spelt once. The values are stored in events and read models:
renaming a member is free, changing a value is a migration.
"""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    RAISED = "raised"
    ASSIGNED = "assigned"
    ANSWERED = "answered"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"
    MERGED = "merged"


OPEN_STATUSES = frozenset({Status.RAISED, Status.ASSIGNED, Status.ANSWERED})
# The statuses a petition ends in: it takes no command there but reopen (domain.lifecycle).
ENDED_STATUSES = frozenset(Status) - OPEN_STATUSES


class Kind(StrEnum):
    REFLECTION = "reflection"  # phản ánh: "this is happening"
    PROPOSAL = "proposal"  # kiến nghị, đề xuất: "please do this"


class Channel(StrEnum):
    MEETING = "meeting"
    WRITTEN_REPORT = "written_report"
    # raised at a cell's meeting attended by an upper committee member, whom it names
    CELL_MEETING = "cell_meeting"


class Verdict(StrEnum):
    SATISFIED = "satisfied"
    PARTIALLY_SATISFIED = "partially_satisfied"
    UNSATISFIED = "unsatisfied"


class QualityFlag(StrEnum):
    GENERIC = "generic"  # chung chung
    UNPERSUASIVE = "unpersuasive"  # thiếu tính thuyết phục
    OFF_TOPIC = "off_topic"  # chưa đúng vấn đề


class AnswerMode(StrEnum):
    WRITTEN = "written"
    ON_THE_SPOT = "on_the_spot"


class ReminderKind(StrEnum):
    """What a reminder to the department in charge says about its due date."""

    DUE_SOON = "due_soon"  # the answer is due within the next few days (or today)
    OVERDUE = "overdue"  # the due date has passed without an answer


class EscalationRule(StrEnum):
    """Why the policy worker escalated a petition; a committee's escalation names none."""

    OVERDUE = "overdue"  # the answer is overdue by more than the configured days
    UNSATISFIED_TWICE = "unsatisfied_twice"  # two verdicts other than satisfied


class PauseReason(StrEnum):
    """Why the committee stopped a petition's clock (``ClockPaused``): the department
    waits on something that is not its to hurry, and the days waited are not counted late."""

    SITE_VISIT = "site_visit"  # a visit to the place the petition is about
    OTHER_AGENCY = "other_agency"  # the answer waits on another agency's
    CELL_INFORMATION = "cell_information"  # the raising cell is asked for more


class DueBasisKind(StrEnum):
    """How a due date in force was set (``domain.due_basis``): by a calendar's meeting,
    a period without one, by hand, by an extension, or moved by a paused clock."""

    BRIEFING = "briefing"  # the zone's secretaries' briefing
    CELL_MEETING = "cell_meeting"  # the cell's own meeting
    PERIOD = "period"  # no calendar: a number of days after the assignment
    GIVEN = "given"  # the committee gave the date by hand
    EXTENDED = "extended"  # the committee extended it, with a reason
    RESUMED = "resumed"  # the clock was paused, and the date moved by the days paused


class Obligation(StrEnum):
    """What a petition waits for by a due date: the department's answer, the cells'
    verification of that answer at a briefing, or what the accepted answer committed the
    department to (the overdue board's ``kind``)."""

    ANSWER = "answer"
    VERIFICATION = "verification"
    # what a written answer committed its department to, owed from the satisfied verdict
    COMMITMENT = "commitment"
    CONTRIBUTION = "contribution"  # a coordinating department's part, to the lead department


class GiveBack(StrEnum):
    """How the department holding a petition gave it back to the committee, which assigns
    it again: declined as not its competence, or a referral the province returned."""

    DECLINED = "declined"
    REFERRAL_RETURNED = "referral_returned"


class Clearance(StrEnum):
    """Who clears an organisation's written answers before they count as answered (the
    organisation's setting): nobody (an answer counts when given), the committee's office
    (its clerks) or the committee itself."""

    NONE = "none"
    OFFICE = "office"
    COMMITTEE = "committee"


class ReturnReason(StrEnum):
    """Why the clearer returns a written answer to the department, to answer again."""

    GENERIC = "generic"  # chung chung
    OFF_TOPIC = "off_topic"  # chưa đúng vấn đề
    MISSING_DOCUMENT = "missing_document"  # thiếu văn bản, tài liệu


class ClearanceDecision(StrEnum):
    """What the clearer decides of a held written answer."""

    ACCEPT = "accept"
    RETURN = "return"


class Role(StrEnum):
    CLERK = "clerk"
    COMMITTEE = "committee"
    DEPARTMENT = "department"
    AUDITOR = "auditor"
    ADMIN = "admin"
    SYSTEM = "system"  # the policy worker, which escalates on its own
    SECRETARY = "secretary"  # a cell's secretary (bí thư chi bộ): reads its cell's petitions


class Command(StrEnum):
    RAISE = "raise"
    ASSIGN = "assign"
    DECLINE = "decline"
    EXTEND_DEADLINE = "extend_deadline"
    ANSWER_IN_WRITING = "answer_in_writing"
    ANSWER_ON_THE_SPOT = "answer_on_the_spot"
    VERIFY = "verify"
    ESCALATE = "escalate"
    WITHDRAW = "withdraw"
    MERGE = "merge"
    CLOSE = "close"
    REMIND = "remind"
    REFER = "refer"  # to a department of the province, beyond the organisation's authority
    RETURN_REFERRAL = "return_referral"  # the province gives it back: within its authority
    NOTE = "note"  # an internal note of the committee or the department in charge
    REOPEN = "reopen"  # the committee undoes its mistaken close, withdrawal or merge
    COSIGN = "cosign"  # another cell of the organisation raised the same matter: it co-signs
    CLEAR = "clear_answer"  # the office or committee accepts or returns a held written answer
    # the department that answered with a commitment follows it: its progress, then done
    RECORD_PROGRESS = "record_commitment_progress"
    FULFIL_COMMITMENT = "fulfil_commitment"
    PAUSE_CLOCK = "pause_clock"  # the committee stops the answer's clock, saying why
    RESUME_CLOCK = "resume_clock"  # and starts it again: the due date moves by the days paused
    LINK_REPEAT = "link_repeat"  # the petition raises again the matter of an earlier one
    CONTRIBUTE = "contribute"  # a coordinating department sends its part to the lead
    WAIVE_CONTRIBUTIONS = "waive_contributions"  # the committee lets the lead answer without


class Level(StrEnum):
    """Where an organisation stands: the province, a district (until 1 July 2025) or a
    commune (ward, special zone), whose party committee holds the briefings."""

    PROVINCE = "province"
    DISTRICT = "district"
    COMMUNE = "commune"


class MeetingKind(StrEnum):
    """A meeting's kind: the secretaries' briefing of an organisation (or of one of its
    zones), or one cell's monthly meeting attended by members of the upper committee."""

    SECRETARY_BRIEFING = "briefing"
    CELL_MEETING = "cell_meeting"


class MeetingStatus(StrEnum):
    SCHEDULED = "scheduled"
    HELD = "held"
    MINUTED = "minuted"  # its minutes recorded
    CLOSED = "closed"
    CANCELLED = "cancelled"


class AttendeeRole(StrEnum):
    """Who is expected at a meeting: a cell's secretary (named by the cell), a member of
    the committee, or a department's leader."""

    SECRETARY = "secretary"
    COMMITTEE_MEMBER = "committee_member"
    DEPARTMENT_LEADER = "department_leader"


class Attendance(StrEnum):
    PRESENT = "present"
    LATE = "late"  # with the minutes late
    ABSENT = "absent"  # with a reason, excused or not


class MeetingCommand(StrEnum):
    """The commands on a meeting (their values are the use cases' names too)."""

    SCHEDULE = "schedule_meeting"
    MOVE = "move_meeting"
    CANCEL = "cancel_meeting"
    SEND_NOTICE = "send_notice"
    ISSUE_AGENDA = "issue_agenda"
    HOLD = "hold_meeting"
    RECORD_MINUTES = "record_minutes"
    CLOSE = "close_meeting"
    REQUEST_INFORMATION = "request_information"  # of the packet's departments, with the agenda
    RECEIVE_INFORMATION = "receive_information"


def values(vocabulary: type[StrEnum]) -> tuple[str, ...]:
    """The vocabulary's values as plain strings, in declaration order (``Literal[...]``)."""
    return tuple(member.value for member in vocabulary)

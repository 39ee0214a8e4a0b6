"""What a refusal says, kept apart from the language it is said in.

A refusal of the domain or of a use case carries a ``Message``: a key into the catalogue
below and the values it names (a field by its code, a status, a command, a date). Its own
text, as a ``str``, is the English template filled in with those values as they are, for
the log; the adapters say it to the user in Vietnamese or English (``api.messages``), each
field, status and command by its label. Every key here has its Vietnamese template there,
with the same values named (a unit test holds both catalogues to each other).

The values named by convention: ``field`` (a field's code, always there for an invalid
command), ``status`` (a petition's status), ``command`` (a ``Command``), ``role``,
``meeting_status`` and ``meeting_command`` (a meeting's); any value that is a date is written
as a date of the language.
"""

from __future__ import annotations

from typing import Any

from domain.calendar_messages import CALENDAR_ENGLISH
from domain.cell_messages import CELL_ENGLISH
from domain.clearance_messages import CLEARANCE_ENGLISH
from domain.clock_messages import CLOCK_ENGLISH
from domain.commitment_messages import COMMITMENT_ENGLISH
from domain.coordination_messages import COORDINATION_ENGLISH
from domain.duty_messages import DUTY_ENGLISH
from domain.meeting_report_messages import MEETING_REPORTS_ENGLISH
from domain.repeat_messages import REPEAT_ENGLISH

# key -> English template, its values named as in ``str.format``.
ENGLISH: dict[str, str] = {
    # the text of a command
    "text.empty": "{field}: must not be empty",
    "text.too_long": "{field}: must be at most {max_length} characters",
    "value.not_listed": "{field}: not one of the accepted values",
    "meeting.unnamed": "{field}: a petition raised at a meeting names the meeting",
    "cosign.other_organisation": "{field}: the party cell is of another organisation",
    "cosign.own_cell": "{field}: the party cell raised the petition itself",
    "cosign.already": "{field}: the party cell already co-signed the petition",
    "department.already_assigned": "{field}: the petition is already assigned to this department",
    "referral.already": "{field}: the petition is already referred to the province",
    "referral.to_province": "{field}: a referral goes to the province",
    "referral.none": "{field}: the petition is not referred to the province",
    "deadline.not_later": "{field}: an extension must move the deadline past {due_on}",
    "due.before_assignment": "{field}: the due date must come after the assignment",
    "letter.after_answer": "{field}: the letter cannot be dated after the answer",
    "letter.before_petition": "{field}: the letter cannot predate the petition",
    "attachment.digest": "{field}: each attachment needs its SHA-256 hex digest",
    "attachment.name_size": "{field}: each attachment needs its file name and size",
    "flags.unknown": "{field}: a quality flag is not one of the accepted values",
    "flags.twice": "{field}: a flag is given twice",
    "verdict.satisfied_reopen": "{field}: a satisfied petition is not reopened",
    "reopen.only": "{field}: a department and due date are given only to reopen",
    "verify_by.not_after": "{field}: verification comes at a briefing after the answer",
    "escalation.not_overdue": "{field}: the petition's answer is not overdue",
    "escalation.not_unsatisfied": "{field}: the answers were not found unsatisfying twice",
    "reminder.passed": "{field}: the due date has passed: the reminder is overdue",
    "reminder.not_overdue": "{field}: the answer is not overdue yet",
    "merge.self": "{field}: a petition cannot be merged into itself",
    "merge.target_ended": "{field}: the target petition is {status}",
    "date.before_last": "{field}: {day} precedes the petition's last recorded date {last}",
    "date.future": "{field}: {day} is in the future",
    "calendar.before_earliest": "{field}: {day} is before {earliest}, the earliest business date",
    "calendar.after_latest": (
        "{field}: {day} is after {latest}, the last date the service reckons with"
    ),
    "calendar.year": "{field}: {year} is not a year from {first} to {last}",
    "calendar.past": "{field}: {days} days after {day} is past the calendar",
    "calendar.no_briefing_after": "{field}: no briefing after {day} is on the calendar",
    "calendar.no_briefing_before": "{field}: no briefing before {day} is on the calendar",
    "briefing_rule.shape": "{field}: give a day of the month, or a weekday and nth",
    "briefing_rule.day": "{field}: the day of the month is 1 to 31",
    "briefing_rule.weekday": "{field}: weekday 0-6 (Monday 0), nth 1-4 or -1",
    "briefing_rule.unread": "{field}: not a briefing rule: {text}",
    "actor.no_id": "{field}: an actor needs an id",
    "actor.department": (
        "{field}: a department actor names exactly one department; other roles none"
    ),
    "organisation.ceased": (
        "{field}: {name} ceased to exist on {day}: it takes no petition raised on or after it"
    ),
    "organisation.not_yet": (
        "{field}: {name} exists from {day}: it takes no petition raised before that date"
    ),
    "organisation.unknown": "{field}: unknown organisation {code}",
    "organisation.unnamed": "{field}: name the organisation it is raised in",
    "organisation.province": (
        "{field}: petitions are raised in a commune or a district, not the province"
    ),
    "reference.unknown": "{field}: unknown code {code}",
    "reference.retired": "{field}: {code} was retired on {day}",
    "petition.unknown": "{field}: no petition {petition_id}",
    "petition.named_twice": "{field}: petition {petition_id} named twice",
    "idempotency.key_length": "{field}: must be 1 to {max_length} characters",
    # a meeting's and what a petition names of one
    "member.cell_meeting_only": (
        "{field}: a petition of a cell meeting, and only one, names the attending member"
    ),
    "meeting.written_report": "{field}: a written report is raised at no meeting",
    "meeting.member_twice": "{field}: a member is named twice",
    "meeting.cell_unnamed": "{field}: a cell meeting names its cell",
    "meeting.cell_not_zone": "{field}: a cell meeting is of a cell, not a zone",
    "meeting.cell_members": "{field}: a cell meeting is attended by one or more committee members",
    "meeting.briefing_of": "{field}: a briefing is of the organisation or a zone of it",
    "meeting.already_on": "{field}: the meeting is already on {day}",
    "meeting.date_before_last": "{field}: {day} precedes the meeting's last recorded date {last}",
    "meeting.organisation_unnamed": "{field}: name the organisation of the meeting",
    "meeting.unknown": "{field}: no meeting {meeting_id}",
    "meeting.not_held": "{field}: the meeting is {meeting_status}, not held",
    "meeting.held_on": "{field}: the meeting was held on {day}",
    "meeting.not_the_cells": "{field}: a petition of a cell meeting names its cell's meeting",
    "meeting.member_absent": "{field}: {member} did not attend the cell meeting",
    "meeting.not_a_briefing": "{field}: the meeting named is a cell meeting, not a briefing",
    "meeting.other_zone": "{field}: the briefing is of zone {zone}, not {own_zone}",
    "notice.no_recipients": "{field}: a notice is sent to someone",
    "notice.after_meeting": "{field}: a notice is sent before the meeting",
    "list.too_many": "{field}: at most {max_items} entries",
    "number.negative": "{field}: must not be negative",
    "attendance.none": "{field}: say who was expected and who came",
    "attendance.twice": "{field}: entered twice: {entries}",
    "attendance.member_unsaid": "{field}: say whether {members} came",
    "attendance.no_member": "{field}: a cell meeting is attended by a member of the committee",
    "attendance.other_secretary": "{field}: a cell meeting of {cell} has its secretary",
    "attendance.cell_zone": "{field}: cell {cell} is not of zone {zone}",
    "attendance.role": "{field}: an entry's role must be one of the accepted roles",
    "attendance.status": "{field}: an entry's status must be one of the accepted statuses",
    "attendance.secretary_cell": "{field}: a secretary's entry names the cell",
    "attendance.person": (
        "{field}: a committee member's or department leader's entry names the person"
    ),
    "late.minutes_missing": "{field}: a late arrival says how many minutes late",
    "late.minutes_range": "{field}: must be 1 to {max_minutes} minutes",
    "late.only": "{field}: only a late arrival has minutes late",
    "absence.reason": "{field}: an excused absence gives its reason",
    "absence.only": "{field}: only an absence has a reason and is excused or not",
    "verdicts.not_listed": "{field}: a verdict is not one of the accepted values",
    "petitions.not_an_id": "{field}: a petition is named by its id",
    "petitions.twice": "{field}: a petition is named twice",
    # the petition's state and who acts
    "transition.illegal": "cannot {command} a petition that is {status}",
    "transition.wrong_department": "cannot {command} this petition: it is not assigned to you",
    "transition.escalated_overdue": "the petition was already escalated as overdue (due {day})",
    "transition.escalated_unsatisfied": (
        "the petition was already escalated for two unsatisfied verdicts"
    ),
    "transition.reminded": "the reminder for the due date {day} was already issued",
    "transition.reopen_satisfied": (
        "cannot reopen a petition closed by the cells' satisfied verdict"
    ),
    "role.not_permitted": "the role {role} may not {command}",
    "petition.not_found": "no petition {petition_id}",
    "petition.not_found_number": "no petition numbered {number}",
    "petition.not_then": "petition {petition_id} did not exist on {day}",
    "version.stale": "the petition is at version {current}, not {expected}",
    "update.concurrent": "the petition was changed by someone else meanwhile; reload and retry",
    "update.not_recorded": "the petition could not be recorded; retry",
    "idempotency.reused": "this Idempotency-Key was already used for a different petition",
    # the use cases' refusals
    "forbidden.use_case": "the role {role} may not do this",
    "forbidden.answer_in_writing": "a written answer comes from the assigned department",
    "forbidden.answer_on_the_spot": "the clerk records answers given on the spot",
    "forbidden.committee_only": "only the committee chooses another department or due date",
    "forbidden.committee_field": "committee only",
    "forbidden.province_referred_only": (
        "the province acts only on petitions referred to it, to assign, extend,"
        " answer or return them"
    ),
    "forbidden.referred": "the petition is referred to the province: its departments handle it",
    "forbidden.notes": "internal notes are the committee's and the department in charge's",
    "forbidden.comparison": (
        "the comparison of organisations is the province committee's and auditor's"
    ),
    "choose.none": "no petition chosen",
    "field.required": "required",
    "lookup.unread": "{given} is neither a petition's id nor its number",
    "lookup.unread_field": "neither an id nor a number",
    "lookup.several": (
        "{count} petitions are numbered {number}, one in each of several organisations:"
        " list them with GET /v1/petitions?q=<number>"
    ),
    "lookup.several_field": "a number of several petitions",
    "position.beyond": "min_position {position} is beyond the event log's end ({head})",
    "position.beyond_field": "beyond the log",
    "views.behind": "the {view} view has not reached position {position} yet",
    "cursor.unread": "the cursor cannot be read: ask the first page again",
    "period.reversed": "from must not be after to",
    "period.both": "give a year, or a period from and to, not both",
    "zone.unknown": "no zone {zone} in organisation {organisation}",
    "zone.unknown_here": "no zone {zone}",
    # the meetings' state, who acts and the use cases' refusals
    "meeting.out_of_order": "cannot {meeting_command} a meeting that is {meeting_status}",
    "agenda.frozen": "the meeting's agenda was already issued: it is frozen",
    "meeting.role_not_permitted": "the role {role} may not {meeting_command} a meeting",
    "meeting.not_found": "no meeting {meeting_id}",
    "meeting.version_stale": "the meeting is at version {current}, not {expected}",
    "meeting.concurrent": "the meeting was changed by someone else meanwhile; reload and retry",
    "forbidden.province_meetings": (
        "the province reads the organisations' meetings; each records its own"
    ),
    "forbidden.other_organisation_meeting": (
        "a meeting is recorded by its own organisation's clerks and committee"
    ),
    # the adapters' own refusals
    "form.faults": "{faults}",
    "field.missing": "required",
    "field.not_here": "not allowed here",
    "auth.no_bearer": "send Authorization: Bearer <token>",
    "auth.unknown_token": "the token is unknown or revoked",
    "auth.access_log": "the read could not be recorded, so it is refused; retry shortly",
    "auth.metrics_scope": (
        "the metrics count every organisation's petitions: a token of the province"
        " or the METRICS_TOKEN reads them"
    ),
    "auth.metrics_bearer": "send Authorization: Bearer <token>: an API token or the METRICS_TOKEN",
    "auth.role_route": "the role {role} may not use this route",
    "answer.media_type": (
        "send the answer as application/json, or with its signed letters as multipart/form-data"
    ),
    "answer.letters_in_json": (
        "an answer does not name letters: send it as multipart/form-data with each"
        " signed letter as a `letter` file"
    ),
    "answer.upload_letter": "upload the letter",
    "answer.written_needs": "a written answer needs {fields}",
    "answer.written_takes_not": "a written answer does not take {fields}",
    "answer.spot_takes_not": "an answer on the spot does not take {fields}",
    "answer.spot_letters": "an answer on the spot does not take letters",
    "answer.spot_who": "an answer on the spot names who answered",
    "letter.too_large": "{name}: larger than {limit} bytes",
    "letter.not_a_letter": "{name}: not a PDF, PNG or JPEG file",
    "if_match.version": 'If-Match must be a petition version such as "3"',
    "if_match.not_version": "not a version",
    "as_of.no_zone": "as_of needs a time zone, e.g. 2026-03-03T08:00:00+07:00",
    "as_of.no_zone_field": "no time zone",
    "export.too_many": "more than {limit} petitions: narrow the filters",
    "export.too_many_overdue": "{total} overdue rows, more than {limit}: narrow the filters",
    "export.too_many_field": "too many rows",
    "database.retry": "retry in a few seconds",
    "page.no_zones": "the reference data has no zones yet",
    "page.spot_needs_both": "an answer on the spot needs who answered and what was said",
    "page.role": "the role {role} may not use this page",
    "page.csrf": "the form's security token is missing or stale; reload the page",
    "page.as_of": "{field}: not a date and time",
    "page.no_filters": "this page keeps no saved filters",
    "page.no_such_filter": "no saved filter has that name",
    "http.bad_request": "the request could not be read",
    "http.body_unread": "the body could not be read: send JSON in UTF-8",
    "http.not_found": "nothing is found at this address",
    "http.method_not_allowed": "this address does not take this method",
    "http.payload_too_large": "the body is larger than {limit} bytes",
    "http.unsupported_media_type": "this content type is not taken here",
    "http.unauthorized": "sign in, or send a valid bearer token",
    "http.forbidden": "you may not see this",
    "server.error": "an unexpected error; it is logged under request id {request_id}",
}
ENGLISH |= CALENDAR_ENGLISH
ENGLISH |= MEETING_REPORTS_ENGLISH  # the meetings' information requests and reports
ENGLISH |= DUTY_ENGLISH  # the members' duty's own
ENGLISH |= CLEARANCE_ENGLISH  # the clearance of written answers
ENGLISH |= COMMITMENT_ENGLISH  # an answer's commitment's own
ENGLISH |= CLOCK_ENGLISH  # the paused clock's own
ENGLISH |= CELL_ENGLISH  # a cell's secretary's and the answer register's
ENGLISH |= REPEAT_ENGLISH  # a petition linked as a repeat of an earlier one
ENGLISH |= COORDINATION_ENGLISH  # lead and coordinating departments


class Message(str):
    """A refusal's words: ``key`` into the catalogues, ``params`` the values it names.
    As a string it is the English text with the values as they are."""

    key: str
    params: dict[str, Any]

    def __new__(cls, key: str, params: dict[str, Any] | None = None) -> Message:
        values = dict(params or {})
        text = ENGLISH[key].format_map(Unfilled({k: plain(k, v) for k, v in values.items()}))
        message = super().__new__(cls, text)
        message.key, message.params = key, values
        return message

    # str's own takes no key: a Message is copied and pickled with its key and values
    def __getnewargs__(self) -> tuple[str, dict[str, Any]]:  # type: ignore[override]  # see above
        return self.key, self.params

    def with_params(self, **params: Any) -> Message:
        """The same words naming more values (the field an invalid command names)."""
        return Message(self.key, {**params, **self.params})


class Unfilled(dict[str, str]):
    """The values of a template, leaving one not yet named as it is (``{field}`` until the
    invalid command names its field)."""

    def __missing__(self, name: str) -> str:
        return "{" + name + "}"


def plain(name: str, value: Any) -> str:
    """A value as the English text writes it: a command by its verb, a date as ISO, a
    member of a vocabulary as its value."""
    if name == "command":
        from domain.lifecycle import LIFECYCLE  # which itself refuses with messages
        from domain.vocabulary import Command

        if str(value) in set(Command):
            return LIFECYCLE[Command(str(value))].verb
    if name == "meeting_command":
        from domain.meeting import MEETING_LIFECYCLE  # which itself refuses with messages
        from domain.vocabulary import MeetingCommand

        if str(value) in set(MeetingCommand):
            return MEETING_LIFECYCLE[MeetingCommand(str(value))].verb
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(getattr(value, "value", value))


def say(key: str, **params: Any) -> Message:
    """The message ``key`` of the catalogue, naming ``params``."""
    return Message(key, params)

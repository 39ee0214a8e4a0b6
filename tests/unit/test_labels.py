"""Every member of the domain's vocabularies the pages and the refusals show has a label,
in Vietnamese and in English, in tables keyed by the vocabularies themselves."""

from __future__ import annotations

from enum import StrEnum
from typing import cast

import pytest

from api.web import i18n, labels
from domain.organisations import WORDS, Level
from domain.petition import RECORDED_EVENTS
from domain.vocabulary import (
    Attendance,
    AttendeeRole,
    Channel,
    Command,
    GiveBack,
    Kind,
    MeetingCommand,
    MeetingKind,
    MeetingStatus,
    Obligation,
    QualityFlag,
    Role,
    Status,
    Verdict,
)

TABLES: list[tuple[str, dict[StrEnum, str], type[StrEnum]]] = [
    ("STATUSES", labels.STATUSES, Status),  # type: ignore[list-item]
    ("KINDS", labels.KINDS, Kind),  # type: ignore[list-item]
    ("CHANNELS", labels.CHANNELS, Channel),  # type: ignore[list-item]
    ("VERDICTS", labels.VERDICTS, Verdict),  # type: ignore[list-item]
    ("FLAGS", labels.FLAGS, QualityFlag),  # type: ignore[list-item]
    ("OVERDUE_KINDS", labels.OVERDUE_KINDS, Obligation),  # type: ignore[list-item]
    ("ROLES", labels.ROLES, Role),  # type: ignore[list-item]
    ("GIVE_BACKS", labels.GIVE_BACKS, GiveBack),  # type: ignore[list-item]
    ("MEETING_KINDS", labels.MEETING_KINDS, MeetingKind),  # type: ignore[list-item]
    ("MEETING_STATUSES", labels.MEETING_STATUSES, MeetingStatus),  # type: ignore[list-item]
    ("ATTENDANCE", labels.ATTENDANCE, Attendance),  # type: ignore[list-item]
    ("ATTENDEE_ROLES", labels.ATTENDEE_ROLES, AttendeeRole),  # type: ignore[list-item]
]


@pytest.mark.parametrize(("name", "table", "vocabulary"), TABLES, ids=[t[0] for t in TABLES])
def test_every_member_has_a_label_in_vietnamese_and_english(
    name: str, table: dict[StrEnum, str], vocabulary: type[StrEnum]
) -> None:
    english = i18n.load("en")
    assert list(table) == list(vocabulary), f"{name} is keyed by {vocabulary.__name__}"
    assert all(type(key) is vocabulary for key in table)
    for member, vietnamese in table.items():
        assert vietnamese.strip(), member
        assert english.gettext(vietnamese) != vietnamese, f"{name}[{member}] has no English"
        # a page looks it up by the plain string
        assert cast(dict[str, str], table)[member.value] == vietnamese


def test_every_recorded_event_has_a_label_in_vietnamese_and_english() -> None:
    english = i18n.load("en")
    assert set(labels.EVENTS) == {event.__name__ for event in RECORDED_EVENTS}
    for name, vietnamese in labels.EVENTS.items():
        assert english.gettext(vietnamese) != vietnamese, name


def test_every_command_is_said_as_a_verb_in_vietnamese() -> None:
    assert list(labels.COMMAND_VERBS) == list(Command)
    assert all(text.strip() for text in labels.COMMAND_VERBS.values())


def test_every_command_on_a_meeting_is_said_as_a_verb_in_vietnamese() -> None:
    assert list(labels.MEETING_VERBS) == list(MeetingCommand)
    assert all(text.strip() for text in labels.MEETING_VERBS.values())


def test_the_words_of_every_level_are_in_the_catalogue() -> None:
    english = i18n.load("en")
    words = {text for level in WORDS.values() for text in vars(level).values()}
    assert set(labels.LEVEL_WORDS) == words
    assert all(english.gettext(text) != text for text in words)


def test_a_role_is_named_in_the_words_of_its_organisation_level() -> None:
    assert labels.role_label(Role.CLERK, WORDS[Level.COMMUNE]) == "Văn phòng Đảng ủy"
    assert labels.role_label(Role.COMMITTEE, WORDS[Level.DISTRICT]) == "Ban Thường vụ Huyện ủy"
    assert labels.role_label(Role.DEPARTMENT, WORDS[Level.PROVINCE]) == "sở, ban, ngành tỉnh"
    assert labels.role_label(Role.AUDITOR, WORDS[Level.COMMUNE]) == labels.ROLES[Role.AUDITOR]

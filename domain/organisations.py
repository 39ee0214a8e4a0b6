"""Organisations: the province and the districts and communes below it.

Each organisation below the province has its own committee, departments, cells, zones and
briefing calendar; the province has its own departments, to which an organisation refers
what is beyond its authority. A dissolved district keeps its history readable and takes
no petition raised on or after its ``active_until``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from domain.errors import InvalidCommand
from domain.messages import say
from domain.vocabulary import Level

__all__ = [
    "DEFAULT_FOUNDING",
    "DEFAULT_PROVINCE_CODE",
    "DEFAULT_PROVINCE_NAME",
    "WORDS",
    "Level",
    "LevelWords",
    "Organisation",
]

# What a deployment made before organisations existed calls its district and the province
# above it, unless its settings say otherwise.
DEFAULT_FOUNDING = "huyen"
DEFAULT_PROVINCE_CODE = "tinh"
DEFAULT_PROVINCE_NAME = "Tỉnh"


@dataclass(frozen=True)
class LevelWords:
    """How pages and printed documents name an organisation's bodies at its level."""

    committee: str  # the party committee: Đảng ủy xã, Huyện ủy, Tỉnh ủy
    standing_committee: str  # Ban Thường vụ …
    office: str  # the committee's office, where the clerk sits
    departments: str  # the bodies that answer: ban ngành xã, phòng ban huyện …
    unit: str  # the organisation itself: xã, huyện, tỉnh


WORDS: dict[Level, LevelWords] = {
    Level.PROVINCE: LevelWords(
        "Tỉnh ủy", "Ban Thường vụ Tỉnh ủy", "Văn phòng Tỉnh ủy", "sở, ban, ngành tỉnh", "tỉnh"
    ),
    Level.DISTRICT: LevelWords(
        "Huyện ủy", "Ban Thường vụ Huyện ủy", "Văn phòng Huyện ủy", "phòng, ban huyện", "huyện"
    ),
    Level.COMMUNE: LevelWords(
        "Đảng ủy xã", "Ban Thường vụ Đảng ủy xã", "Văn phòng Đảng ủy", "ban, ngành xã", "xã"
    ),
}


@dataclass(frozen=True)
class Organisation:
    code: str
    name: str
    level: Level
    parent: str | None  # the province; None for the province itself
    active_from: date
    active_until: date | None = None  # the first day it no longer exists

    @property
    def words(self) -> LevelWords:
        return WORDS[self.level]

    def active_on(self, day: date) -> bool:
        return self.active_from <= day and (self.active_until is None or day < self.active_until)

    def check_takes_petition(self, raised_on: date) -> None:
        """A petition raised in the organisation's lifetime only: ``InvalidCommand``
        naming the date it ended (or began) otherwise."""
        if self.active_until is not None and raised_on >= self.active_until:
            raise InvalidCommand(
                "raised_on",
                say("organisation.ceased", name=self.name, day=self.active_until),
            )
        if raised_on < self.active_from:
            raise InvalidCommand(
                "raised_on",
                say("organisation.not_yet", name=self.name, day=self.active_from),
            )

"""Small builders for domain unit tests."""

from __future__ import annotations

from datetime import date
from typing import Any

from domain.actors import Actor, Role, Stamp
from domain.petition import Petition

CLERK = Actor("clerk-1", Role.CLERK)
COMMITTEE = Actor("committee-1", Role.COMMITTEE)
ROADS = Actor("roads-head", Role.DEPARTMENT, "roads")
WATER = Actor("water-head", Role.DEPARTMENT, "water")
RAISED_ON = date(2026, 3, 3)


def raised(**overrides: object) -> Petition:
    fields: dict[str, object] = dict(
        kind="reflection",
        category="services",
        summary="Đường ống nước bị vỡ",
        text="Đường ống nước sạch thôn 3 bị vỡ, 40 hộ thiếu nước.",
        cell="c-1",
        commune="xa-a",
        zone="khu-1",
        raised_by="Nguyễn Văn Hùng",
        channel="meeting",
        meeting="giao-ban-khu-1-2026-03-03",
        stamp=Stamp(CLERK, RAISED_ON),
    )
    fields.update(overrides)
    return Petition.record(**fields)  # type: ignore[arg-type]


def assigned(department: str = "roads") -> Petition:
    p = raised()
    p.assign(
        department=department,
        due_on=date(2026, 4, 3),
        note=None,
        stamp=Stamp(COMMITTEE, date(2026, 3, 5)),
    )
    return p


def answered(attachments: list[dict[str, Any]] | None = None) -> Petition:
    p = assigned()
    p.answer_in_writing(
        text="Đã sửa xong.",
        document_number="12/CV-KTHT",
        document_date=date(2026, 3, 20),
        signer="Trưởng phòng",
        verify_by=date(2026, 4, 3),
        attachments=attachments,
        stamp=Stamp(ROADS, date(2026, 3, 21)),
    )
    return p

"""The plain data of a petition's answers and verifications, which the API and the pages
are given, keeps the keys and values it had when the aggregate held dicts."""

from __future__ import annotations

from datetime import date

from domain.actors import Stamp
from tests.unit.builders import CLERK, answer_at_meeting, assigned, raised, write_answer
from usecases.records import describe

D = date
LETTER = {"name": "cv.pdf", "sha256": "a" * 64, "size": 1024}


def test_a_written_answer_and_its_verdict_as_plain_data() -> None:
    p = assigned()
    write_answer(p, attachments=[LETTER])
    p.verify(
        verdict="partially_satisfied",
        flags=["generic", "off_topic"],
        meeting="giao-ban-4",
        comment="chung chung",
        reopen_with=("roads", D(2026, 5, 4)),
        stamp=Stamp(CLERK, D(2026, 4, 3)),
    )
    state = describe(p)
    assert state["answers"] == [
        {
            "mode": "written",
            "department": "roads",
            "text": "Đã sửa xong.",
            "document_number": "12/CV-KTHT",
            "document_date": D(2026, 3, 20),
            "signer": "Trưởng phòng",
            "answered_on": D(2026, 3, 21),
            "meeting": None,
            "due_on": D(2026, 4, 3),
            "verify_by": D(2026, 4, 3),
            "attachments": [LETTER | {"content_type": None}],
        }
    ]
    assert state["verifications"] == [
        {
            "verdict": "partially_satisfied",
            "flags": ["generic", "off_topic"],
            "meeting": "giao-ban-4",
            "comment": "chung chung",
            "verified_on": D(2026, 4, 3),
            "answer_number": 1,
            "meeting_id": None,
        }
    ]


def test_an_answer_on_the_spot_as_plain_data() -> None:
    p = raised()
    answer_at_meeting(p, meeting="giao-ban", verify_by=D(2026, 4, 3), on=D(2026, 3, 3))
    assert describe(p)["answers"] == [
        {
            "mode": "on_the_spot",
            "department": None,
            "text": "Sẽ sửa trong tuần",
            "document_number": None,
            "document_date": None,
            "signer": "Phó Chủ tịch UBND huyện",
            "answered_on": D(2026, 3, 3),
            "meeting": "giao-ban",
            "due_on": None,
            "verify_by": D(2026, 4, 3),
            "attachments": [],
        }
    ]

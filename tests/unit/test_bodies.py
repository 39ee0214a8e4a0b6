"""The API's request bodies read into the use cases' commands: each field of the command
the body's field of the same name, dated and versioned as the route says, none left out."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest

from api.answers import answer_command
from api.bodies import command_from
from api.petitions import assign_command, verify_command
from api.schemas import AnswerCreate, AssignmentCreate, ReasonCreate, VerificationCreate
from domain.actors import Role
from stores.tokens import Principal
from usecases.commands import AnswerInWriting, Assign, Merge, Verify


def test_each_field_of_the_command_is_the_body_s_of_the_same_name() -> None:
    petition_id = uuid4()
    body = VerificationCreate(
        verdict="unsatisfied",
        flags=["generic"],
        meeting="Giao ban",
        comment="chưa đạt",
        reassign_to="tai-nguyen",
        due_on=date(2026, 7, 3),
        verified_on=date(2026, 6, 2),
    )
    assert verify_command(petition_id, body, 4) == Verify(
        petition_id=petition_id,
        verdict="unsatisfied",
        flags=("generic",),
        meeting="Giao ban",
        comment="chưa đạt",
        reassign_to="tai-nguyen",
        due_on=date(2026, 7, 3),
        on=date(2026, 6, 2),
        expected_version=4,
    )
    assigned = AssignmentCreate(department="tai-nguyen", note="gấp", assigned_on=date(2026, 6, 1))
    assert assign_command(petition_id, assigned, None) == Assign(
        petition_id=petition_id, department="tai-nguyen", note="gấp", on=date(2026, 6, 1)
    )


def test_a_written_answer_carries_its_letters() -> None:
    petition_id = uuid4()
    body = AnswerCreate(
        mode="written",
        text="Đã sửa",
        document_number="12/UBND",
        document_date=date(2026, 6, 1),
        signer="Chủ tịch",
    )
    principal = Principal("roads-head", "Trưởng phòng", Role.DEPARTMENT, "roads", "roads-head")
    command = answer_command(petition_id, body, principal, 2)
    assert command == AnswerInWriting(
        petition_id=petition_id,
        text="Đã sửa",
        document_number="12/UBND",
        document_date=date(2026, 6, 1),
        signer="Chủ tịch",
        expected_version=2,
    )


def test_a_field_the_body_lacks_is_refused_at_once_not_left_at_its_default() -> None:
    with pytest.raises(TypeError, match="ReasonCreate has no into for Merge"):
        command_from(Merge, uuid4(), ReasonCreate(reason="trùng"), None, on=None)

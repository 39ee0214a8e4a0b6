"""A cell's secretary's access, without a database: it reads only the petitions its own
cell raised (any other is not found), its list holds its cell's alone, it issues no
command, and it reads its own organisation's answer register only; and the register's
signed file, checked offline, is found altered by any change of one byte."""

from __future__ import annotations

import json
from datetime import date
from uuid import uuid4

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from audit.keys import key_id
from audit.register import RegisterVerdict, signed_file, verify_file
from domain.actors import Actor, Role
from domain.errors import InvalidCommand, PetitionNotFound
from projections.petition_list import PetitionFilter
from stores.tokens import Principal
from tests.unit.test_business_dates import CLERK, application, draft
from usecases import access, record_access
from usecases.access import ROLES, UseCase
from usecases.commands import Close, Context
from usecases.errors import Refused
from usecases.register import parse_month

SECRETARY = Actor("secretary-1", Role.SECRETARY, organisation="huyen", cell="c")
OTHER_CELL = Actor("secretary-2", Role.SECRETARY, organisation="huyen", cell="d")
PROVINCE = application().province


def test_a_secretary_is_bound_to_exactly_one_cell() -> None:
    with pytest.raises(InvalidCommand):
        Actor("s", Role.SECRETARY, organisation="huyen")
    with pytest.raises(InvalidCommand):
        Actor("c", Role.CLERK, cell="c")
    # a credential's one unit column: a department's department, a secretary's cell
    bound = Principal("tok", "Bí thư", Role.SECRETARY, "c", "bi-thu", "huyen").actor
    assert (bound.cell, bound.department) == ("c", None)
    department = Actor.bound("tok", Role.DEPARTMENT, "roads")
    assert (department.department, department.cell) == ("roads", None)


def test_a_secretary_sees_only_its_own_cells_petitions() -> None:
    pid = uuid4()
    assert access.sees(SECRETARY, "huyen", [], PROVINCE, "c")
    assert not access.sees(OTHER_CELL, "huyen", [], PROVINCE, "c")
    assert not access.sees(SECRETARY, "huyen", [], PROVINCE)  # no cell given: none
    assert not access.sees(SECRETARY, "tinh", [], PROVINCE, "c")  # another organisation's
    with pytest.raises(PetitionNotFound) as missing:
        access.check_sees(OTHER_CELL, pid, "huyen", [], PROVINCE, "c")
    assert missing.value.message == f"no petition {pid}"  # as for one that does not exist
    # the others are not bound by a cell
    assert access.sees(Actor("m", Role.COMMITTEE), "huyen", [], PROVINCE, "d")


def test_a_loaded_petition_of_another_cell_is_not_found_to_a_secretary() -> None:
    app = application()
    petition = app.raise_petition(draft(date(2026, 5, 4)), CLERK)
    loaded = app.load(petition.id)
    access.visible(SECRETARY, loaded, app.province)
    with pytest.raises(PetitionNotFound):
        access.visible(OTHER_CELL, loaded, app.province)


def test_a_secretary_does_not_count_every_organisation() -> None:
    """What counts every organisation at once (the metrics) is not a secretary's, though
    a clerk of the only organisation reads it."""
    assert access.sees_every_organisation(Actor("v", Role.CLERK, organisation="huyen"), PROVINCE)
    assert not access.sees_every_organisation(SECRETARY, PROVINCE)


def test_a_secretarys_list_holds_its_cell_alone() -> None:
    assert access.scoped_filter(SECRETARY, PetitionFilter()).cell == "c"
    assert access.scoped_filter(SECRETARY, PetitionFilter(cell="c", status="raised")) == (
        PetitionFilter(cell="c", status="raised")
    )
    with pytest.raises(InvalidCommand) as unknown:
        access.scoped_filter(SECRETARY, PetitionFilter(cell="d"))
    assert unknown.value.details["field"] == "cell"
    committee = Actor("m", Role.COMMITTEE)
    assert access.scoped_filter(committee, PetitionFilter(cell="d")).cell == "d"


def test_a_secretary_reads_and_does_nothing_else() -> None:
    allowed = {u for u in UseCase if Role.SECRETARY in ROLES[u]}
    assert allowed == {
        UseCase.READ_PETITION,
        UseCase.LIST_PETITIONS,
        UseCase.ANSWER_REGISTER,
        UseCase.CELL_PETITIONS,
    }
    for use_case in access.COMMAND_USE_CASES.values():
        with pytest.raises(Refused) as refused:
            access.check(SECRETARY, use_case)
        assert refused.value.code == "forbidden"


def test_a_secretarys_command_changes_nothing() -> None:
    app = application()
    petition = app.raise_petition(draft(date(2026, 5, 4)), CLERK)
    before = app.recorder.max_notification_id()
    with pytest.raises(Refused):
        app.execute(Close(petition_id=petition.id, reason="Đóng"), Context(SECRETARY))
    assert app.recorder.max_notification_id() == before


def test_a_secretary_reads_its_own_organisations_register_only() -> None:
    assert record_access.register_organisation(SECRETARY, PROVINCE, None) == "huyen"
    assert record_access.register_organisation(SECRETARY, PROVINCE, "huyen") == "huyen"
    with pytest.raises(InvalidCommand):
        record_access.register_organisation(SECRETARY, PROVINCE, "tinh")
    province_auditor = Actor("a", Role.AUDITOR, organisation="tinh")
    assert record_access.register_organisation(province_auditor, PROVINCE, "huyen") == "huyen"
    with pytest.raises(Refused):
        record_access.register_organisation(Actor("r", Role.DEPARTMENT, "roads"), PROVINCE, None)


def test_a_month_is_written_yyyy_mm() -> None:
    assert str(parse_month("2026-02", date(2026, 6, 1))) == "2026-02"
    assert parse_month("2026-02", date(2026, 6, 1)).end == date(2026, 2, 28)
    assert str(parse_month(None, date(2026, 6, 10))) == "2026-06"
    for wrong in ("2026-13", "2026-00", "26-01", "2026/01", "2026-1"):
        with pytest.raises(InvalidCommand):
            parse_month(wrong, date(2026, 6, 1))


REGISTER = {
    "organisation": "huyen",
    "month": "2026-06",
    "rows": [{"number": "KN-2026-0001", "signer": "Trưởng phòng Lê Văn An", "sha256": "ab" * 32}],
}


def test_the_signed_register_verifies_and_any_byte_changed_does_not() -> None:
    key = Ed25519PrivateKey.generate()
    data = signed_file(REGISTER, key)
    assert verify_file(data).verdict is RegisterVerdict.INTACT
    checked = verify_file(data, key.public_key())
    assert (checked.verdict, checked.against, checked.rows) == (RegisterVerdict.INTACT, "given", 1)
    assert checked.key_id == key_id(key.public_key())
    for at in range(len(data)):  # a byte changed anywhere: never intact
        changed = bytearray(data)
        changed[at] = (changed[at] + 1) % 256
        assert verify_file(bytes(changed)).verdict is RegisterVerdict.ALTERED, at


def test_a_register_signed_by_another_key_or_re_signed_is_altered() -> None:
    key, other = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    data = signed_file(REGISTER, key)
    assert verify_file(data, other.public_key()).verdict is RegisterVerdict.ALTERED
    # a row changed and signed again by another key: intact on its own, not against ours
    forged = signed_file({**REGISTER, "rows": []}, other)
    assert verify_file(forged).verdict is RegisterVerdict.INTACT
    assert verify_file(forged, key.public_key()).verdict is RegisterVerdict.ALTERED
    # the same document written otherwise (spaces) is not the signed form
    spaced = json.dumps(json.loads(data), ensure_ascii=False).encode() + b"\n"
    assert verify_file(spaced).verdict is RegisterVerdict.ALTERED

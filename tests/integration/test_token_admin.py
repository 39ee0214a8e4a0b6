"""The admin's API tokens across a province: an organisation's admin lists, issues and
revokes its own organisation's tokens only (another's does not exist to it), the
province's admin every organisation's; a request at fault is refused whole, each field
with its reason, and changes nothing; each change is in the history, which an
organisation's auditor reads for its own organisation."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from domain.actors import Actor, Role
from service.bootstrap import Service, bootstrap
from service.database import Database
from service.settings import Settings
from usecases.errors import Refused
from usecases.tokens import TokenAdmin, TokenRequest

SEED = Path(__file__).resolve().parents[1] / "fixtures" / "two_communes.json"
PROVINCE, A, B = "tinh-thu", "xa-an", "xa-binh"
A_ADMIN = Actor("a-admin", Role.ADMIN, organisation=A, name="Phạm Thu", position="Chuyên viên")
P_ADMIN = Actor("p-admin", Role.ADMIN, organisation=PROVINCE, name="Đỗ Nam")


@pytest.fixture
def province(database: Database, schema: str, settings: Settings) -> Iterator[Service]:
    service = bootstrap(settings, database=database, schema=schema, seed=SEED)
    yield service
    service.close()


def test_an_organisations_admin_keeps_its_own_tokens_and_the_province_every_ones(
    province: Service,
) -> None:
    admin = TokenAdmin(province.tokens, province.app.province, province.accounts)
    b_clerk = province.tokens.create(role=Role.CLERK, name="máy xã Bình", organisation=B)[0]
    a_id, a_secret = admin.issue(
        A_ADMIN,
        TokenRequest("Phần mềm một cửa", "department", A, department="an-kinh-te"),
    )
    assert [t["token_id"] for t in admin.tokens(A_ADMIN)] == [a_id]
    assert {t["token_id"] for t in admin.tokens(P_ADMIN)} == {a_id, b_clerk}
    holder = province.tokens.authenticate(a_secret)
    assert holder is not None and (holder.organisation, holder.department) == (A, "an-kinh-te")

    # another organisation's token does not exist to an organisation's admin
    with pytest.raises(Refused) as refused:
        admin.revoke(A_ADMIN, b_clerk)
    assert (refused.value.code, refused.value.fields) == ("not_found", {"token": "unknown_token"})
    with pytest.raises(Refused) as refused:
        admin.issue(A_ADMIN, TokenRequest("máy", "clerk", B))
    assert refused.value.fields == {"organisation": "unknown_organisation"}
    # the province's admin issues for any organisation and revokes any
    p_id = admin.issue(P_ADMIN, TokenRequest("Cổng tỉnh", "committee", PROVINCE))[0]
    admin.revoke(P_ADMIN, b_clerk)
    assert province.tokens.authenticate(a_secret) is not None

    history = admin.history(P_ADMIN)
    assert [(h["action"], h["token_id"], h["by_name"], h["by_position"]) for h in history] == [
        ("revoked", b_clerk, "Đỗ Nam", None),
        ("created", p_id, "Đỗ Nam", None),
        ("created", a_id, "Phạm Thu", "Chuyên viên"),
        ("created", b_clerk, None, None),  # from the command line
    ]
    a_auditor = Actor("a-auditor", Role.AUDITOR, organisation=A)
    assert [h["token_id"] for h in admin.history(a_auditor)] == [a_id]
    for refused_actor in (a_auditor, Actor("a-clerk", Role.CLERK, organisation=A)):
        with pytest.raises(Refused) as refused:
            admin.tokens(refused_actor)
        assert refused.value.code == "forbidden"


def test_a_request_at_fault_names_every_field_and_issues_nothing(province: Service) -> None:
    admin = TokenAdmin(province.tokens, province.app.province, province.accounts)
    before = (province.tokens.listing(), province.tokens.changes())
    wrong = {
        TokenRequest("", "system", A): {"name": "required", "role": "not_a_role"},
        TokenRequest("máy", "department", A, "binh-kinh-te"): {
            "department": "unknown_department"  # of another organisation
        },
        TokenRequest("máy", "auditor", A, "an-kinh-te"): {"department": "no_department"},
        TokenRequest("m" * 201, "department", "xa-khong-co"): {
            "name": "too_long",
            "organisation": "unknown_organisation",
            "department": "department_needed",
        },
    }
    for request, fields in wrong.items():
        with pytest.raises(Refused) as refused:
            admin.issue(A_ADMIN, request)
        assert (refused.value.code, refused.value.fields) == ("validation_error", fields)
    assert (province.tokens.listing(), province.tokens.changes()) == before

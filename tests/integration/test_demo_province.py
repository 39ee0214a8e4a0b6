"""The demo province recorded through the application: the dissolved district's last year
and nothing of it after 2025-07-01, each commune's year with its own actors, referrals
answered in writing by the province's departments and verified at the commune's next
briefing, returned referrals assigned within the commune (figures recomputed from the
plan, read back from the events); the demo's tokens, one per role and organisation."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from uuid import UUID

import psycopg
import pytest
from psycopg import sql

from domain.actors import Actor, Role
from domain.errors import InvalidCommand
from domain.petition import Petition
from domain.reference import Province
from domain.vocabulary import Verdict
from service.bootstrap import Service, bootstrap
from service.database import Database
from service.demo import run_plan
from service.demo_province import PROVINCE_SEED, ProvincePlan, make_province_plan
from service.demo_tokens import demo_tokens
from service.settings import Settings
from tests.conftest import SCHEMAS_USED, settings_in
from tests.integration.helpers import draft
from usecases.commands import Context

END = date(2026, 10, 31)  # the last business date of the demo (today is later)
DISSOLVED = date(2025, 7, 1)
DISTRICT = "huyen-yen-hoa"


@pytest.fixture(scope="module")
def recorded(
    database: Database, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Service, ProvincePlan, dict[int, UUID]]]:
    """The province demo recorded once into a schema of its own."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    SCHEMAS_USED.append(schema)
    settings: Settings = settings_in(tmp_path_factory.mktemp("province"))
    service = bootstrap(settings, database=database, schema=schema, seed=PROVINCE_SEED)
    plan = make_province_plan(service.app.province, END)
    ids = run_plan(service.app, plan)
    try:
        yield service, plan, ids
    finally:
        service.close()
        with psycopg.connect(database.conninfo(), autocommit=True) as conn:
            conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))


def events(service: Service, pid: UUID) -> list[Petition.Event]:
    return [e for e in service.app.events.get(pid) if isinstance(e, Petition.Event)]


def test_the_plan_is_the_same_for_the_same_seed_and_end(
    recorded: tuple[Service, ProvincePlan, dict[int, UUID]],
) -> None:
    service, plan, _ = recorded
    again = make_province_plan(service.app.province, END)
    assert [(s.on, s.petition, s.order, s.command, s.organisation) for s in again.steps] == [
        (s.on, s.petition, s.order, s.command, s.organisation) for s in plan.steps
    ]
    assert again.referrals == plan.referrals
    other = make_province_plan(service.app.province, END, seed=7)
    assert [s.on for s in other.steps] != [s.on for s in plan.steps]


def test_each_petition_is_raised_in_its_organisation_in_its_lifetime(
    recorded: tuple[Service, ProvincePlan, dict[int, UUID]],
) -> None:
    service, plan, ids = recorded
    province: Province = service.app.province
    raised = {}
    for index, pid in ids.items():
        first = events(service, pid)[0]
        assert isinstance(first, Petition.Raised)
        raised[index] = (first.organisation, first.business_date, first.actor)
    assert {i: o for i, (o, _, _) in raised.items()} == plan.organisation_of
    per_organisation = Counter(o for o, _, _ in raised.values())
    assert set(per_organisation) == {o.code for o in province.below()}
    assert 150 <= per_organisation[DISTRICT] <= 230  # the district's last year
    for organisation, day, actor in raised.values():
        assert actor.organisation == organisation and actor.role is Role.CLERK
        if organisation == DISTRICT:
            assert day < DISSOLVED
        else:
            assert DISSOLVED <= day <= END
    # Nothing of the district happens after it ceased to exist; what was open on its last
    # day, its committee closed, handed over.
    for index, pid in ids.items():
        if plan.organisation_of[index] != DISTRICT:
            continue
        history = events(service, pid)
        assert all(e.business_date < DISSOLVED for e in history)
        assert service.app.state(pid)["status"] in {"closed", "withdrawn"}
    clerk = Context(Actor("van-phong-huyen-yen-hoa", Role.CLERK, organisation=DISTRICT))
    with pytest.raises(InvalidCommand, match="ceased to exist on 2025-07-01"):
        service.app.raise_petition(draft(cell="yen-lac-thon3", raised_on=DISSOLVED), clerk)


def test_referrals_are_answered_by_the_province_and_verified_at_the_next_briefing(
    recorded: tuple[Service, ProvincePlan, dict[int, UUID]],
) -> None:
    service, plan, ids = recorded
    province: Province = service.app.province
    own = province.reference(province.code).departments
    communes = {o.code for o in province.below() if o.code != DISTRICT}
    assert {r.organisation for r in plan.referrals} == communes  # each commune refers some
    assert 1 <= sum(r.returned for r in plan.referrals) <= 2
    answered = 0
    for referral in plan.referrals:
        pid = ids[referral.petition]
        history = events(service, pid)
        commune = referral.organisation
        reference = province.reference(commune)
        kinds = [type(e).__name__ for e in history]
        raised = history[0]
        assert isinstance(raised, Petition.Raised)
        refer = next(e for e in history if isinstance(e, Petition.ReferredUpward))
        assert (refer.organisation, refer.department) == (province.code, referral.department)
        assert referral.department in own
        assert (refer.actor.role, refer.actor.organisation) == (Role.COMMITTEE, commune)
        assert refer.due_on == reference.default_due_date(raised.zone, refer.business_date)
        answers = [e for e in history if isinstance(e, Petition.AnsweredInWriting)]
        if referral.returned:
            assert kinds[:4] == ["Raised", "ReferredUpward", "ReferralReturned", "Assigned"]
            back = history[2]
            assert (back.actor.organisation, back.actor.department) == (
                province.code,
                referral.department,
            )
            again = history[3]
            assert isinstance(again, Petition.Assigned)
            assert again.department in reference.departments
            assert all(a.department == again.department for a in answers)
            assert all(a.actor.organisation == commune for a in answers)
        else:
            assert kinds[:2] == ["Raised", "ReferredUpward"]
            assert "ReferralReturned" not in kinds and "Assigned" not in kinds
            for answer in answers:
                assert answer.department == referral.department
                assert (answer.actor.role, answer.actor.organisation) == (
                    Role.DEPARTMENT,
                    province.code,
                )
            answered += bool(answers)
        verdicts = [e for e in history if isinstance(e, Petition.Verified)]
        for answer, verdict in zip(answers, verdicts, strict=False):
            assert (verdict.actor.role, verdict.actor.organisation) == (Role.CLERK, commune)
            assert verdict.verdict == Verdict.SATISFIED
            assert verdict.business_date == reference.next_briefing(
                raised.zone, answer.business_date
            )
        if verdicts:
            assert service.app.state(pid)["status"] == "closed"
            assert service.app.state(pid)["referred_to"] == (
                None if referral.returned else province.code
            )
    assert answered >= len(plan.referrals) // 2
    # a referral of the last days is still in the province department's inbox
    awaiting = [
        ids[r.petition]
        for r in plan.referrals
        if not r.returned and service.app.state(ids[r.petition])["status"] == "assigned"
    ]
    assert awaiting and all(
        service.app.state(pid)["referred_to"] == province.code for pid in awaiting
    )
    stored = Counter(type(e).__name__ for pid in ids.values() for e in events(service, pid))
    assert stored["ReferredUpward"] == len(plan.referrals)
    assert stored["ReferralReturned"] == sum(r.returned for r in plan.referrals)


def test_each_commune_acts_with_its_own_actors_and_departments(
    recorded: tuple[Service, ProvincePlan, dict[int, UUID]],
) -> None:
    service, plan, ids = recorded
    province: Province = service.app.province
    for index, pid in ids.items():
        organisation = plan.organisation_of[index]
        if organisation == DISTRICT:
            continue
        departments = province.reference(organisation).departments
        referred_to = None
        for event in events(service, pid):
            acting = event.actor
            if acting.organisation == province.code:  # only the department holding it
                assert acting.department == referred_to, (index, type(event).__name__)
            else:
                assert acting.organisation == organisation, (index, type(event).__name__)
                assert acting.department is None or acting.department in departments
            if isinstance(event, (Petition.Assigned, Petition.Reassigned)):
                assert event.department in departments
            if isinstance(event, Petition.ReferredUpward):
                referred_to = event.department
            elif isinstance(event, Petition.ReferralReturned):
                referred_to = None


def test_the_demo_tokens_are_one_per_role_and_organisation_and_kept(
    recorded: tuple[Service, ProvincePlan, dict[int, UUID]], tmp_path: Path
) -> None:
    service, _, _ = recorded
    province: Province = service.app.province
    first = demo_tokens(service.tokens, tmp_path, province)
    roles: dict[str | None, list[str]] = {}
    for token in first:
        roles.setdefault(token.organisation, []).append(token.role)
    assert roles == {
        province.code: ["committee", "department", "auditor", "admin"],
        **{o.code: ["clerk", "committee", "department", "auditor"] for o in province.below()},
    }
    assert not any(t.reused for t in first)
    for token in first:
        holder = service.tokens.authenticate(token.secret)
        assert holder is not None
        assert (holder.organisation, holder.role.value, holder.department) == (
            token.organisation,
            token.role,
            token.department,
        )
        if token.department is not None:
            assert token.department in province.reference(token.organisation or "").departments
    again = demo_tokens(service.tokens, tmp_path, province)
    assert [(t.secret, t.reused) for t in again] == [(t.secret, True) for t in first]
    # One revoked: only it is issued again, of the same organisation.
    clerk = next(t for t in first if t.role == "clerk" and t.organisation == "xa-xuan-son")
    holder = service.tokens.authenticate(clerk.secret)
    assert holder is not None and service.tokens.revoke(holder.token_id)
    third = demo_tokens(service.tokens, tmp_path, province)
    assert [t.reused for t in third] == [t is not clerk for t in first]
    fresh = next(t for t in third if not t.reused)
    renewed = service.tokens.authenticate(fresh.secret)
    assert renewed is not None and renewed.organisation == "xa-xuan-son"

"""The read models on real PostgreSQL with petitions of two organisations and referrals to
the province: each query's ``organisations`` keeps the organisations apart; a referral is
an assignment to the province's department, late against it on the board and in its
scorecard; a returned referral gives the petition back, raised and unassigned.

The petitions are the aggregate's own (``domain.petition``), their events fed to the
views page by page as the runners hand them over."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Tracking

from domain.actors import Actor, Role, Stamp
from domain.petition import Petition
from projections.base import APPLICATION_NAME
from projections.petition_list import PetitionFilter
from projections.registry import ReadModels
from service.bootstrap import Service

CLERK = Actor("clerk", Role.CLERK)
COMMITTEE = Actor("committee", Role.COMMITTEE)
PROVINCE = "tinh"
PROVINCE_ROADS = "so-xay-dung"  # a department of the province
YEAR = 2026
A, B = "xa-a", "xa-b"
# each organisation's zone, commune, cell and department (every code unique)
PLACES = {
    A: ("khu-a", "xa-a", "xa-a-thon-1", "xa-a-kinh-te"),
    B: ("khu-b", "xa-b", "xa-b-thon-1", "xa-b-kinh-te"),
}


def on(month: int, day: int) -> date:
    return date(YEAR, month, day)


def department(code: str) -> Actor:
    return Actor(f"{code}-head", Role.DEPARTMENT, code)


def raised(organisation: str, raised_on: date, category: str = "services") -> Petition:
    zone, commune, cell, _ = PLACES[organisation]
    return Petition.record(
        organisation=organisation,
        kind="reflection",
        category=category,
        summary=f"Ý kiến của {organisation}",
        text="Đường liên thôn xuống cấp.",
        cell=cell,
        commune=commune,
        zone=zone,
        raised_by="Nguyễn Văn An",
        channel="meeting",
        meeting=f"giao-ban-{zone}",
        stamp=Stamp(CLERK, raised_on),
    )


def assign(p: Petition, day: date, due_on: date, to: str | None = None) -> None:
    to = to or PLACES[p.organisation][3]
    p.assign(department=to, due_on=due_on, note=None, stamp=Stamp(COMMITTEE, day))


def refer(p: Petition, day: date, due_on: date) -> None:
    p.refer_upward(
        organisation=PROVINCE,
        department=PROVINCE_ROADS,
        due_on=due_on,
        note="vượt thẩm quyền xã",
        stamp=Stamp(COMMITTEE, day),
    )


def answer(p: Petition, day: date, verify_by: date) -> None:
    assert p.department is not None
    p.answer_in_writing(
        text="Đã có kế hoạch sửa.",
        document_number="7/CV",
        document_date=day,
        signer="Giám đốc",
        verify_by=verify_by,
        stamp=Stamp(department(p.department), day),
    )


def feed(views: ReadModels, petitions: list[Petition]) -> None:
    """The petitions' new events, as one page after what the views hold, to every view."""
    events = [e for p in petitions for e in p.collect_events()]
    start = max(v.position() for v in views.values())
    page = [(e, Tracking(APPLICATION_NAME, start + n)) for n, e in enumerate(events, 1)]
    for view in views.values():
        view.process(page)


def ids(rows: list[dict[str, Any]]) -> set[UUID]:
    return {r["petition_id"] for r in rows}


ONLY_A, ONLY_B, BOTH, NONE = frozenset({A}), frozenset({B}), frozenset({A, B}), frozenset()


def test_every_query_keeps_the_organisations_apart(service: Service) -> None:
    views = service.views
    # each organisation: one left raised, one assigned and overdue, one answered late;
    # B's categories are not A's
    mine: dict[str, list[Petition]] = {}
    for organisation, category in ((A, "transport"), (B, "security")):
        idle, late, answered = (raised(organisation, on(3, 3), category) for _ in range(3))
        assign(late, on(3, 5), on(4, 3))
        assign(answered, on(3, 5), on(4, 3))
        answer(answered, on(4, 10), verify_by=on(5, 5))
        mine[organisation] = [idle, late, answered]
    last_year = raised(B, date(YEAR - 1, 3, 10), "security")
    feed(views, [*mine[A], *mine[B], last_year])
    of = {o: {p.id for p in ps} for o, ps in mine.items()}
    of[B].add(last_year.id)

    listed = views.petition_list
    for asked, want in ((None, of[A] | of[B]), (ONLY_A, of[A]), (ONLY_B, of[B]), (NONE, set())):
        assert ids(listed.find(PetitionFilter(), limit=200, organisations=asked).items) == want
    assert {r["organisation"] for r in listed.find(PetitionFilter(), limit=200).items} == {A, B}
    assert listed.count_by_status(organisations=ONLY_A) == {
        "raised": 1,
        "assigned": 1,
        "answered": 1,
    }
    assert listed.count_by_status(organisations=ONLY_B)["raised"] == 2  # last year's too
    assert listed.open_by_department(organisations=ONLY_B) == {None: 2, "xa-b-kinh-te": 2}
    assert set(listed.policy_candidates(on(4, 20), organisations=ONLY_A)) == {mine[A][1].id}
    assert listed.get(mine[B][0].id, organisations=ONLY_A) is None
    assert listed.get(mine[B][0].id, organisations=BOTH) is not None
    assert listed.get(mine[B][0].id) is not None

    board = views.overdue
    for asked, want in ((None, {A, B}), (ONLY_A, {A}), (ONLY_B, {B}), (NONE, set())):
        for sort in ("days", "department", "zone", "kind", "due_on"):
            page = board.board(on(4, 20), sort=sort, organisations=asked)
            assert {r["organisation"] for r in page.items} == want, (asked, sort)
            assert page.total == len(page.items) == len(want)  # the late one of each
            assert {t["department"] for t in page.totals} == {PLACES[o][3] for o in want}

    quality = views.quality
    cards = {
        asked: {
            c["department"]: c
            for c in quality.scorecards(on(1, 1), on(12, 31), organisations=asked)
        }
        for asked in (None, ONLY_A, ONLY_B, NONE)
    }
    assert set(cards[None]) == {"xa-a-kinh-te", "xa-b-kinh-te"}
    assert set(cards[ONLY_A]) == {"xa-a-kinh-te"} and set(cards[ONLY_B]) == {"xa-b-kinh-te"}
    assert cards[NONE] == {}
    assert cards[ONLY_A]["xa-a-kinh-te"] == cards[None]["xa-a-kinh-te"]
    assert cards[ONLY_A]["xa-a-kinh-te"]["assigned"] == 2

    categories = views.categories
    whole = categories.report(YEAR)
    assert (whole["total"], whole["previous_total"]) == (6, 1)
    a_year = categories.report(YEAR, organisations=ONLY_A)
    counts = {c["category"]: c["count"] for c in a_year["categories"]}
    assert (a_year["total"], a_year["previous_total"], counts["transport"]) == (3, 0, 3)
    assert counts["security"] == 0
    b_period = categories.period_report(on(3, 1), on(3, 31), organisations=ONLY_B)
    assert (b_period["total"], b_period["previous_total"], b_period["change"]) == (3, 1, 2)
    assert categories.period_report(on(3, 1), on(3, 31), organisations=NONE)["total"] == 0

    packets = views.briefing_packet
    packet = packets.packet("khu-a", on(3, 1), on(4, 5), organisations=ONLY_A)
    assert ids(packet["raised_at_previous"]) == of[A]
    assert ids(packet["unanswered"]) == {mine[A][0].id, mine[A][1].id}
    assert (
        packets.packet("khu-a", on(3, 1), on(4, 5), organisations=ONLY_B)["raised_at_previous"]
        == []
    )
    assert packets.packet("khu-a", on(3, 1), on(4, 5)) == packet

    backdating = views.backdating
    # every event was recorded today, long after its business date
    for asked, want in ((None, of[A] | of[B]), (ONLY_A, of[A]), (ONLY_B, of[B]), (NONE, set())):
        assert ids(backdating.backdated(3, organisations=asked)) == want
    assert {r["organisation"] for r in backdating.backdated(3, organisations=ONLY_B)} == {B}
    assert backdating.counts_by_type(organisations=ONLY_A) == {
        "Raised": 3,
        "Assigned": 2,
        "AnsweredInWriting": 1,
    }
    assert backdating.counts_by_type()["Raised"] == 7


def test_a_referral_answered_late_is_late_against_the_province_department(
    service: Service,
) -> None:
    views = service.views
    p = raised(A, on(3, 3))
    assign(p, on(3, 5), on(4, 3))
    refer(p, on(3, 10), on(4, 10))  # the province's department now owes the answer
    feed(views, [p])

    row = views.petition_list.get(p.id)
    assert row is not None
    assert (row["status"], row["department"], row["due_on"], row["referred_to"]) == (
        "assigned",
        PROVINCE_ROADS,
        on(4, 10),
        PROVINCE,
    )
    assert row["organisation"] == A  # still the raising organisation's
    assert row["departments"] == ["xa-a-kinh-te", PROVINCE_ROADS]
    late = views.overdue.board(on(4, 20)).items
    assert [(r["department"], r["kind"], r["days_overdue"], r["organisation"]) for r in late] == [
        (PROVINCE_ROADS, "answer", 10, A)
    ]
    # the commune's department owed nothing past the referral
    assert views.overdue.board(on(4, 5)).items == []
    inbox = views.petition_list.find(PetitionFilter(status="assigned", department=PROVINCE_ROADS))
    assert ids(inbox.items) == {p.id}

    answer(p, on(4, 25), verify_by=on(5, 5))  # fifteen days late
    feed(views, [p])
    assert views.overdue.board(on(4, 20)).total == 1  # as it stood on that day
    now_due = views.overdue.board(on(5, 10)).items
    assert [(r["kind"], r["department"]) for r in now_due] == [("verification", PROVINCE_ROADS)]
    cards = {
        c["department"]: c for c in views.quality.scorecards(on(1, 1), on(12, 31), min_answered=1)
    }
    province = cards[PROVINCE_ROADS]
    assert (province["assigned"], province["answered"]) == (1, 1)
    assert (province["on_time"]["count"], province["on_time"]["total"]) == (0, 1)
    assert province["median_days_to_answer"] == (on(4, 25) - on(3, 10)).days
    commune = cards["xa-a-kinh-te"]
    assert (commune["assigned"], commune["answered"], commune["open_overdue"]) == (1, 0, 0)
    # the province's lateness is counted on the referred petitions of the organisation asked
    assert PROVINCE_ROADS in {
        c["department"]
        for c in views.quality.scorecards(on(1, 1), on(12, 31), organisations=ONLY_A)
    }
    assert views.quality.scorecards(on(1, 1), on(12, 31), organisations=ONLY_B) == []
    # the answer is read out and verified at the raising organisation's next briefing
    packet = views.briefing_packet.packet("khu-a", on(4, 5), on(5, 5), organisations=ONLY_A)
    assert ids(packet["awaiting_verification"]) == {p.id}
    (given,) = packet["awaiting_verification"][0]["answers_given"]
    assert (given["department"], given["organisation"]) == (PROVINCE_ROADS, A)
    assert packet["awaiting_verification"][0]["referred_to"] == PROVINCE
    written = [r for r in views.backdating.backdated(0) if r["type"] == "AnsweredInWriting"]
    assert [(r["department"], r["organisation"]) for r in written] == [(PROVINCE_ROADS, A)]


def test_a_returned_referral_goes_back_to_raised_unassigned(service: Service) -> None:
    views = service.views
    p = raised(B, on(3, 3))
    refer(p, on(3, 5), on(4, 10))
    p.return_referral(
        reason="thuộc thẩm quyền xã", stamp=Stamp(department(PROVINCE_ROADS), on(3, 20))
    )
    feed(views, [p])
    assert (p.status, p.department, p.referred_to) == ("raised", None, None)

    row = views.petition_list.get(p.id)
    assert row is not None
    assert (row["status"], row["department"], row["due_on"], row["referred_to"]) == (
        "raised",
        None,
        None,
        None,
    )
    assert row["departments"] == [PROVINCE_ROADS]  # it still sees what it once held
    for day in (on(3, 25), on(4, 11), on(6, 1)):
        assert views.overdue.board(day).total == 0, day
    assert views.overdue.board(on(3, 19)).total == 0  # not due yet while it held it
    (card,) = views.quality.scorecards(on(1, 1), on(12, 31))
    assert (card["department"], card["assigned"], card["answered"], card["open_overdue"]) == (
        PROVINCE_ROADS,
        1,
        0,
        0,
    )
    packet = views.briefing_packet.packet("khu-b", on(3, 1), on(4, 5))
    (unanswered,) = packet["unanswered"]
    assert (unanswered["status"], unanswered["department"], unanswered["referred_to"]) == (
        "raised",
        None,
        None,
    )
    returned = [r for r in views.backdating.backdated(0) if r["type"] == "ReferralReturned"]
    assert [(r["department"], r["organisation"]) for r in returned] == [(None, B)]
    # the committee assigns it again, to the commune's own department
    assign(p, on(3, 21), on(4, 21))
    feed(views, [p])
    assert [r["department"] for r in views.overdue.board(on(4, 25)).items] == ["xa-b-kinh-te"]
    again = views.petition_list.get(p.id)
    assert again is not None and (again["status"], again["referred_to"]) == ("assigned", None)


def test_a_category_period_is_compared_with_the_same_dates_a_year_earlier(
    service: Service,
) -> None:
    views = service.views
    dates = [
        (date(YEAR - 1, 2, 28), "transport"),  # the day before the period, a year earlier
        (date(YEAR - 1, 3, 1), "transport"),
        (date(YEAR - 1, 4, 15), "security"),
        (date(YEAR - 1, 4, 16), "security"),  # a day after
        (on(3, 1), "transport"),
        (on(3, 2), "transport"),
        (on(4, 15), "security"),
        (on(4, 16), "agriculture"),  # after the period
    ]
    feed(views, [raised(A, day, category) for day, category in dates])
    found = views.categories.period_report(on(3, 1), on(4, 15))
    assert (found["from"], found["to"]) == (on(3, 1), on(4, 15))
    assert (found["previous_from"], found["previous_to"]) == (
        date(YEAR - 1, 3, 1),
        date(YEAR - 1, 4, 15),
    )
    assert (found["total"], found["previous_total"], found["change"]) == (3, 2, 1)
    by = {c["category"]: c for c in found["categories"]}
    assert (by["transport"]["count"], by["transport"]["previous_count"]) == (2, 1)
    assert by["transport"]["share"] == 66.7  # 2 of 3, rounded half up
    assert (by["security"]["count"], by["security"]["change"], by["security"]["share"]) == (
        1,
        0,
        33.3,
    )
    assert by["agriculture"]["count"] == 0
    # a whole year as a period is the year's report
    year = views.categories.report(YEAR)
    period = views.categories.period_report(on(1, 1), on(12, 31))
    assert {k: year[k] for k in ("total", "previous_total", "change", "categories")} == {
        k: period[k] for k in ("total", "previous_total", "change", "categories")
    }
    # a period longer than a year overlaps its comparison: both count what is in both
    long = views.categories.period_report(date(YEAR - 1, 3, 1), on(3, 1))
    assert (long["total"], long["previous_total"]) == (4, 2)
    leap = views.categories.period_report(date(2028, 2, 29), date(2028, 2, 29))
    assert leap["previous_from"] == leap["previous_to"] == date(2027, 2, 28)

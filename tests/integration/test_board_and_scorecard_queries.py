"""The overdue board's pages and totals, and the department scorecards, as PostgreSQL now
computes them, against the Python that computed them before (kept here as the reference
only) on the same stored rows: random obligations and episodes written straight into the
views' tables, with the awkward cases a history can leave (no department, due dates
shared by many rows, intervals met before they began, codes that sort differently by
collation, answers dated before their assignment, flags empty or absent), of petitions of
several organisations, read for one, some or all of them."""

from __future__ import annotations

import random
import statistics
from datetime import date, timedelta
from typing import Any
from uuid import UUID

import pytest
from psycopg import sql

from projections.base import Row, View
from projections.overdue import BOARD_ORDERS, OverdueFilter, OverdueView
from projections.quality import FLAGS, QualityView, Rate, composite_score, ranked
from service.bootstrap import Service

DAY = timedelta(days=1)
FIRST = date(2025, 1, 1)
# byte order, not a language's: "B" before "a", "khu-10" before "khu-2", "đ" after "z"
DEPARTMENTS = ["a-1", "a1", "B", "bx", "b-x", "đoàn"]
ZONES = ["khu-1", "khu-10", "khu-2", "Khu-3"]
ORGANISATIONS = ["xa-b", "Xa-a", "huyen"]
# What a read may ask for: every organisation, one, two, none at all.
ASKED: list[frozenset[str] | None] = [
    None,
    frozenset({"xa-b"}),
    frozenset({"Xa-a", "huyen"}),
    frozenset(),
]


def of(organisations: frozenset[str] | None, row: Row) -> bool:
    return organisations is None or row["organisation"] in organisations


def insert(view: View, table: str, rows: list[Row]) -> None:
    columns = list(rows[0])
    statement = sql.SQL("INSERT INTO {} ({}) VALUES ({})").format(
        view.table(table),
        sql.SQL(", ").join(map(sql.Identifier, columns)),
        sql.SQL(", ").join(sql.Placeholder(c) for c in columns),
    )
    with view.datastore.transaction(commit=True) as curs:
        curs.executemany(statement, rows)
        curs.execute(sql.SQL("ANALYZE {}").format(view.table(table)))


# ---- the overdue board ----------------------------------------------------------------


def random_obligations(rng: random.Random, petitions: int) -> tuple[list[Row], list[Row]]:
    """Petitions and their obligations: chains of intervals, each met on the day the next
    begins, some back-dated (met before they began), a few overlapping, many due dates
    shared."""
    heads, obligations = [], []
    dues = [FIRST + DAY * rng.randrange(0, 400) for _ in range(25)]
    for n in range(petitions):
        pid = UUID(int=rng.getrandbits(128))
        zone = rng.choice(ZONES)
        commune = f"{zone}-x{rng.choice([1, 2, 10])}"
        organisation = rng.choice(ORGANISATIONS)
        heads.append(
            {
                "petition_id": pid,
                "organisation": organisation,
                "summary": f"Ý kiến {n}",
                "zone": zone,
                "commune": commune,
                "cell": f"{commune}-c{rng.choice([1, 2, 10])}",
                "category": "other",
                "raised_on": FIRST,
            }
        )
        day = FIRST + DAY * rng.randrange(0, 300)
        for seq in range(1, rng.randint(1, 5) + 1):
            kind = rng.choice(["answer", "verification"])
            # a verification of an answer given on the spot has no department
            on_the_spot = kind == "verification" and rng.random() < 0.4
            department = None if on_the_spot else rng.choice(DEPARTMENTS)
            met = day + DAY * rng.randint(-10, 90)  # before it began: a back-dated event
            obligations.append(
                {
                    "petition_id": pid,
                    "seq": seq,
                    "organisation": organisation,
                    "kind": kind,
                    "department": department,
                    "zone": zone,
                    "due_on": rng.choice(dues) if rng.random() < 0.7 else day + DAY * 30,
                    "valid_from": day,
                    "valid_to": None if rng.random() < 0.25 else met,
                }
            )
            if rng.random() < 0.8:
                day = met
    return heads, obligations


def reference_board(
    heads: dict[UUID, Row],
    obligations: list[Row],
    on: date,
    f: OverdueFilter,
    very: int,
    organisations: frozenset[str] | None = None,
) -> list[Row]:
    """The board as it was read before: every row open on ``on`` and overdue (of
    ``organisations``), most overdue first, then by petition (and, for two rows of one
    petition, by sequence)."""
    rows = [
        {
            **o,
            "days_overdue": (on - o["due_on"]).days,
            "very_overdue": (on - o["due_on"]).days > very,
            **{k: heads[o["petition_id"]][k] for k in ("summary", "commune", "cell")},
        }
        for o in obligations
        if o["valid_from"] <= on
        and (o["valid_to"] is None or o["valid_to"] > on)
        and o["due_on"] < on
        and all(getattr(f, c) in (None, o[c]) for c in ("department", "zone", "kind"))
        and of(organisations, o)
    ]
    return sorted(rows, key=lambda r: (-r["days_overdue"], r["petition_id"], r["seq"]))


# How the web page used to sort the whole board in Python (a stable sort, so ties keep the
# order above, whichever way the sort runs).
REFERENCE_SORTS = {
    "days": lambda r: r["days_overdue"],
    "due_on": lambda r: r["due_on"],
    "department": lambda r: r["department"] or "",
    "zone": lambda r: (r["zone"], r["commune"], r["cell"]),
    "kind": lambda r: r["kind"],
}


def reference_totals(rows: list[Row]) -> list[Row]:
    """The Python that counted the board's rows per department and zone."""
    found: dict[tuple[str | None, str], Row] = {}
    for r in rows:
        t = found.setdefault(
            (r["department"], r["zone"]),
            {
                "department": r["department"],
                "zone": r["zone"],
                "answer": 0,
                "verification": 0,
                "commitment": 0,
                "contribution": 0,
                "very_overdue": 0,
                "max_days_overdue": 0,
            },
        )
        t[r["kind"]] += 1
        t["very_overdue"] += int(r["very_overdue"])
        t["max_days_overdue"] = max(t["max_days_overdue"], r["days_overdue"])
    return sorted(
        found.values(),
        key=lambda t: (
            -(t["answer"] + t["verification"] + t["commitment"] + t["contribution"]),
            t["department"] or "",
            t["zone"],
        ),
    )


def every_page(
    view: OverdueView,
    on: date,
    f: OverdueFilter,
    sort: str,
    order: str,
    limit: int,
    organisations: frozenset[str] | None = None,
) -> tuple[list[Row], list[Any]]:
    """The board read page after page; each page's count and totals."""
    items: list[Row] = []
    seen = []
    while True:
        page = view.board(
            on,
            f,
            very_overdue_days=20,
            sort=sort,
            order=order,
            limit=limit,
            offset=len(items),
            organisations=organisations,
        )
        assert len(page.items) <= limit
        items += page.items
        seen.append((page.total, page.totals))
        if len(page.items) < limit or len(items) == page.total:
            return items, seen


KEYS = (
    "petition_id",
    "organisation",
    "kind",
    "department",
    "zone",
    "due_on",
    "days_overdue",
    "very_overdue",
)


def test_board_pages_cover_the_board_once_in_every_order_with_the_whole_boards_totals(
    service: Service,
) -> None:
    rng = random.Random(20261122)
    view: OverdueView = service.views["overdue"]  # type: ignore[assignment]
    heads, obligations = random_obligations(rng, 260)
    insert(view, "overdue_petitions", heads)
    insert(view, "overdue_obligations", obligations)
    by_id = {h["petition_id"]: h for h in heads}
    days = [FIRST + DAY * d for d in (0, 40, 150, 200, 260, 330, 420, 700)]
    filters = [
        OverdueFilter(),
        OverdueFilter(department="b-x"),
        OverdueFilter(department="đoàn", kind="answer"),
        OverdueFilter(zone="khu-10"),
        OverdueFilter(zone="Khu-3", kind="verification"),
        OverdueFilter(kind="verification"),
        OverdueFilter(department="nobody"),
    ]
    checked: dict[str, int] = {"rows": 0, "overlaps": 0, "no department": 0, "met later": 0}
    organisations_seen: set[str] = set()
    for on in days:
        for n, f in enumerate(filters):
            # each filter read for every organisation and for some, in turn
            asked = ASKED[(n + days.index(on)) % len(ASKED)]
            whole = reference_board(by_id, obligations, on, f, 20, asked)
            want_totals = reference_totals(whole)
            for sort in BOARD_ORDERS:
                for order in ("asc", "desc"):
                    want = sorted(whole, key=REFERENCE_SORTS[sort], reverse=order == "desc")
                    limit = rng.choice([1, 4, 13, 1000])
                    got, pages = every_page(view, on, f, sort, order, limit, asked)
                    label = f"{on} {f} {asked} {sort} {order} by {limit}"
                    assert [tuple(r[k] for k in KEYS) for r in got] == [
                        tuple(r[k] for k in KEYS) for r in want
                    ], label
                    assert [(r["commune"], r["cell"], r["summary"]) for r in got] == [
                        (r["commune"], r["cell"], r["summary"]) for r in want
                    ], label
                    assert all(p == (len(whole), want_totals) for p in pages), label
            checked["rows"] += len(whole)
            checked["no department"] += sum(r["department"] is None for r in whole)
            checked["met later"] += sum(r["valid_to"] is not None for r in whole)
            ids = [r["petition_id"] for r in whole]
            checked["overlaps"] += len(ids) - len(set(ids))
            if asked is not None and asked != set(ORGANISATIONS):
                organisations_seen |= {r["organisation"] for r in whole}
                assert {by_id[i]["organisation"] for i in ids} <= asked, label
    # the cases above were there to be ordered, not empty sets
    assert min(checked.values()) > 0, checked
    assert organisations_seen == set(ORGANISATIONS)  # each read alone, or with another


def test_a_page_past_the_end_is_empty_and_still_counts_the_board(service: Service) -> None:
    view: OverdueView = service.views["overdue"]  # type: ignore[assignment]
    heads, obligations = random_obligations(random.Random(7), 40)
    insert(view, "overdue_petitions", heads)
    insert(view, "overdue_obligations", obligations)
    on = FIRST + DAY * 330
    whole = view.board(on, limit=None)
    assert whole.total == len(whole.items) > 0
    beyond = view.board(on, limit=10, offset=whole.total)
    assert beyond.items == [] and (beyond.total, beyond.totals) == (whole.total, whole.totals)
    nothing = view.board(on, limit=0)
    assert nothing.items == [] and nothing.total == whole.total
    with pytest.raises(ValueError):
        view.board(on, sort="summary")


# ---- the scorecards ---------------------------------------------------------------------


def random_episodes(rng: random.Random, count: int) -> list[Row]:
    rows = []
    for n in range(count):
        assigned = FIRST + DAY * rng.randrange(0, 500)
        answered = (
            assigned + DAY * rng.randint(-3, 70) if rng.random() < 0.7 else None
        )  # a few answers dated before the assignment
        verified = answered + DAY * rng.randint(0, 50) if answered and rng.random() < 0.7 else None
        if verified:
            ended = verified
        elif rng.random() < 0.3:
            ended = assigned + DAY * rng.randint(0, 120)  # declined, withdrawn, closed
        else:
            ended = None
        flags: list[str] | None = None
        if verified:
            flags = rng.choice([[], [], None, *[[f] for f in FLAGS], list(FLAGS[:2]), list(FLAGS)])
        rows.append(
            {
                "petition_id": UUID(int=rng.getrandbits(128)),
                "seq": 1,
                "organisation": rng.choice(ORGANISATIONS),
                "department": rng.choice(DEPARTMENTS[:5]) if n % 50 else "đoàn",
                "zone": rng.choice(ZONES),
                "assigned_on": assigned,
                "due_on": assigned + DAY * rng.choice([-2, 0, 14, 30, 30, 45]),
                "ended_on": ended,
                "answered_on": answered,
                "answer_recorded_on": answered + DAY * rng.choice([0, 0, 1, 20])
                if answered
                else None,
                "answer_number": rng.choice([1, 1, 2, 3]) if answered else None,
                "verified_on": verified,
                "verdict": rng.choice(["satisfied", "partially_satisfied", "unsatisfied"])
                if verified
                else None,
                "flags": flags,
            }
        )
    return rows


def reference_scorecards(
    episodes: list[Row], start: date, end: date, min_answered: int
) -> list[Row]:
    """The Python that computed the scorecards from the period's episodes before."""
    fetched = [
        e
        for e in episodes
        if e["assigned_on"] <= end
        and (
            e["ended_on"] is None
            or e["ended_on"] >= start
            or (e["answered_on"] is not None and e["answered_on"] >= start)
            or (e["verified_on"] is not None and e["verified_on"] >= start)
        )
    ]
    by_department: dict[str, list[Row]] = {}
    for ep in fetched:
        by_department.setdefault(ep["department"], []).append(ep)
    # the ranking of the cards is the one the view still uses
    return ranked(
        [reference_card(d, eps, start, end) for d, eps in sorted(by_department.items())],
        min_answered,
    )


def within(day: date | None, start: date, end: date) -> bool:
    return day is not None and start <= day <= end


def reference_card(department: str, episodes: list[Row], start: date, end: date) -> Row:
    """The Python that made one department's card from its episodes (the rates and the
    score from counts, as they still are)."""
    assigned = [e for e in episodes if within(e["assigned_on"], start, end)]
    answered = [e for e in episodes if within(e["answered_on"], start, end)]
    verified = [e for e in episodes if within(e["verified_on"], start, end)]
    first = [e for e in verified if e["answer_number"] == 1]
    open_overdue = [
        e
        for e in episodes
        if e["due_on"] < end
        and (e["answered_on"] is None or e["answered_on"] > end)
        and (e["ended_on"] is None or e["ended_on"] > end)
    ]
    on_time = Rate(sum(e["answered_on"] <= e["due_on"] for e in answered), len(answered))
    recorded_late = sum(e["answer_recorded_on"] > e["due_on"] for e in answered)
    verdicts = {
        v: sum(e["verdict"] == v for e in verified)
        for v in ("satisfied", "partially_satisfied", "unsatisfied")
    }
    satisfied = Rate(verdicts["satisfied"], len(verified))
    flagged = Rate(sum(bool(e["flags"]) for e in verified), len(verified))
    days = [(e["answered_on"] - e["assigned_on"]).days for e in answered]
    score = composite_score(on_time, satisfied, flagged)
    return {
        "department": department,
        "assigned": len(assigned),
        "answered": len(answered),
        "on_time": on_time.as_dict(),
        "recorded_after_due": recorded_late,
        "median_days_to_answer": statistics.median(days) if days else None,
        "open_overdue": len(open_overdue),
        "verified": len(verified),
        "verdicts": {v: Rate(n, len(verified)).as_dict() for v, n in verdicts.items()},
        "flags": {
            f: Rate(sum(f in (e["flags"] or []) for e in verified), len(verified)).as_dict()
            for f in FLAGS
        },
        "reopen_rate": Rate(len(verified) - verdicts["satisfied"], len(verified)).as_dict(),
        "first_answer_satisfied": Rate(
            sum(e["verdict"] == "satisfied" for e in first), len(first)
        ).as_dict(),
        "score": score,
        "rank": None,
    }


def test_scorecards_are_those_the_python_computed_from_the_same_episodes(
    service: Service,
) -> None:
    rng = random.Random(4711)
    view: QualityView = service.views["quality"]  # type: ignore[assignment]
    episodes = random_episodes(rng, 1500)
    insert(view, "quality_episodes", episodes)
    periods = [
        (FIRST, FIRST + DAY * 600, 5),  # everything
        (date(2025, 1, 1), date(2025, 12, 31), 5),
        (date(2026, 1, 1), date(2026, 5, 16), 40),  # a few unranked
        (date(2025, 6, 1), date(2025, 6, 30), 3),
        (date(2025, 6, 14), date(2025, 6, 14), 0),  # one day
        (FIRST + DAY * 700, FIRST + DAY * 800, 1),  # after the last assignment
    ]
    for _ in range(30):
        start = FIRST + DAY * rng.randrange(-30, 560)
        periods.append((start, start + DAY * rng.randrange(0, 200), rng.randrange(0, 30)))
    medians: set[type] = set()
    for n, (start, end, least) in enumerate(periods):
        got = view.scorecards(start, end, min_answered=least)
        want = reference_scorecards(episodes, start, end, least)
        assert got == want, (start, end, least)
        assert repr(got) == repr(want), (start, end, least)  # 14 is not 14.0
        medians |= {type(c["median_days_to_answer"]) for c in got}
        asked = ASKED[1 + n % (len(ASKED) - 1)]  # one, two or no organisation
        mine = [e for e in episodes if of(asked, e)]
        assert view.scorecards(
            start, end, min_answered=least, organisations=asked
        ) == reference_scorecards(mine, start, end, least), (start, end, least, asked)
    # both halves of the median's rule, and a department with no answer, were met
    assert medians == {int, float, type(None)}

"""The overdue rule in Python (domain.deadlines) and its SQL twin (projections.deadlines)
agree on every case of a grid around one day, on the real PostgreSQL: due before, on and
after the day, or no due date; met before, on and after it, or not met. So do the board's
"very overdue" (more days past the due date than the bound) and the scorecards' "on time"."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import product

import psycopg
from psycopg import sql

from domain.deadlines import answer_overdue, answered_on_time, overdue, very_overdue
from domain.vocabulary import Status
from projections.deadlines import answered_on_time_sql, overdue_sql, very_overdue_sql
from service.database import Database

ON = date(2026, 3, 31)
AROUND = [None, *(ON + timedelta(days=d) for d in (-30, -1, 0, 1, 30))]


def test_python_and_sql_agree_on_what_is_overdue(database: Database) -> None:
    cases = list(product(AROUND, AROUND))
    with_met = sql.SQL("SELECT {} AS late").format(
        overdue_sql(sql.SQL("%(due)s::date"), sql.SQL("%(on)s::date"), sql.SQL("%(met)s::date"))
    )
    without_met = sql.SQL("SELECT {} AS late").format(
        overdue_sql(sql.SQL("%(due)s::date"), sql.SQL("%(on)s::date"))
    )
    # several dates of meeting or lifting: the earliest that happened, as the views ask
    least = sql.SQL("SELECT {} AS late").format(
        overdue_sql(
            sql.SQL("%(due)s::date"),
            sql.SQL("%(on)s::date"),
            sql.SQL("LEAST(%(met)s::date, %(lifted)s::date)"),
        )
    )
    seen = set()
    with psycopg.connect(database.conninfo()) as conn:
        for due, met in cases:
            args = {"due": due, "on": ON, "met": met}
            (late,) = conn.execute(with_met, args).fetchone() or (None,)
            expected = overdue(due, ON, met_on=met)
            assert bool(late) is expected, f"due {due}, met {met}: SQL {late}, Python {expected}"
            seen.add(expected)
            (unmet,) = conn.execute(without_met, args).fetchone() or (None,)
            assert bool(unmet) is overdue(due, ON), f"due {due}, not met: SQL {unmet}"
            for lifted in AROUND:
                (late,) = conn.execute(least, {**args, "lifted": lifted}).fetchone() or (None,)
                earliest = min((d for d in (met, lifted) if d is not None), default=None)
                assert bool(late) is overdue(due, ON, met_on=earliest), (due, met, lifted)
    assert seen == {True, False}


def test_only_an_assigned_petition_awaits_an_overdue_answer() -> None:
    for status, due in product(Status, AROUND):
        expected = status is Status.ASSIGNED and due is not None and due < ON
        assert answer_overdue(status, due, ON) is expected
    assert overdue(ON, ON) is False, "due today is on time all day"
    assert overdue(ON - timedelta(days=1), ON) is True
    assert overdue(ON - timedelta(days=1), ON, met_on=ON) is False, "met today: no longer"


def test_python_and_sql_agree_on_what_is_very_overdue(database: Database) -> None:
    query = sql.SQL("SELECT {} AS very").format(
        very_overdue_sql(sql.SQL("%(due)s::date"), sql.SQL("%(on)s::date"), sql.SQL("%(very)s"))
    )
    seen = set()
    with psycopg.connect(database.conninfo()) as conn:
        for due, very in product([d for d in AROUND if d is not None], (0, 1, 29, 30, 31)):
            (flag,) = conn.execute(query, {"due": due, "on": ON, "very": very}).fetchone() or (
                None,
            )
            expected = very_overdue(due, ON, very)
            assert bool(flag) is expected, f"due {due}, bound {very}: SQL {flag}"
            seen.add(expected)
    assert seen == {True, False}
    assert very_overdue(ON - timedelta(days=30), ON, 30) is False, "30 days past is not more"
    assert very_overdue(ON - timedelta(days=31), ON, 30) is True


def test_python_and_sql_agree_on_what_was_answered_on_time(database: Database) -> None:
    query = sql.SQL("SELECT {} AS on_time").format(
        answered_on_time_sql(sql.SQL("%(due)s::date"), sql.SQL("%(answered)s::date"))
    )
    seen = set()
    with psycopg.connect(database.conninfo()) as conn:
        for due in AROUND:
            (on_time,) = conn.execute(query, {"due": due, "answered": ON}).fetchone() or (None,)
            expected = answered_on_time(due, ON)
            assert bool(on_time) is expected, f"due {due}, answered {ON}: SQL {on_time}"
            seen.add(expected)
    assert seen == {True, False}
    assert answered_on_time(ON, ON) is True, "answered on the due date is on time"
    assert answered_on_time(ON, ON + timedelta(days=1)) is False, "a day late"
    assert answered_on_time(None, ON) is False, "no due date: not counted on time"

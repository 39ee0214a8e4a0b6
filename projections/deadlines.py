"""The deadline rules of ``domain.deadlines`` as SQL, for every query of the read models
that asks what was overdue, very overdue or answered on time. An integration test holds
each to its Python rule."""

from __future__ import annotations

from psycopg import sql


def overdue_sql(
    due_on: sql.Composable, on: sql.Composable, met_on: sql.Composable | None = None
) -> sql.Composed:
    """``domain.deadlines.overdue(due_on, on, met_on=met_on)`` as a SQL condition over the
    expressions given (columns, query parameters). Without ``met_on`` the query knows by its
    other conditions that the obligation was not met by ``on``; a NULL due date is never
    overdue (NULL < x is not true), and ``LEAST`` of several dates of meeting or lifting
    skips the NULLs, as the earliest of those that happened."""
    passed = sql.SQL("{} < {}").format(due_on, on)
    if met_on is None:
        return sql.SQL("({})").format(passed)
    return sql.SQL("({} AND ({} IS NULL OR {} > {}))").format(passed, met_on, met_on, on)


def very_overdue_sql(
    due_on: sql.Composable, on: sql.Composable, very: sql.Composable
) -> sql.Composed:
    """``domain.deadlines.very_overdue(due_on, on, very)`` as a SQL condition (NULL, not
    true, without a due date)."""
    return sql.SQL("({} - {} > {})").format(on, due_on, very)


def answered_on_time_sql(due_on: sql.Composable, answered_on: sql.Composable) -> sql.Composed:
    """``domain.deadlines.answered_on_time(due_on, answered_on)`` as a SQL condition: not
    true without a due date (``x <= NULL`` is NULL)."""
    return sql.SQL("({} <= {})").format(answered_on, due_on)

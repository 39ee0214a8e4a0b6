"""When an obligation is overdue: the one rule, for the aggregate, the policy and the views.

An obligation (a department's answer, the cells' verification of an answer) falls due on a
date and is met (or lifted) on another. It is overdue on a business date when its due date
has passed by then and it was not met by then: due on the 3rd, it is on time all the 3rd
and overdue from the 4th; met on the 5th, it was overdue on the 4th and no longer on the
5th. While the committee has paused a petition's clock its answer is not overdue, and
resuming moves the due date by the working days paused. The board's "very overdue" and
the scorecards' "on time" follow from it. The read models' SQL states each rule once, in
``projections.deadlines``; an integration test holds the two to agree.
"""

from __future__ import annotations

from datetime import date

from domain.vocabulary import Status


def overdue(due_on: date | None, on: date, *, met_on: date | None = None) -> bool:
    """Whether an obligation due on ``due_on`` and met on ``met_on`` (None: not yet) is
    overdue on ``on``. Without a due date nothing is overdue."""
    return due_on is not None and due_on < on and (met_on is None or met_on > on)


def days_overdue(due_on: date, on: date) -> int:
    """Days past the due date on ``on`` (0 or less: not overdue)."""
    return (on - due_on).days


def very_overdue(due_on: date, on: date, very: int) -> bool:
    """Whether an obligation overdue on ``on`` is very overdue then: more than ``very`` days
    past its due date (the overdue board's flag and count)."""
    return days_overdue(due_on, on) > very


def answered_on_time(due_on: date | None, answered_on: date) -> bool:
    """Whether an answer given on ``answered_on`` met its due date: it was not overdue that
    day (due that day is on time). An answer without a due date (given on the spot, before
    any assignment) is not counted on time."""
    return due_on is not None and not overdue(due_on, answered_on)


def answer_overdue(status: Status, due_on: date | None, on: date, *, paused: bool = False) -> bool:
    """Whether a petition in ``status`` with ``due_on`` in force awaits an overdue answer
    on ``on``: only an assigned petition awaits its department's answer, and not while the
    committee has ``paused`` its clock (the days paused are not counted late)."""
    return status is Status.ASSIGNED and not paused and overdue(due_on, on)

"""Petition numbers: each petition's place among its organisation's petitions raised in the
same year, kept by the petition list's view (``petition_numbers``, a table of its own).

Where the sequence comes from, and why there:

* **Not from the events.** ``Raised`` carries no number, and stored events are never
  rewritten, so every petition raised before numbers existed would have none; an upcast
  sees one event at a time and cannot count. Numbering at the command would also need a
  counter committed with the event, which the library's recorder writes alone.
* **From the log's order.** A petition's number is the rank of its ``Raised`` event's log
  position (notification id) among the ``Raised`` events of the same organisation and
  year (of the date raised). The recorder hands out positions in commit order, and the log
  only grows, so one log gives one set of numbers, whoever computes them and however
  often; and a number, once given, never changes: a petition recorded later, even one
  back-dated into an earlier year, comes after every petition already numbered in that
  year and takes the next number of it.

The two paths that keep the view compute that one rank each its own way:

* **Incremental** (the worker, a page at a time, and a catch-up in batch mode): the view
  is the only writer (the runner's lock) and is given every ``Raised`` event in log order,
  so a new petition's number is one more than the last its organisation's year was given
  (read from the table once, then counted in memory while a batch holds rows the table has
  not had yet).
* **The rebuild** runs in parts by petition (``workers.runner.read_part_pages``): no part
  sees the others' petitions, so none can count. Each part records its petitions' log
  positions with no number, and once every part is in, ``finish`` numbers each
  organisation's year by position in one statement, before the swap.

``petitions replay --verify`` rebuilds with one incremental catch-up and compares every
row, numbers included, with the live view: it is the check that the paths agree, and an
integration test holds a parallel rebuild to the live numbers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any
from uuid import UUID

import psycopg
from psycopg import sql

from domain.petition import Petition

if TYPE_CHECKING:
    from projections.base import Row, View

TABLE = "petition_numbers"
COLUMNS = """
    petition_id uuid PRIMARY KEY, organisation text NOT NULL, year int NOT NULL,
    raised_at bigint NOT NULL, seq int"""
# unique per organisation and year; a number asked for across organisations reads it too
INDEXES = (
    "CREATE UNIQUE INDEX IF NOT EXISTS petition_numbers_number ON {petition_numbers}"
    " (year, seq, organisation)",
)
Key = tuple[str, int]  # (organisation, year)


class Numbering:
    """The numbers of the petitions ``view`` is given the ``Raised`` events of."""

    def __init__(self, view: View) -> None:
        self.view = view
        self.last: dict[Key, int] = {}  # in a batch: the last number given per key

    def forget(self) -> None:
        """At a batch's start and end: what the table holds may have changed since."""
        self.last = {}

    def rows(
        self, curs: psycopg.Cursor[Any], raised: Sequence[tuple[Petition.Raised, int]]
    ) -> list[Row]:
        """The number rows of the petitions raised by ``raised`` (each with its log
        position), in log order; in a part of a rebuild, without their number yet."""
        made = []
        keys = {(e.organisation, e.business_date.year) for e, _ in raised}
        last = None if self.view.in_part else self.last_given(curs, keys)
        for e, position in raised:
            key = (e.organisation, e.business_date.year)
            seq = None
            if last is not None:
                seq = last[key] = last[key] + 1
            made.append(
                {
                    "petition_id": e.originator_id,
                    "organisation": key[0],
                    "year": key[1],
                    "raised_at": position,
                    "seq": seq,
                }
            )
        return made

    def last_given(self, curs: psycopg.Cursor[Any], keys: set[Key]) -> dict[Key, int]:
        """The last number given in each of ``keys`` (0: none yet). In a batch the table
        lacks the rows not flushed yet, so it is read once per key and counted on from
        there (a key first met in the batch has no row the table lacks)."""
        batch = self.view.batch
        if batch is None:
            return self.query(curs, keys)
        missing = keys - self.last.keys()
        if missing and batch.empty:
            self.last.update(dict.fromkeys(missing, 0))
        elif missing:
            with self.view.datastore.transaction(commit=False) as own:
                self.last.update(self.query(own, missing))
        return self.last

    def query(self, curs: psycopg.Cursor[Any], keys: Iterable[Key]) -> dict[Key, int]:
        keys = sorted(keys)
        curs.execute(
            sql.SQL(
                "SELECT k.organisation, k.year, coalesce(max(n.seq), 0) AS seq"
                " FROM unnest(%s::text[], %s::int[]) AS k (organisation, year)"
                " LEFT JOIN {} AS n ON n.organisation = k.organisation AND n.year = k.year"
                " GROUP BY 1, 2"
            ).format(self.view.table(TABLE)),
            ([k[0] for k in keys], [k[1] for k in keys]),
        )
        return {(r["organisation"], r["year"]): int(r["seq"]) for r in curs.fetchall()}

    def finish(self) -> None:
        """Number every petition by its place in its organisation's year, in log order:
        the rebuild's way to the numbers the incremental path gives one by one."""
        with self.view.datastore.transaction(commit=True) as curs:
            curs.execute(
                sql.SQL(
                    "UPDATE {0} AS n SET seq = r.seq FROM (SELECT petition_id, row_number()"
                    " OVER (PARTITION BY organisation, year ORDER BY raised_at) AS seq"
                    " FROM {0}) AS r WHERE n.petition_id = r.petition_id"
                ).format(self.view.table(TABLE))
            )

    def of(self, ids: Iterable[UUID]) -> dict[UUID, tuple[int, int]]:
        """The year and sequence of each of ``ids`` that has a number."""
        with self.view.datastore.transaction(commit=False) as curs:
            curs.execute(
                sql.SQL(
                    "SELECT petition_id, year, seq FROM {} WHERE petition_id = ANY(%s)"
                    " AND seq IS NOT NULL"
                ).format(self.view.table(TABLE)),
                (list(ids),),
            )
            return {r["petition_id"]: (r["year"], r["seq"]) for r in curs.fetchall()}

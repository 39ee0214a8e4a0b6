"""Petition numbers as the reads show them ("KN-2026-0123", in the deployment's format) and
as a search names them. The sequence is the petition list view's
(``projections.numbering``); a petition the view has not reached yet has no number
(null) until it does, which a read after a write waits for with ``min_position``."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any
from uuid import UUID

from domain.numbers import NumberFormat
from projections.petition_list import PetitionFilter, PetitionListView

Row = dict[str, Any]


class Numbers:
    def __init__(
        self, view: PetitionListView, template: str, head: Callable[[], int | None]
    ) -> None:
        """``head``: the event log's last position."""
        self.view, self.format, self.head = view, NumberFormat(template), head

    def written(self, number: tuple[int, int] | None) -> str | None:
        return None if number is None else self.format.format(*number)

    def search(self, petition_filter: PetitionFilter) -> PetitionFilter:
        """A search whose text is a number looks for that number (in every organisation
        the search holds: each has its own), not for the words."""
        number = self.format.parse(petition_filter.text or "")
        if number is None:
            return petition_filter
        return replace(petition_filter, text=None, number=number)

    def of_list_rows(self, rows: Iterable[Row]) -> None:
        """The list's rows, which hold their number's parts, with the number written."""
        for row in rows:
            year, seq = row.pop("number_year", None), row.pop("number_seq", None)
            row["number"] = self.written((year, seq) if seq is not None else None)

    def add(self, rows: Iterable[Row], key: str = "petition_id") -> None:
        """``number`` added to each row of another view (a board's, a packet's), or of one
        petition's state (``key="id"``)."""
        rows = list(rows)
        found = self.view.numbers({r[key] for r in rows})
        for row in rows:
            row["number"] = self.written(found.get(row[key]))

    def of(self, petition_id: UUID | None) -> str | None:
        """One petition's number (None: none yet, or no petition)."""
        if petition_id is None:
            return None
        return self.written(self.view.numbers({petition_id}).get(petition_id))

    def awaited(self, petition_id: UUID, wait: float) -> str | None:
        """A petition's number, for a read of its state; of one just raised, once the view
        has it: a petition read from its events shows a write at once, its number with it,
        so that two reads of one version do not differ. Waited for while the view moves
        towards the log's end, at most ``wait`` seconds; a view standing still (no worker
        follows the log) is not waited for, and the number stays null until one does."""
        found = self.of(petition_id)
        if found is not None:
            return found
        head = self.head() or 0
        deadline = time.monotonic() + wait
        seen, moved = self.view.position(), time.monotonic()
        while seen < head:
            now = time.monotonic()
            if now > deadline or now - moved > STANDING_STILL:
                return None
            time.sleep(0.005)
            if (position := self.view.position()) != seen:
                seen, moved = position, time.monotonic()
        return self.of(petition_id)


STANDING_STILL = 0.25  # seconds without progress after which the view is taken to be stopped

"""Every read model the service keeps."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from eventsourcing.persistence import Mapper
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore

from projections.backdating import BackdatingView
from projections.base import View
from projections.briefing_packet import BriefingPacketView
from projections.categories import CategoryView
from projections.overdue import OverdueView
from projections.petition_list import PetitionListView
from projections.quality import QualityView

VIEW_CLASSES: tuple[type[View], ...] = (
    PetitionListView,
    OverdueView,
    QualityView,
    CategoryView,
    BriefingPacketView,
    BackdatingView,
)


def views(
    datastore: PostgresDatastore, *, indexes: bool = True, create: bool = True
) -> dict[str, View]:
    """Every view on ``datastore``, its tables created if missing (``indexes=False``:
    without their indexes, see ``View``; ``create=False``: tables known to exist)."""
    made = {cls.name: cls(datastore, indexes=indexes) for cls in VIEW_CLASSES}
    for view in made.values():
        if create:
            view.create_table()
    return made


@dataclass
class Part:
    """Read models on some schema, with the log's recorder and mapper to fill them from."""

    views: dict[str, View]
    recorder: PostgresApplicationRecorder
    mapper: Mapper[Any]
    close: Callable[[], None]

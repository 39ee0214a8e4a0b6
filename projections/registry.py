"""Every read model the service keeps."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, fields
from typing import Any

from eventsourcing.persistence import Mapper
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore

from projections.answer_quality import AnswerQualityView
from projections.backdating import BackdatingView
from projections.base import View
from projections.briefing_packet import BriefingPacketView
from projections.categories import CategoryView
from projections.clearance import ClearanceView
from projections.commitments import CommitmentsView
from projections.coordination import CoordinationView
from projections.duties import DutiesView
from projections.meetings import MeetingsView
from projections.overdue import OverdueView
from projections.petition_list import PetitionListView
from projections.quality import QualityView
from projections.repeats import RepeatsView

# In the order of ``ReadModels``' fields, each named as its field.
VIEW_CLASSES: tuple[type[View], ...] = (
    PetitionListView,
    OverdueView,
    QualityView,
    CategoryView,
    BriefingPacketView,
    BackdatingView,
    MeetingsView,
    DutiesView,
    ClearanceView,
    CommitmentsView,
    AnswerQualityView,
    RepeatsView,
    CoordinationView,
)


@dataclass(frozen=True)
class ReadModels(Mapping[str, View]):
    """The read models the service keeps, each by its own type (``views.overdue.board``),
    and by name as a mapping (``views["overdue"]``, for what treats them alike)."""

    petition_list: PetitionListView
    overdue: OverdueView
    quality: QualityView
    categories: CategoryView
    briefing_packet: BriefingPacketView
    backdating: BackdatingView
    meetings: MeetingsView
    duties: DutiesView
    clearance: ClearanceView
    commitments: CommitmentsView
    answer_quality: AnswerQualityView
    repeats: RepeatsView
    coordination: CoordinationView

    def __getitem__(self, name: str) -> View:
        if name not in self.names():
            raise KeyError(name)
        view: View = getattr(self, name)
        return view

    def __iter__(self) -> Iterator[str]:
        return iter(self.names())

    def __len__(self) -> int:
        return len(self.names())

    @staticmethod
    def names() -> tuple[str, ...]:
        return tuple(f.name for f in fields(ReadModels))


def views(datastore: PostgresDatastore, *, indexes: bool = True, create: bool = True) -> ReadModels:
    """Every view on ``datastore``, its tables created if missing (``indexes=False``:
    without their indexes, see ``View``; ``create=False``: tables known to exist)."""
    made = ReadModels(
        petition_list=PetitionListView(datastore, indexes=indexes),
        overdue=OverdueView(datastore, indexes=indexes),
        quality=QualityView(datastore, indexes=indexes),
        categories=CategoryView(datastore, indexes=indexes),
        briefing_packet=BriefingPacketView(datastore, indexes=indexes),
        backdating=BackdatingView(datastore, indexes=indexes),
        meetings=MeetingsView(datastore, indexes=indexes),
        duties=DutiesView(datastore, indexes=indexes),
        clearance=ClearanceView(datastore, indexes=indexes),
        commitments=CommitmentsView(datastore, indexes=indexes),
        answer_quality=AnswerQualityView(datastore, indexes=indexes),
        repeats=RepeatsView(datastore, indexes=indexes),
        coordination=CoordinationView(datastore, indexes=indexes),
    )
    if create:
        for view in made.values():
            view.create_table()
    return made


@dataclass
class Part:
    """Read models on some schema, with the log's recorder and mapper to fill them from."""

    views: ReadModels
    recorder: PostgresApplicationRecorder
    mapper: Mapper[Any]
    close: Callable[[], None]

"""Every view names, by class, each Petition event it handles; the others it ignores.

Views used to pick events by their class names as strings, so renaming an event dropped
it from the views without a word. They now hold the classes themselves: a renamed class
fails at import, and a new one must be handled or ignored by each view on purpose.
"""

from __future__ import annotations

import pytest

from domain.duty import DUTY_EVENTS
from domain.meeting import MEETING_EVENTS
from domain.petition import Petition
from projections.base import PETITION_EVENTS, View
from projections.registry import VIEW_CLASSES

# What each view deliberately ignores: events that change nothing it shows.
# A co-signing cell is counted in the list; it changes no obligation, episode or packet.
NO_STATE = {Petition.Escalated, Petition.ReminderIssued, Petition.NoteAdded, Petition.Cosigned}
IGNORED: dict[str, set[type]] = {
    "petition_list": set(),
    "overdue": NO_STATE,
    "quality": NO_STATE,
    "briefing_packet": NO_STATE,
    "backdating": set(),
    "categories": set(
        PETITION_EVENTS - {Petition.Raised, Petition.MergedInto, Petition.Reinstated}
    ),
    # the meetings' view reads of a petition only the meeting its raising or a verdict names
    "meetings": set(PETITION_EVENTS - {Petition.Raised, Petition.Verified}),
    # the duties' view keeps the assignments only (its reports read the meetings' view)
    "duties": set(PETITION_EVENTS),
    # the coordinating departments' parts: named, sent, waived, or lifted by a new
    # assignment, a giving back or the petition's end (and owed again once it is undone)
    "coordination": {
        *NO_STATE,
        Petition.DeadlineExtended,  # the lead's due date, not the parts'
        Petition.AnsweredInWriting,  # waits for every part: none is owed after it
        Petition.AnsweredOnTheSpot,  # of a raised petition: no part is owed
        Petition.Verified,
        Petition.Reopened,  # the lead answers again with the parts it has
    },
}
# The views of meetings, which are given the meetings' events too.
OF_MEETINGS = {"meetings"}
# The views of the members' duty, which are given the assignments' events only.
OF_DUTIES = {"duties"}


def test_the_recorded_events_are_the_aggregate_s_leaves() -> None:
    """Each event class a command records, not the Assignment that Assigned and Reassigned
    share, nor the library's default Created (a petition is created by Raised)."""
    assert {Petition.Raised, Petition.Assigned, Petition.Reassigned} <= PETITION_EVENTS
    assert not {Petition.Assignment, Petition.Created, Petition.Event} & PETITION_EVENTS
    assert all(issubclass(cls, Petition.Event) for cls in PETITION_EVENTS)
    assert {Petition.ReferredUpward, Petition.ReferralReturned} <= PETITION_EVENTS
    assert Petition.Reinstated in PETITION_EVENTS and Petition.Ending not in PETITION_EVENTS
    assert Petition.Cosigned in PETITION_EVENTS
    coordination = {
        Petition.CoordinatorsNamed,
        Petition.ContributionSent,
        Petition.ContributionsWaived,
    }
    assert coordination <= PETITION_EVENTS
    assert len(PETITION_EVENTS) == 22


@pytest.mark.parametrize("view", VIEW_CLASSES, ids=lambda v: v.name)
def test_each_view_handles_or_ignores_every_event(view: type[View]) -> None:
    assert view.name in IGNORED, f"say which events {view.name} ignores"
    handles, ignored = set(view.handles), IGNORED[view.name]
    if view.name in OF_MEETINGS:
        assert set(handles) - PETITION_EVENTS == MEETING_EVENTS, "every meeting event"
        handles &= PETITION_EVENTS
    if view.name in OF_DUTIES:
        assert set(handles) == DUTY_EVENTS, "every assignment event, nothing else"
        handles &= PETITION_EVENTS
    assert handles <= PETITION_EVENTS, "a view handles only recorded Petition events"
    assert not handles & ignored
    assert handles | ignored == PETITION_EVENTS, (
        f"{view.name} neither handles nor ignores "
        f"{sorted(c.__name__ for c in PETITION_EVENTS - handles - ignored)}"
    )
    assert Petition.Raised in handles or view.name in OF_DUTIES, (
        "every view of petitions starts a petition's rows at its raising"
    )


# The views whose rows follow who holds a petition: a referral hands it to a department
# of the province (an assignment), a returned referral gives it back (as a decline does).
HOLDERS = ("petition_list", "overdue", "quality", "briefing_packet", "backdating", "coordination")


@pytest.mark.parametrize(
    "view", [v for v in VIEW_CLASSES if v.name in HOLDERS], ids=lambda v: v.name
)
def test_the_views_of_who_holds_a_petition_follow_its_referral(view: type[View]) -> None:
    assert {Petition.ReferredUpward, Petition.ReferralReturned} <= set(view.handles)


def test_categories_count_raisings_and_merges_only() -> None:
    """A merge makes a duplicate; the committee's reopening of a merge undoes it."""
    (categories,) = [v for v in VIEW_CLASSES if v.name == "categories"]
    assert set(categories.handles) == {Petition.Raised, Petition.MergedInto, Petition.Reinstated}


@pytest.mark.parametrize(
    "view", [v for v in VIEW_CLASSES if v.name not in OF_MEETINGS | OF_DUTIES], ids=lambda v: v.name
)
def test_every_view_sees_a_reopening(view: type[View]) -> None:
    """An ended petition's rows (status, what it owes, a duplicate's count) come back (the
    meetings' view keeps no state of a petition, only where it was raised and verified)."""
    assert Petition.Reinstated in view.handles


def test_only_the_meetings_view_is_given_meeting_events() -> None:
    assert [v.name for v in VIEW_CLASSES if set(v.handles) & MEETING_EVENTS] == ["meetings"]


def test_only_the_duties_view_is_given_assignment_events() -> None:
    assert [v.name for v in VIEW_CLASSES if set(v.handles) & DUTY_EVENTS] == ["duties"]

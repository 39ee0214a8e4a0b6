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
from projections.clearance import HANDLES as CLEARANCE_READS
from projections.registry import VIEW_CLASSES

# What each view deliberately ignores: events that change nothing it shows.
# A co-signing cell is counted in the list and the categories; a repeat's link in the list
# and the closures that hold; neither changes an obligation, episode or packet.
NO_STATE = {
    Petition.Escalated,
    Petition.ReminderIssued,
    Petition.NoteAdded,
    Petition.Cosigned,
    Petition.RepeatLinked,
}
# An answer's commitment: its own view counts and lists it; the board opens and closes it
# (its progress moves no date).
COMMITMENTS = {
    Petition.CommitmentMade,
    Petition.CommitmentProgressed,
    Petition.CommitmentFulfilled,
}
IGNORED: dict[str, set[type]] = {
    "petition_list": set(),
    "overdue": NO_STATE | {Petition.CommitmentProgressed},
    "quality": NO_STATE | COMMITMENTS,
    # a paused clock changes nothing a briefing reads out (its resumption, the due date)
    "briefing_packet": NO_STATE | COMMITMENTS | {Petition.ClockPaused},
    "backdating": set(),
    "categories": set(
        PETITION_EVENTS
        - {Petition.Raised, Petition.MergedInto, Petition.Reinstated, Petition.Cosigned}
    ),
    # the meetings' view reads of a petition only the meeting its raising or a verdict names
    "meetings": set(PETITION_EVENTS - {Petition.Raised, Petition.Verified}),
    # the duties' view keeps the assignments only (its reports read the meetings' view)
    "duties": set(PETITION_EVENTS),
    # the clearance's view reads who holds a petition by which due date, and its written
    # answer's hold, clearance or return
    "clearance": set(PETITION_EVENTS - CLEARANCE_READS),
    # the commitments' view: a petition's raising, its commitments and the verdicts on them
    "commitments": set(PETITION_EVENTS - {Petition.Raised, Petition.Verified} - COMMITMENTS),
    # the answers' quality reads the petition's words, its answers and the verdicts on them
    "answer_quality": set(
        PETITION_EVENTS
        - {Petition.Raised, Petition.AnsweredInWriting, Petition.AnsweredOnTheSpot}
        - {Petition.AnswerReturned, Petition.Verified}
    ),
    # closures that hold: raisings, answers (whose department), verdicts, repeats' links
    "repeats": set(
        PETITION_EVENTS
        - {
            Petition.Raised,
            Petition.AnsweredInWriting,
            Petition.AnsweredOnTheSpot,
            Petition.Verified,
            Petition.Reinstated,
            Petition.RepeatLinked,
        }
    ),
    # the coordinating departments' parts: named, sent, waived, or lifted by a new
    # assignment, a giving back or the petition's end (and owed again once it is undone)
    "coordination": {
        *NO_STATE,
        Petition.DeadlineExtended,  # the lead's due date, not the parts'
        Petition.AnsweredInWriting,  # waits for every part: none is owed after it
        Petition.AnsweredOnTheSpot,  # of a raised petition: no part is owed
        Petition.Verified,
        Petition.Reopened,  # the lead answers again with the parts it has
        # the lead's answer held, cleared or returned: every part was in before it
        Petition.AnswerHeld,
        Petition.AnswerCleared,
        Petition.AnswerReturned,
        Petition.ClockPaused,  # the lead's clock; the parts keep their dates
        Petition.ClockResumed,
        *COMMITMENTS,  # what the lead's answer committed to, after every part
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
    assert Petition.Cosigned in PETITION_EVENTS and Petition.RepeatLinked in PETITION_EVENTS
    assert {Petition.AnswerHeld, Petition.AnswerCleared, Petition.AnswerReturned} <= PETITION_EVENTS
    assert COMMITMENTS <= PETITION_EVENTS
    assert {Petition.ClockPaused, Petition.ClockResumed} <= PETITION_EVENTS
    coordination = {
        Petition.CoordinatorsNamed,
        Petition.ContributionSent,
        Petition.ContributionsWaived,
    }
    assert coordination <= PETITION_EVENTS
    assert len(PETITION_EVENTS) == 31


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


def test_answer_quality_reads_raisings_answers_and_verdicts_only() -> None:
    """The petition's words, its answers (an answer on the spot numbers the verdicts on
    it, which are not of a written answer; one returned at clearance numbers none) and the
    verdicts; no ending changes an answer."""
    (view,) = [v for v in VIEW_CLASSES if v.name == "answer_quality"]
    assert set(view.handles) == {
        Petition.Raised,
        Petition.AnsweredInWriting,
        Petition.AnsweredOnTheSpot,
        Petition.AnswerReturned,
        Petition.Verified,
    }
    assert not set(view.handles) & {Petition.Reinstated, Petition.Closed, Petition.MergedInto}


def test_categories_count_raisings_merges_and_cosigning_cells_only() -> None:
    """A merge makes a duplicate; the committee's reopening of a merge undoes it; a
    co-signing cell counts with the petition it co-signs."""
    (categories,) = [v for v in VIEW_CLASSES if v.name == "categories"]
    assert set(categories.handles) == {
        Petition.Raised,
        Petition.MergedInto,
        Petition.Reinstated,
        Petition.Cosigned,
    }


# The views that keep no state a reopening gives back: the meetings' (where a petition was
# raised and verified), the duties', and the commitments' (the committee reopens no petition
# whose commitment is owed: a satisfied verdict closed it; nor one made by an answer it
# ended unverified: the answer is still to verify).
STATELESS = OF_MEETINGS | OF_DUTIES | {"commitments"}


# The views no ending changes: the answers' quality keeps each answer as it was written.
UNENDED = {"answer_quality"}


@pytest.mark.parametrize(
    "view", [v for v in VIEW_CLASSES if v.name not in STATELESS | UNENDED], ids=lambda v: v.name
)
def test_every_view_sees_a_reopening(view: type[View]) -> None:
    """An ended petition's rows (status, what it owes, a duplicate's count) come back."""
    assert Petition.Reinstated in view.handles


def test_a_repeat_s_link_is_read_by_the_list_and_the_closures_that_hold_only() -> None:
    """The history shows it, the petition list and backdating see every event, and the
    repeats' view counts it against the closure it follows."""
    readers = {v.name for v in VIEW_CLASSES if Petition.RepeatLinked in v.handles}
    assert readers == {"petition_list", "backdating", "repeats"}


def test_only_the_meetings_view_is_given_meeting_events() -> None:
    assert [v.name for v in VIEW_CLASSES if set(v.handles) & MEETING_EVENTS] == ["meetings"]


def test_only_the_duties_view_is_given_assignment_events() -> None:
    assert [v.name for v in VIEW_CLASSES if set(v.handles) & DUTY_EVENTS] == ["duties"]

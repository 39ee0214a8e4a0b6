"""The demos' year of meetings, planned (``service.demo_year`` records it through the
meetings' use cases); the province's demo holds its organisations' briefings.

Each zone's monthly briefing is a meeting: scheduled, its notice sent (a few late), its
agenda issued from the briefing packet, held with each of the zone's cell secretaries'
attendance (mostly present, some late, a few absent with a reason, excused or not), the
petitions raised at it and the verdicts given at it naming it, its minutes recorded (but
for two) and closed; a briefing the calendar moves is moved, one it cancels cancelled.
The committee members of the seed (``committee_members``: groups, each led by a member
of the standing committee, covering two communes) each attend a cell meeting in their
communes every month, where petitions are raised with the channel ``cell_meeting``
naming them, but for one who stops attending half way through the year: the meetings
still expect him, he stays away. Deterministic for a seed and an end date, as the
petitions' plan is (``service.demo``), which it extends; it draws from a generator of
its own, so the briefings' petitions are the district plan's.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from domain.organisations import Organisation
from domain.reference import District, Province
from domain.vocabulary import Attendance, AttendeeRole, Channel
from service import demo_province
from service.demo import (
    DEMO_SEED,
    SECRETARIES,
    Plan,
    Step,
    briefings,
    first_day,
    make_plan,
    plan_petition,
)

MEMBERS_KEY = "committee_members"
# The member who stops attending, and after how many months of the year.
STOPS = ("uv-cao-van-quy", 6)
NOTICE_DAYS = 7  # a notice on time goes out a week ahead; a late one two or three days
MISSING_MINUTES = 2  # briefings held whose minutes were never recorded
DEPUTY = "Phó Bí thư Thường trực"  # who chairs a briefing where no member is named
REASONS = {  # an absence's reason: excused or not
    True: ["Ốm, có giấy của trạm y tế", "Đi công tác theo quyết định của xã", "Việc gia đình"],
    False: ["Không báo trước", "Không rõ lý do"],
}


@dataclass(frozen=True)
class Member:
    """A member of the district committee: ``standing`` leads the group covering the
    ``communes``."""

    code: str
    name: str
    standing: bool
    communes: tuple[str, ...]  # none: every cell of the organisation (a commune's own)
    organisation: str | None = None  # of a province's demo; None: the one district's


def committee_members(seed: Path = DEMO_SEED) -> list[Member]:
    """The seed's committee members, in its order."""
    found = json.loads(seed.read_text(encoding="utf-8")).get(MEMBERS_KEY, [])
    return [Member(m["code"], m["name"], bool(m["standing"]), tuple(m["communes"])) for m in found]


def organisation_members(seed: Path = demo_province.PROVINCE_SEED) -> dict[str, list[Member]]:
    """The committee members of each organisation of a province's seed that lists them
    (its commune's committee: each attends the commune's cells)."""
    organisations = json.loads(seed.read_text(encoding="utf-8")).get("organisations", [])
    return {
        o["code"]: [
            Member(m["code"], m["name"], bool(m["standing"]), (), o["code"])
            for m in o[MEMBERS_KEY]
        ]
        for o in organisations
        if o.get(MEMBERS_KEY)
    }


@dataclass
class MeetingStep:
    """One command on a meeting, on its business date: ``meeting`` is the plan's key for
    it (the one the petitions' ``meeting`` names until it is recorded), ``late`` orders
    it after the day's petitions (the minutes and the close)."""

    on: date
    meeting: str
    command: str
    args: dict[str, Any] = field(default_factory=dict)
    late: bool = False
    organisation: str | None = None  # of the recording clerk (None: the one district's)


@dataclass
class Year:
    """The petitions' plan (the briefings' and the cell meetings') and the meetings'."""

    plan: Plan
    meetings: list[MeetingStep]
    members: list[Member]
    stopped: tuple[str, date] | None  # the member who stops attending, from that day

    def steps(self) -> list[Step | MeetingStep]:
        """Every step in the order it is recorded: by day, a meeting's scheduling and
        holding before the day's petitions, its minutes and close after them."""
        keyed: list[tuple[tuple[date, int, int, int], Step | MeetingStep]] = [
            ((s.on, 1, s.petition, s.order), s) for s in self.plan.steps
        ]
        keyed += [((m.on, 2 if m.late else 0, n, 0), m) for n, m in enumerate(self.meetings)]
        return [s for _, s in sorted(keyed, key=lambda k: k[0])]


def secretary_names(district: District, seed: int) -> dict[str, str]:
    """Each cell's secretary's name."""
    rng = random.Random(f"{seed}-secretaries")
    return {cell: rng.choice(SECRETARIES) for cell in sorted(district.cells)}


def make_year(
    district: District,
    end: date,
    *,
    members: list[Member] | None = None,
    per_briefing: int = 4,
    months: int = 12,
    seed: int = 2026,
) -> Year:
    """The district's ``months`` up to ``end``: ``make_plan``'s petitions, each zone's
    briefings as meetings, and the ``members``' cell meetings (the seed's, if None) with
    the petitions raised at them."""
    members = committee_members() if members is None else members
    plan = make_plan(district, end, per_briefing=per_briefing, months=months, seed=seed)
    rng = random.Random(f"{seed}-meetings")
    start = first_day(end, months)
    names = secretary_names(district, seed)
    stopper = next((m for m in members if m.code == STOPS[0]), None)
    stopped = None if stopper is None else (stopper.name, start + timedelta(days=30 * STOPS[1]))
    cell_steps = cell_meetings(rng, district, plan, members, names, start, end, stopped)
    plan.steps.sort(key=lambda s: (s.on, s.petition, s.order))
    chairs = [m.name for m in members if m.standing]
    steps = briefing_meetings(rng, district, plan, start, end, names, chairs)
    return Year(plan, unminuted(rng, steps, end) + cell_steps, members, stopped)


def province_year(
    province: Province, plan: Plan, end: date, *, seed: int = 2026, months: int = 12
) -> Year:
    """The briefings, as meetings, of every organisation the province's ``plan`` (of
    ``demo_province.make_province_plan``, for ``end`` and ``months``) records, in its
    span."""
    rng = random.Random(f"{seed}-meetings")
    steps: list[MeetingStep] = []
    cell_steps: list[MeetingStep] = []
    members = organisation_members()
    everyone: list[Member] = []
    for organisation in province.below():
        last = demo_province.last_day(organisation, end)
        if last is None:
            continue
        reference = province.reference(organisation.code)
        start = first_day(last, months, organisation.active_from)
        names = secretary_names(reference, seed)
        own = members.get(organisation.code, [])
        chairs = [m.name for m in own if m.standing]
        code = organisation.code
        steps += briefing_meetings(rng, reference, plan, start, last, names, chairs, code)
        words = commune_words(organisation) if own else {}
        cell_steps += cell_meetings(rng, reference, plan, own, names, start, last, None, words)
        everyone += own
    plan.steps.sort(key=lambda s: (s.on, s.petition, s.order))
    return Year(plan, unminuted(rng, steps, end) + cell_steps, everyone, None)


def briefing_meetings(
    rng: random.Random,
    district: District,
    plan: Plan,
    start: date,
    end: date,
    names: dict[str, str],
    chairs: list[str],
    organisation: str | None = None,
) -> list[MeetingStep]:
    """Each zone's briefings from ``start`` to ``end``, chaired in turn by ``chairs``
    (members of the standing committee, there at the briefing; none: its deputy
    secretary), and those the calendar cancels; of ``organisation``."""
    steps: list[MeetingStep] = []
    held = 0
    for zone in sorted(district.zones):
        for day in briefings(district, zone, start, end):
            chair = chairs[held % len(chairs)] if chairs else None
            steps += briefing(rng, district, plan, zone, day, names, chair)
            held += 1
        steps += cancelled(district, zone, start, end)
    for step in steps:
        step.organisation = organisation
    return steps


def unminuted(rng: random.Random, steps: list[MeetingStep], end: date) -> list[MeetingStep]:
    """The meetings' steps less the minutes of ``MISSING_MINUTES`` briefings held two
    months before ``end`` or earlier."""
    held = sorted(
        {s.meeting for s in steps if s.command == "minutes" and s.on < end - timedelta(60)}
    )
    missing = rng.sample(held, min(MISSING_MINUTES, len(held)))
    return [s for s in steps if not (s.command == "minutes" and s.meeting in missing)]


def briefing_key(zone: str, day: date) -> str:
    return f"giao-ban-{zone}-{day.isoformat()}"


def briefing(
    rng: random.Random,
    district: District,
    plan: Plan,
    zone: str,
    day: date,
    names: dict[str, str],
    chair: str | None,
) -> list[MeetingStep]:
    """A zone's briefing on ``day``: scheduled (on the rule's day, then moved if the
    calendar moved it), noticed, its agenda issued, held, minuted and closed."""
    key = briefing_key(zone, day)
    calendar = district.zones[zone].calendar
    moved = {held: rule for rule, held in calendar.moved.items()} if calendar else {}
    planned = moved.get(day, day)
    steps = [MeetingStep(min(day, planned) - timedelta(days=12), key, "schedule", {"zone": zone})]
    steps[0].args["scheduled_on"] = planned
    if planned != day:
        steps.append(
            MeetingStep(
                min(day, planned) - timedelta(days=10),
                key,
                "move",
                {"scheduled_on": day, "reason": "Dời lịch theo thông báo của Thường trực"},
            )
        )
    late = rng.random() < 0.1
    noticed = day - timedelta(days=rng.randint(2, 3) if late else NOTICE_DAYS)
    cells = sorted(c for c in district.cells if district.zone_of_cell(c).code == zone)
    steps.append(MeetingStep(noticed, key, "notice", {"recipients": cells}))
    steps.append(MeetingStep(day - timedelta(days=1), key, "agenda"))
    # The cells whose petition is raised or verified that day came.
    busy = {
        s.args["draft"].cell
        for s in plan.steps
        if s.command == "raise" and s.args["draft"].meeting == key
    }
    raised = [
        s.petition for s in plan.steps if s.command == "raise" and s.args["draft"].meeting == key
    ]
    cell_of = {s.petition: s.args["draft"].cell for s in plan.steps if s.command == "raise"}
    verdicts = [
        (s.petition, str(s.args["verdict"]))
        for s in plan.steps
        if s.command == "verify" and s.args.get("meeting") == key
    ]
    busy |= {cell_of[p] for p, _ in verdicts}
    attendance = [
        {"role": AttendeeRole.SECRETARY, "cell": c, "person": names[c]} | attended(rng, c in busy)
        for c in cells
    ]
    if chair is not None:
        attendance.append(
            {"role": AttendeeRole.COMMITTEE_MEMBER, "person": chair, "status": Attendance.PRESENT}
        )
    chaired = chair or DEPUTY
    steps.append(MeetingStep(day, key, "hold", {"chair": chaired, "attendance": attendance}))
    text = (
        f"Hội nghị giao ban {district.zones[zone].name} ngày {day.strftime('%d/%m/%Y')}: "
        f"{len(raised)} ý kiến mới, {len(verdicts)} kết quả trả lời được các chi bộ đánh giá."
    )
    minutes = {"text": text, "raised": raised, "read": []}  # the verdicts say it
    steps.append(MeetingStep(day, key, "minutes", minutes | {"verdicts": verdicts}, late=True))
    steps.append(MeetingStep(day, key, "close", late=True))
    return steps


def attended(rng: random.Random, came: bool) -> dict[str, Any]:
    """A secretary's attendance: mostly present, some late, a few absent (never one whose
    petition is raised or verified there)."""
    roll = rng.random()
    if roll < 0.82 or (came and roll >= 0.92):
        return {"status": Attendance.PRESENT}
    if roll < 0.92:
        return {"status": Attendance.LATE, "minutes_late": rng.choice([5, 10, 15, 20, 30, 45])}
    excused = roll < 0.97
    return {
        "status": Attendance.ABSENT,
        "excused": excused,
        "reason": rng.choice(REASONS[excused]),
    }


def cancelled(district: District, zone: str, start: date, end: date) -> list[MeetingStep]:
    """The zone's briefings the calendar cancels in the period: scheduled, then cancelled."""
    calendar = district.zones[zone].calendar
    if calendar is None:
        return []
    steps = []
    for day in sorted(d for d in calendar.cancelled if start <= d <= end):
        key = f"huy-{briefing_key(zone, day)}"
        steps.append(
            MeetingStep(day - timedelta(12), key, "schedule", {"zone": zone, "scheduled_on": day})
        )
        steps.append(MeetingStep(day - timedelta(3), key, "cancel", {"reason": "Hoãn do bão"}))
    return steps


def cell_meetings(
    rng: random.Random,
    district: District,
    plan: Plan,
    members: list[Member],
    names: dict[str, str],
    start: date,
    end: date,
    stopped: tuple[str, date] | None,
    words: dict[str, Any] | None = None,
) -> list[MeetingStep]:
    """Each member's cell meeting of each month, in a cell of the member's communes; the
    member who stops is still expected after he stops, with his group's leader, and
    stays away. Some petitions are raised at them (added to ``plan``)."""
    steps: list[MeetingStep] = []
    words = words or {}
    departments = sorted(district.departments)
    leaders = {m.communes: m.name for m in members if m.standing}
    month = (start.replace(day=1) + timedelta(days=32)).replace(day=1)  # whole months
    while month <= end:
        for member in members:
            cells = sorted(
                c
                for c, cell in district.cells.items()
                if not member.communes or cell.commune in member.communes
            )
            day = month + timedelta(days=rng.randint(11, 24))
            if day > end:
                continue
            cell = rng.choice(cells)
            away = stopped is not None and member.name == stopped[0] and day >= stopped[1]
            expected = [member.name] + ([leaders[member.communes]] if away else [])
            key = f"hop-chi-bo-{cell}-{day.isoformat()}-{member.code}"
            steps.append(
                MeetingStep(
                    day - timedelta(days=5),
                    key,
                    "schedule",
                    {"cell": cell, "members": expected, "scheduled_on": day},
                    organisation=member.organisation,
                )
            )
            attendance: list[dict[str, Any]] = [
                {"role": AttendeeRole.SECRETARY, "cell": cell, "person": names[cell]}
                | {"status": Attendance.PRESENT},
                {"role": AttendeeRole.COMMITTEE_MEMBER, "person": expected[-1]}
                | {"status": Attendance.PRESENT},
            ]
            if away:
                attendance.insert(
                    1,
                    {
                        "role": AttendeeRole.COMMITTEE_MEMBER,
                        "person": member.name,
                        "status": Attendance.ABSENT,
                        "excused": False,
                    },
                )
            held = {"chair": names[cell], "attendance": attendance}
            steps.append(MeetingStep(day, key, "hold", held, organisation=member.organisation))
            raised = []
            zone = district.zone_of_cell(cell).code
            later = [b for b in briefings(district, zone, day, end) if b > day]
            for _ in range(rng.choices([0, 1, 2], [65, 30, 5])[0]):
                index = plan.petitions
                petition = plan_petition(
                    rng,
                    index,
                    zone,
                    day,
                    later,
                    end,
                    cell,
                    departments,
                    partial(district.default_due_date, zone),
                    **words,
                )
                plan.steps += [
                    replace(at_cell_meeting(s, key, expected[-1]), organisation=member.organisation)
                    for s in petition
                ]
                plan.petitions += 1
                raised.append(index)
            text = f"Sinh hoạt chi bộ {district.cells[cell].name}: {len(raised)} ý kiến kiến nghị."
            minutes = {"text": text, "raised": raised, "read": [], "verdicts": []}
            steps.append(
                MeetingStep(
                    day, key, "minutes", minutes, late=True, organisation=member.organisation
                )
            )
        month = (month + timedelta(days=32)).replace(day=1)
    return steps


def commune_words(organisation: Organisation) -> dict[str, Any]:
    """How a commune of the province's demo words and assigns its petitions: its own
    departments by category, its voice (as ``demo_province`` plans them)."""
    code = organisation.code
    usual = {c: f"{code}-{own}" for c, own in demo_province.COMMUNE_DEPARTMENTS.items()}
    return {"usual": usual, "voice": demo_province.voice_of(organisation)}


def at_cell_meeting(step: Step, key: str, member: str) -> Step:
    """A petition's step as raised at a cell meeting that ``member`` attended."""
    if step.command == "raise":
        draft = replace(
            step.args["draft"], channel=str(Channel.CELL_MEETING), meeting=key, member=member
        )
        return replace(step, args={"draft": draft})
    if step.command == "answer_on_the_spot":
        return replace(step, args=step.args | {"meeting": key, "answered_by": member})
    return step

"""A realistic year of a demo district, recorded through the application.

Every zone holds its monthly briefing; cell secretaries raise reflections and proposals;
some are answered on the spot, most are assigned to a department, which answers on
time, late, or not yet; the next briefing verifies; unsatisfied answers reopen. The
plan is deterministic for a given seed and end date, so tests can recompute figures
from the same plan independently of the read models. The same plan serves a commune of
a province (``organisation``, its departments by category, its words); the province's
demo (``service.demo_province``) adds the referrals upward.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import Any
from uuid import UUID

from domain.actors import Actor, Command, Role
from domain.reference import District
from domain.vocabulary import QualityFlag, Verdict
from service.demo_answers import secretaries_flags, written_answer
from usecases.commands import (
    AnswerInWriting,
    AnswerOnTheSpot,
    Assign,
    Change,
    Close,
    Context,
    Decline,
    Escalate,
    ExtendDeadline,
    PetitionDraft,
    Refer,
    ReturnReferral,
    Verify,
    Withdraw,
)
from usecases.petitions import Petitions

DEMO_SEED = Path(__file__).parent / "seed" / "demo_district.json"

CLERK = Actor("van-phong-huyen-uy", Role.CLERK)
COMMITTEE = Actor("ban-thuong-vu", Role.COMMITTEE)

# category -> (department that usually answers, summaries)
TOPICS: dict[str, tuple[str, list[str]]] = {
    "transport": (
        "kinh-te-ha-tang",
        [
            "Đường liên thôn xuống cấp, nhiều ổ gà gây mất an toàn giao thông",
            "Đề nghị sửa chữa cầu tràn bị sạt lở sau mưa lũ",
            "Đèn chiếu sáng đường trục xã hỏng nhiều tháng chưa thay",
        ],
    ),
    "agriculture": (
        "nong-nghiep",
        [
            "Kênh mương nội đồng bồi lắng, không đủ nước tưới vụ đông xuân",
            "Đề nghị hỗ trợ giống lúa cho hộ bị thiệt hại do ngập úng",
            "Dịch tả lợn châu Phi tái phát, đề nghị hỗ trợ tiêu hủy",
        ],
    ),
    "environment": (
        "tai-nguyen-moi-truong",
        [
            "Rác thải sinh hoạt không được thu gom đúng lịch",
            "Cơ sở chăn nuôi gây ô nhiễm mùi và nguồn nước",
            "Chậm cấp giấy chứng nhận quyền sử dụng đất cho các hộ dân",
        ],
    ),
    "services": (
        "kinh-te-ha-tang",
        [
            "Đường ống nước sạch bị vỡ, nhiều hộ thiếu nước sinh hoạt",
            "Sóng điện thoại và internet yếu ở khu dân cư mới",
            "Chợ tạm lấn chiếm lòng đường",
        ],
    ),
    "policy": (
        "lao-dong-thuong-binh-xa-hoi",
        [
            "Chậm chi trả trợ cấp cho người có công",
            "Đề nghị rà soát lại danh sách hộ cận nghèo",
            "Hồ sơ hưởng bảo trợ xã hội của người cao tuổi chưa được giải quyết",
        ],
    ),
    "security": (
        "cong-an",
        [
            "Tình trạng đua xe trái phép vào ban đêm trên tuyến đê",
            "Đề nghị tăng cường tuần tra khu vực trường học",
            "Trộm cắp vật nuôi xảy ra nhiều lần trong thôn",
        ],
    ),
    "party": (
        "ban-to-chuc",
        [
            "Đề nghị hướng dẫn quy trình kết nạp đảng viên ở chi bộ thôn",
            "Chế độ phụ cấp cho bí thư chi bộ chưa được điều chỉnh",
            "Đề nghị cấp tài liệu sinh hoạt chuyên đề cho chi bộ",
        ],
    ),
    "other": (
        "van-hoa-thong-tin",
        [
            "Nhà văn hóa thôn xuống cấp, đề nghị hỗ trợ sửa chữa",
            "Loa truyền thanh cơ sở không hoạt động",
            "Đề nghị tổ chức tập huấn chuyển đổi số cho người dân",
        ],
    ),
}
CATEGORY_WEIGHTS = {
    "transport": 28,
    "agriculture": 18,
    "environment": 14,
    "services": 12,
    "policy": 12,
    "security": 8,
    "party": 4,
    "other": 4,
}
SECRETARIES = [
    "Nguyễn Văn Hùng",
    "Trần Thị Lan",
    "Lê Văn Thắng",
    "Phạm Thị Hoa",
    "Hoàng Văn Nam",
    "Vũ Thị Mai",
    "Đặng Văn Dũng",
    "Bùi Thị Hằng",
    "Đỗ Văn Tuấn",
    "Ngô Thị Thu",
]


@dataclass(frozen=True)
class Voice:
    """How an organisation's answers are worded: who answers on the spot (the leaders of
    the ``unit``) and how a department's letters are numbered."""

    unit: str = "huyện"
    document: Callable[[str], str] = lambda department: f"CV-{department[:6].upper()}"


DISTRICT = Voice()


@dataclass
class Step:
    """One command of the plan, on its business date; ``organisation``: the one its
    issuer acts for (None: the one-district demo's actors, of no organisation)."""

    on: date
    petition: int
    order: int
    command: str
    args: dict[str, Any] = field(default_factory=dict)
    organisation: str | None = None


@dataclass
class Plan:
    steps: list[Step]
    petitions: int


def briefings(district: District, zone: str, start: date, end: date) -> list[date]:
    days, day = [], start - timedelta(days=1)
    while (day := district.next_briefing(zone, day) or end + timedelta(days=1)) <= end:
        days.append(day)
    return days


def first_day(end: date, months: int, since: date | None = None) -> date:
    """The first day of a plan of ``months`` up to ``end``, none before ``since``."""
    start = end - timedelta(days=30 * months)
    return start if since is None else max(start, since)


def make_plan(
    district: District,
    end: date,
    *,
    per_briefing: int = 4,
    months: int = 12,
    seed: int = 2026,
    since: date | None = None,
    usual: dict[str, str] | None = None,
    voice: Voice = DISTRICT,
    organisation: str | None = None,
) -> Plan:
    """The commands of a district's ``months`` up to ``end`` (none before ``since``), in
    business-date order. For an organisation of a province: ``usual`` names its
    department for each category (else the district's of ``TOPICS``), ``voice`` its
    words, ``organisation`` the one every step's issuer acts for."""
    rng = random.Random(seed)
    steps: list[Step] = []
    start = first_day(end, months, since)
    cells_by_zone: dict[str, list[str]] = {}
    for cell in district.cells.values():
        cells_by_zone.setdefault(district.zone_of_cell(cell.code).code, []).append(cell.code)
    departments = sorted(district.departments)
    index = 0
    for zone in sorted(district.zones):
        meetings = briefings(district, zone, start, end)
        for m, meeting_day in enumerate(meetings):
            later = meetings[m + 1 :]
            for _ in range(per_briefing + rng.randint(-1, 1)):
                steps += plan_petition(
                    rng,
                    index,
                    zone,
                    meeting_day,
                    later,
                    end,
                    rng.choice(cells_by_zone[zone]),
                    departments,
                    partial(district.default_due_date, zone),
                    usual=usual,
                    voice=voice,
                    wording_seed=f"{seed}-{organisation}",
                )
                index += 1
    for step in steps:
        step.organisation = organisation
    steps.sort(key=lambda s: (s.on, s.petition, s.order))
    return Plan(steps, index)


def plan_petition(
    rng: random.Random,
    index: int,
    zone: str,
    raised_on: date,
    later_briefings: list[date],
    end: date,
    cell: str,
    departments: list[str],
    next_briefing: Callable[[date], date],
    *,
    usual: dict[str, str] | None = None,
    voice: Voice = DISTRICT,
    wording_seed: str = "",
) -> list[Step]:
    category = rng.choices(list(CATEGORY_WEIGHTS), weights=list(CATEGORY_WEIGHTS.values()))[0]
    usual_department, summaries = TOPICS[category]
    if usual is not None:
        usual_department = usual[category]
    summary = rng.choice(summaries)
    meeting = f"giao-ban-{zone}-{raised_on.isoformat()}"
    steps = [
        Step(
            raised_on,
            index,
            0,
            "raise",
            {
                "draft": PetitionDraft(
                    kind=rng.choice(["reflection", "proposal"]),
                    category=category,
                    summary=summary,
                    text=f"{summary}. Đề nghị cấp có thẩm quyền xem xét, giải quyết dứt điểm.",
                    cell=cell,
                    raised_by=rng.choice(SECRETARIES),
                    channel="meeting",
                    raised_on=raised_on,
                    meeting=meeting,
                )
            },
        )
    ]

    def add(on: date, command: str, **args: Any) -> bool:
        if on > end:
            return False
        steps.append(Step(on, index, len(steps), command, args))
        return True

    # the answers' wording and the secretaries' flags on it, of a source of their own
    wording = random.Random(f"{wording_seed}-{index}")
    answered: list[bool] = []  # whether each written answer so far was a generic one

    def verify_after(answered_on: date, *, last_round: bool) -> tuple[date, str] | None:
        verified_on = next((b for b in later_briefings if b > answered_on), None)
        if verified_on is None:
            return None
        verdict = Verdict.SATISFIED if last_round else rng.choices(list(Verdict), [65, 20, 15])[0]
        flags = (
            [] if verdict is Verdict.SATISFIED else rng.sample(list(QualityFlag), rng.randint(1, 2))
        )
        flags = secretaries_flags(wording, answered[-1] if answered else None, verdict, flags)
        add(
            verified_on,
            "verify",
            verdict=verdict,
            flags=flags,
            meeting=f"giao-ban-{zone}-{verified_on.isoformat()}",
        )
        return verified_on, verdict

    roll = rng.random()
    if roll < 0.12:
        add(
            raised_on,
            "answer_on_the_spot",
            text=f"Lãnh đạo {voice.unit} đã trả lời trực tiếp tại hội nghị.",
            answered_by=f"Phó Chủ tịch UBND {voice.unit}",
            meeting=meeting,
        )
        verify_after(raised_on, last_round=True)
        return steps
    if roll < 0.16:
        add(raised_on + timedelta(days=2), "withdraw", reason="Chi bộ đã tự giải quyết tại cơ sở.")
        return steps
    department = usual_department if rng.random() < 0.85 else rng.choice(departments)
    assigned_on = raised_on + timedelta(days=rng.randint(1, 4))
    if not add(assigned_on, "assign", department=department):
        return steps
    if department != usual_department and rng.random() < 0.5:
        declined_on = assigned_on + timedelta(days=rng.randint(2, 6))
        if not add(
            declined_on,
            "decline",
            department=department,
            reason="Nội dung không thuộc thẩm quyền của đơn vị.",
        ):
            return steps
        department, assigned_on = usual_department, declined_on + timedelta(days=2)
        if not add(assigned_on, "assign", department=department):
            return steps
    for round_ in range(3):
        due = next_briefing(assigned_on)
        extended_on = max(assigned_on, due - timedelta(days=3))
        if rng.random() < 0.08 and add(
            extended_on,
            "extend_deadline",
            due_on=due + timedelta(days=rng.randint(10, 25)),
            reason="Cần khảo sát hiện trường, xin ý kiến cấp tỉnh.",
        ):
            due = steps[-1].args["due_on"]
        gap = max(1, (due - max(assigned_on, extended_on)).days)
        pace = rng.random()
        if pace < 0.70:
            answered_on = due - timedelta(days=rng.randint(0, gap - 1))
        elif pace < 0.92:
            answered_on = due + timedelta(days=rng.randint(1, 20))
        else:
            add(due + timedelta(days=15), "escalate", reason="Quá hạn trả lời hơn 14 ngày.")
            return steps
        text, generic = written_answer(wording, summary, answered_on, voice.unit)
        if not add(
            answered_on,
            "answer_in_writing",
            department=department,
            text=text,
            document_number=f"{rng.randint(10, 999)}/{voice.document(department)}",
            document_date=answered_on - timedelta(days=rng.randint(0, 2)),
            signer="Trưởng phòng",
        ):
            return steps
        answered.append(generic)
        verified = verify_after(answered_on, last_round=round_ == 2)
        if verified is None or verified[1] is Verdict.SATISFIED:
            return steps
        assigned_on = verified[0]  # the verdict reopened it with the same department
    return steps


def run_plan(
    app: Petitions, plan: Plan, on_progress: Callable[[int], None] | None = None
) -> dict[int, UUID]:
    """Record the plan through the application; returns plan index -> petition id."""
    ids: dict[int, UUID] = {}
    for n, step in enumerate(plan.steps):
        apply_step(app, step, ids)
        if on_progress and n % 500 == 0:
            on_progress(n)
    return ids


# The plan's steps by name (the command's own), each the command it records.
CHANGES: dict[str, type[Change]] = {
    cls.command.value: cls
    for cls in (
        Assign,
        Decline,
        ExtendDeadline,
        AnswerInWriting,
        AnswerOnTheSpot,
        Verify,
        Escalate,
        Withdraw,
        Refer,
        ReturnReferral,
        Close,
    )
}
# The steps a department records: the plan names it (``department``), the command not.
BY_DEPARTMENT = (Command.DECLINE, Command.ANSWER_IN_WRITING, Command.RETURN_REFERRAL)


def issuer(step: Step) -> Actor:
    """Who records the step: the department its answer or refusal comes from, the clerk
    what is said at a briefing, the committee the rest; each of the step's organisation."""
    organisation = step.organisation
    if step.command in BY_DEPARTMENT:
        department = step.args["department"]
        return Actor(f"truong-{department}", Role.DEPARTMENT, department, organisation)
    clerk = step.command in (Command.RAISE, Command.ANSWER_ON_THE_SPOT, Command.VERIFY)
    if organisation is None:
        return CLERK if clerk else COMMITTEE
    if clerk:
        return Actor(f"van-phong-{organisation}", Role.CLERK, organisation=organisation)
    return Actor(f"ban-thuong-vu-{organisation}", Role.COMMITTEE, organisation=organisation)


def apply_step(app: Petitions, step: Step, ids: dict[int, UUID]) -> None:
    if step.command == "raise":
        ids[step.petition] = app.raise_petition(step.args["draft"], Context(issuer(step))).id
        return
    if step.command not in CHANGES:
        raise ValueError(f"unknown step {step.command}")
    fields = dict(step.args)
    if step.command in BY_DEPARTMENT:
        fields.pop("department")  # who answers, declines or returns: the issuer
    if "flags" in fields:
        fields["flags"] = tuple(fields["flags"])
    command = CHANGES[step.command](petition_id=ids[step.petition], on=step.on, **fields)
    app.handle(command, Context(issuer(step)))

"""The demo province's years, recorded through the application.

The dissolved district records its last year, up to the day before it ceased to exist
(``service.demo``'s district plan, its actors of the district), and its committee closes
what is still open that day, handed over to the communes; each commune records its
year since it began, up to the end date, with its own departments, briefings and words.
Some of a commune's petitions are beyond its authority: its committee refers them to a
department of the province, which answers in writing, and the commune's clerk verifies
the answer at the commune's next briefing. A referral or two is returned (within the
commune's authority) and assigned again within the commune. Deterministic for a seed
and an end date, as the district's plan is.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path

from domain.actors import Command
from domain.organisations import Level, Organisation
from domain.reference import District, Province
from domain.vocabulary import Verdict
from service.demo import Plan, Step, Voice, briefings, make_plan
from service.demo_answers import secretaries_flags, written_answer

PROVINCE_SEED = Path(__file__).parent / "seed" / "demo_province.json"

# A commune's department (the code after the commune's) for each category.
COMMUNE_DEPARTMENTS = {
    "transport": "kinh-te",
    "agriculture": "kinh-te",
    "environment": "kinh-te",
    "services": "kinh-te",
    "policy": "van-hoa-xa-hoi",
    "security": "cong-an",
    "party": "xay-dung-dang",
    "other": "van-hoa-xa-hoi",
}
# How a commune's department numbers its letters (the code after the commune's).
COMMUNE_LETTERS = {
    "van-phong": "UBND-VP",
    "kinh-te": "UBND-KT",
    "van-hoa-xa-hoi": "UBND-VHXH",
    "hanh-chinh-cong": "TTPVHCC",
    "cong-an": "CA",
    "quan-su": "BCHQS",
    "van-phong-dang-uy": "VPĐU",
    "xay-dung-dang": "BXDĐ",
    "kiem-tra": "UBKTĐU",
    "mttq": "MTTQ",
}
# The matters a commune refers upward: category, the province department, the summary.
MATTERS: list[tuple[str, str, str]] = [
    (
        "transport",
        "so-xay-dung",
        "Đề nghị tỉnh đầu tư nâng cấp đường tỉnh ĐT.386 đoạn qua địa bàn, mặt đường hư hỏng nặng",
    ),
    (
        "transport",
        "so-xay-dung",
        "Cầu treo qua sông xuống cấp, kinh phí sửa chữa vượt khả năng ngân sách xã",
    ),
    (
        "services",
        "so-xay-dung",
        "Nhà máy nước sạch liên xã cấp nước không ổn định, đề nghị tỉnh chỉ đạo doanh nghiệp",
    ),
    (
        "agriculture",
        "so-nong-nghiep-moi-truong",
        "Kênh tiêu liên xã bồi lắng, đề nghị tỉnh bố trí kinh phí nạo vét trước mùa mưa",
    ),
    (
        "environment",
        "so-nong-nghiep-moi-truong",
        "Cụm công nghiệp xả nước thải chưa qua xử lý ra kênh tưới của các thôn",
    ),
    (
        "environment",
        "so-nong-nghiep-moi-truong",
        "Hồ sơ cấp giấy chứng nhận quyền sử dụng đất tồn đọng từ khi sắp xếp đơn vị hành chính",
    ),
    (
        "policy",
        "so-noi-vu",
        "Chế độ cho cán bộ không chuyên trách dôi dư sau sắp xếp chưa được chi trả",
    ),
    (
        "policy",
        "so-noi-vu",
        "Hồ sơ xác nhận người có công chuyển từ huyện chưa được giải quyết",
    ),
    (
        "other",
        "so-y-te",
        "Trạm y tế xã thiếu bác sĩ sau khi trung tâm y tế huyện được tổ chức lại",
    ),
    (
        "other",
        "so-giao-duc-dao-tao",
        "Đề nghị bổ sung giáo viên cho các điểm trường lẻ trước năm học mới",
    ),
    (
        "security",
        "cong-an-tinh",
        "Khai thác cát trái phép trên sông kéo dài, vượt khả năng xử lý của công an xã",
    ),
]
# How a department of the province numbers its letters, and who signs them.
PROVINCE_LETTERS = {
    "so-xay-dung": "SXD-HTKT",
    "so-nong-nghiep-moi-truong": "SNNMT-QLĐĐ",
    "so-y-te": "SYT-TCCB",
    "so-giao-duc-dao-tao": "SGDĐT-TCCB",
    "so-tai-chinh": "STC-QLNS",
    "so-noi-vu": "SNV-CCVC",
    "so-van-hoa-the-thao-du-lich": "SVHTTDL-VP",
    "cong-an-tinh": "CAT-PC03",
}
SIGNERS = {"cong-an-tinh": "Phó Giám đốc Công an tỉnh"}


@dataclass(frozen=True)
class Referral:
    """A petition of the plan (``petition``) referred by ``organisation`` to the
    province's ``department``; ``returned``: given back and assigned within it."""

    petition: int
    organisation: str
    department: str
    returned: bool


@dataclass
class ProvincePlan(Plan):
    """The province's plan: every organisation's steps, in business-date order."""

    organisation_of: dict[int, str] = field(default_factory=dict)  # petition -> raised in
    referrals: list[Referral] = field(default_factory=list)


def voice_of(organisation: Organisation) -> Voice:
    """A commune's words: its leaders answer on the spot, its departments' letters."""
    unit = "phường" if organisation.name.startswith("Phường") else "xã"
    prefix = f"{organisation.code}-"

    def document(department: str) -> str:
        own = department.removeprefix(prefix)
        return COMMUNE_LETTERS.get(own, own.upper())

    return Voice(unit=unit, document=document)


def make_province_plan(
    province: Province,
    end: date,
    *,
    seed: int = 2026,
    per_briefing: int = 2,
    months: int = 12,
    refer_share: float = 0.12,
    returns: int = 2,
) -> ProvincePlan:
    """The commands of every organisation below the province up to ``end``: a dissolved
    district's last year (the district plan, ``seed``), each commune's ``months`` since it
    began (``per_briefing`` petitions a zone's briefing), about ``refer_share`` of its
    assigned petitions referred upward, the first referral of the first ``returns``
    communes returned."""
    steps: list[Step] = []
    organisation_of: dict[int, str] = {}
    referrals: list[Referral] = []
    offset = 0
    for organisation in province.below():
        reference = province.reference(organisation.code)
        last = last_day(organisation, end)
        if organisation.active_until is not None and last is not None:
            plan = make_plan(reference, last, seed=seed, organisation=organisation.code)
            planned = plan.steps + handover(plan, last, organisation)
        elif organisation.level is Level.COMMUNE:
            plan = make_plan(
                reference,
                end,
                per_briefing=per_briefing,
                months=months,
                seed=seed,
                since=organisation.active_from,
                usual={
                    category: f"{organisation.code}-{own}"
                    for category, own in COMMUNE_DEPARTMENTS.items()
                },
                voice=voice_of(organisation),
                organisation=organisation.code,
            )
            rng = random.Random(f"{seed}-{organisation.code}")
            planned, referred = refer_some(
                rng,
                plan,
                reference,
                organisation,
                province.code,
                end,
                share=refer_share,
                returns=1 if returns > 0 else 0,
            )
            returns -= any(r.returned for r in referred)
            referrals += [replace(r, petition=r.petition + offset) for r in referred]
        else:  # a district still active: no demo of its own
            continue
        for step in planned:
            step.petition += offset
        steps += planned
        organisation_of.update({offset + n: organisation.code for n in range(plan.petitions)})
        offset += plan.petitions
    steps.sort(key=lambda s: (s.on, s.petition, s.order))
    return ProvincePlan(steps, offset, organisation_of, referrals)


def last_day(organisation: Organisation, end: date) -> date | None:
    """The last day of the organisation's demo: ``end``, or the day before it ceased to
    exist; None: a district still active has no demo of its own."""
    if organisation.active_until is not None:
        return min(end, organisation.active_until - timedelta(days=1))
    return end if organisation.level is Level.COMMUNE else None


def handover(plan: Plan, on: date, organisation: Organisation) -> list[Step]:
    """The district committee closes, ``on`` its last day, every petition of its plan
    still open then (neither withdrawn nor verified as satisfied)."""
    last: dict[int, Step] = {}
    for step in plan.steps:
        if step.petition not in last or step.order > last[step.petition].order:
            last[step.petition] = step
    reason = (
        f"{organisation.name} kết thúc hoạt động từ ngày "
        f"{(on + timedelta(days=1)).strftime('%d/%m/%Y')}; hồ sơ chuyển cho xã, phường "
        "kế thừa địa bàn."
    )
    return [
        Step(on, index, step.order + 1, Command.CLOSE, {"reason": reason}, organisation.code)
        for index, step in sorted(last.items())
        if not (
            step.command == Command.WITHDRAW
            or (step.command == Command.VERIFY and step.args["verdict"] is Verdict.SATISFIED)
        )
    ]


AWAITING = timedelta(days=14)  # a referral this recent awaits the province's answer


def refer_some(
    rng: random.Random,
    plan: Plan,
    reference: District,
    organisation: Organisation,
    province: str,
    end: date,
    *,
    share: float,
    returns: int,
) -> tuple[list[Step], list[Referral]]:
    """The commune's plan with about ``share`` of the petitions it assigns referred to
    the province instead (the first ``returns`` of them returned)."""
    by_petition: dict[int, list[Step]] = defaultdict(list)
    for step in plan.steps:
        by_petition[step.petition].append(step)
    steps: list[Step] = []
    referrals: list[Referral] = []
    recent_left = 1  # one matter of the last days is with the province still, unanswered
    for index in sorted(by_petition):
        own = sorted(by_petition[index], key=lambda s: s.order)
        if len(own) < 2 or own[1].command != Command.ASSIGN:
            steps += own
            continue
        recent = recent_left > 0 and end - own[1].on < AWAITING
        if not recent and rng.random() >= share:
            steps += own
            continue
        recent_left -= recent
        returned = len(referrals) < returns
        department, referred = refer_petition(
            rng, own[0], own[1].on, reference, organisation, province, end, returned=returned
        )
        steps += referred
        referrals.append(Referral(index, organisation.code, department, returned))
    return steps, referrals


def refer_petition(
    rng: random.Random,
    raised: Step,
    referred_on: date,
    reference: District,
    organisation: Organisation,
    province: str,
    end: date,
    *,
    returned: bool,
) -> tuple[str, list[Step]]:
    """A petition's steps as a referral: raised with a matter beyond the commune, referred
    on ``referred_on``, answered by the province department (or returned, assigned and
    answered within the commune), verified at the commune's next briefing."""
    category, department, summary = rng.choice(MATTERS)
    if not returned and end - referred_on < AWAITING:  # the matter the demo's token holds
        category, department, summary = MATTERS[0]
    voice = voice_of(organisation)
    draft = replace(
        raised.args["draft"],
        category=category,
        summary=summary,
        text=f"{summary}. Nội dung vượt thẩm quyền của {voice.unit}, đề nghị cấp tỉnh giải quyết.",
    )
    zone = reference.zone_of_cell(draft.cell).code
    own, raised_on = organisation.code, draft.raised_on
    steps = [Step(raised_on, raised.petition, 0, Command.RAISE, {"draft": draft}, own)]

    def add(on: date, command: Command, by: str, **args: object) -> bool:
        if on > end:
            return False
        steps.append(Step(on, raised.petition, len(steps), command, dict(args), by))
        return True

    note = f"Vượt thẩm quyền của {voice.unit}; chuyển {department} xem xét, giải quyết."
    if not add(
        referred_on, Command.REFER, own, organisation=province, department=department, note=note
    ):
        return department, steps
    if not returned and end - referred_on < AWAITING:
        return department, steps  # in the province department's inbox, to be answered
    answering, by, assigned_on = department, province, referred_on
    letter, signer = PROVINCE_LETTERS[department], SIGNERS.get(department, "Phó Giám đốc Sở")
    if returned:
        back = referred_on + timedelta(days=rng.randint(3, 6))
        answering = f"{own}-{COMMUNE_DEPARTMENTS[category]}"
        assigned_on = back + timedelta(days=2)
        if not (
            add(
                back,
                Command.RETURN_REFERRAL,
                province,
                department=department,
                reason=f"Nội dung thuộc thẩm quyền giải quyết của {voice.unit}; "
                f"đề nghị {voice.unit} chỉ đạo giải quyết theo quy định.",
            )
            and add(assigned_on, Command.ASSIGN, own, department=answering)
        ):
            return department, steps
        by, letter, signer = own, voice.document(answering), "Trưởng phòng"
    due = reference.default_due_date(zone, assigned_on)
    gap = max(1, (due - assigned_on).days)
    if rng.random() < 0.75:
        answered_on = assigned_on + timedelta(days=rng.randint(max(1, gap // 3), gap))
    else:
        answered_on = due + timedelta(days=rng.randint(2, 12))
    wording = random.Random(f"{own}-{raised.petition}-referral")  # the answers' own source
    text, generic = written_answer(wording, summary, answered_on, voice.unit)
    if not add(
        answered_on,
        Command.ANSWER_IN_WRITING,
        by,
        department=answering,
        text=text,
        document_number=f"{rng.randint(100, 2999)}/{letter}",
        document_date=max(raised_on, answered_on - timedelta(days=rng.randint(0, 2))),
        signer=signer,
    ):
        return department, steps
    verified_on = next(iter(briefings(reference, zone, answered_on + timedelta(days=1), end)), None)
    if verified_on is not None:
        add(
            verified_on,
            Command.VERIFY,
            own,
            verdict=Verdict.SATISFIED,
            flags=secretaries_flags(wording, generic, Verdict.SATISFIED, []),
            meeting=f"giao-ban-{zone}-{verified_on.isoformat()}",
        )
    return department, steps

"""How the demo's departments word their written answers, and how the cell secretaries
judge that wording in their flags.

Two separate sets of templates: a *generic* answer is boilerplate, the same few letters
sent on any petition (no date, amount, place nor document); a *good* answer takes up the
petition's matter and names when, how much, where and under which document. Which one a
department sends is drawn (``GENERIC_SHARE``) from a random source of the answers' own,
apart from the plan's, so the plan's lifecycles stay as they were.

The secretaries' flags follow the wording, with noise: it is their judgement, not the
template. A verdict's flags are first drawn as before (``base``, of the plan's source),
then swayed: a generic answer is flagged generic more often (even when the verdict is
satisfied), a good one seldom."""

from __future__ import annotations

import random
from datetime import date, timedelta

from domain.vietnam import written
from domain.vocabulary import QualityFlag, Verdict

GENERIC_SHARE = 0.4
GENERIC_ANSWERS = (
    "Đơn vị đã tiếp thu ý kiến của chi bộ và sẽ xem xét, giải quyết theo quy định.",
    "Đơn vị đã kiểm tra thực tế và có phương án xử lý, dự kiến hoàn thành trong thời gian tới.",
    "Nội dung phản ánh đã được ghi nhận; đơn vị sẽ phối hợp với các ngành liên quan để xử lý.",
    "Đơn vị đã chỉ đạo bộ phận chuyên môn rà soát, báo cáo và đề xuất hướng giải quyết phù hợp.",
    "Vấn đề đã được đưa vào kế hoạch và sẽ được giải quyết khi bố trí được kinh phí.",
    "Đơn vị ghi nhận, tiếp tục theo dõi và xử lý theo thẩm quyền.",
)
PLACES = (
    "thôn Đông Hòa",
    "thôn Trung Thành",
    "thôn Bắc Sơn",
    "xóm Tân Lập",
    "thôn Phú Xuân",
    "khu dân cư Hòa Bình",
    "thôn Yên Thái",
    "xóm Cầu Gỗ",
    "tổ dân phố Quyết Tiến",
    "thôn Lạc Long",
)
OPENINGS = (
    "Ngày {checked}, đoàn kiểm tra của đơn vị đã khảo sát tại {place} về việc {matter}.",
    "Về việc {matter}, ngày {checked} đơn vị đã làm việc trực tiếp với các hộ dân tại {place}.",
    "Tiếp nhận ý kiến về việc {matter}, ngày {checked} cán bộ chuyên môn đã có mặt tại {place}.",
)
ACTIONS = (
    "Đã bố trí {amount} triệu đồng từ ngân sách {unit} để khắc phục, {households} hộ được "
    "hưởng lợi.",
    "Đơn vị đã lập biên bản với {households} hộ liên quan; kinh phí khắc phục {amount} triệu "
    "đồng đã được phê duyệt.",
    "Tổ công tác đã xử lý {points} điểm, hoàn thành {percent}% khối lượng, kinh phí {amount} "
    "triệu đồng.",
)
DOCUMENTS = (
    "Việc xử lý thực hiện theo Quyết định số {number}/QĐ-UBND ngày {signed}.",
    "Nội dung được triển khai theo Kế hoạch số {number}/KH-UBND ngày {signed}.",
    "Căn cứ Công văn số {number}/UBND-KT ngày {signed}, đơn vị đã giao nhiệm vụ cụ thể.",
)
DEADLINES = (
    "Dự kiến hoàn thành trước ngày {due}.",
    "Kết quả sẽ được báo cáo tại hội nghị giao ban trước ngày {due}.",
)


def written_answer(
    rng: random.Random, summary: str, answered_on: date, unit: str
) -> tuple[str, bool]:
    """A department's answer to the petition of ``summary`` on ``answered_on``, and whether
    it is a generic one."""
    if rng.random() < GENERIC_SHARE:
        return rng.choice(GENERIC_ANSWERS), True
    signed = answered_on - timedelta(days=rng.randint(5, 40))
    words = {
        "matter": summary[0].lower() + summary[1:],
        "place": rng.choice(PLACES),
        "checked": written(answered_on - timedelta(days=rng.randint(1, 10))),
        "amount": rng.choice([15, 28, 45, 60, 120, 250, 380]),
        "households": rng.randint(6, 90),
        "points": rng.randint(2, 12),
        "percent": rng.choice([60, 70, 80, 90]),
        "unit": unit,
        "number": rng.randint(12, 980),
        "signed": written(signed),
        "due": written(answered_on + timedelta(days=rng.randint(20, 90))),
    }
    parts = (OPENINGS, ACTIONS, DOCUMENTS, DEADLINES)
    return " ".join(rng.choice(p).format(**words) for p in parts), False


def secretaries_flags(
    rng: random.Random, generic: bool | None, verdict: Verdict, base: list[QualityFlag]
) -> list[QualityFlag]:
    """The flags the secretaries give a written answer (``generic``: whether its wording
    is; None: no written answer) with ``verdict``, ``base`` the flags drawn for it."""
    flags = set(base)
    if generic is None:
        return list(base)
    if generic:
        chance = 0.55 if verdict is Verdict.SATISFIED else 0.85
        if rng.random() < chance:
            flags.add(QualityFlag.GENERIC)
    elif QualityFlag.GENERIC in flags and rng.random() < 0.8:
        flags.discard(QualityFlag.GENERIC)
    elif verdict is Verdict.SATISFIED and rng.random() < 0.03:
        flags.add(QualityFlag.GENERIC)
    if verdict is not Verdict.SATISFIED and not flags:
        flags.add(QualityFlag.UNPERSUASIVE)
    return [f for f in QualityFlag if f in flags]

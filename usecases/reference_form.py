"""Reading an administration form as an import's row is read: every field checked, every
fault kept with its field and its reason in Vietnamese (and English, for the switch),
nothing planned unless none is found."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date

from domain.calendar import BusinessDates
from domain.reference import Province
from domain.vietnam import written_date

CODE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
CODE_MAX = 80
NAME_MAX = 200


def dmy(day: date) -> str:
    return f"{day:%d/%m/%Y}"


@dataclass(frozen=True)
class Fault:
    """What is wrong with one field of a form ('' for the form as a whole)."""

    field: str
    message: str  # Vietnamese
    message_en: str


class Refusal(Exception):
    """A change refused whole: every fault of its form."""

    def __init__(self, faults: list[Fault]) -> None:
        super().__init__("; ".join(f"{f.field}: {f.message_en}" for f in faults))
        self.faults = faults

    def by_field(self, english: bool = False) -> dict[str, str]:
        found: dict[str, str] = {}
        for f in self.faults:
            found.setdefault(f.field, f.message_en if english else f.message)
        return found


@dataclass
class Form:
    """The posted values of one form, and the faults found reading them."""

    values: Mapping[str, str]
    province: Province
    today: date
    dates: BusinessDates
    faults: list[Fault] = field(default_factory=list)

    def fault(self, name: str, message: str, message_en: str) -> None:
        self.faults.append(Fault(name, message, message_en))

    def has_fault(self, name: str) -> bool:
        return any(f.field == name for f in self.faults)

    def text(self, name: str) -> str:
        return (self.values.get(name) or "").strip()

    def required(self, name: str) -> str:
        value = self.text(name)
        if not value:
            self.fault(name, "Cần nhập.", "Required.")
        return value

    def new_code(self, name: str = "code") -> str:
        """A code for something new: well formed and used by nothing of the deployment."""
        code = self.required(name)
        if not code:
            return code
        if len(code) > CODE_MAX:
            self.fault(name, f"Mã dài tối đa {CODE_MAX} ký tự.", f"At most {CODE_MAX} characters.")
        elif not CODE.fullmatch(code):
            self.fault(
                name,
                "Mã chỉ gồm chữ thường không dấu, chữ số và dấu gạch ngang (ví dụ: thon-3).",
                "A code is lower-case letters without accents, digits and hyphens (e.g. thon-3).",
            )
        elif code in codes_of(self.province):
            self.fault(name, f"Mã «{code}» đã dùng cho một mục khác.", f"«{code}» is in use.")
        return code

    def name(self, name: str = "name", *, taken: Collection[str] = (), where: str = "") -> str:
        value = " ".join(self.required(name).split())
        if len(value) > NAME_MAX:
            self.fault(name, f"Tên dài tối đa {NAME_MAX} ký tự.", f"At most {NAME_MAX} characters.")
        elif value and value in taken:
            self.fault(
                name, f"Đã có «{value}» {where}.".replace(" .", "."), f"«{value}» already exists."
            )
        return value

    def day(self, name: str, *, required: bool = True, not_after_today: bool = True) -> date | None:
        """A date as the pages send it (yyyy-mm-dd) or as people write it (dd/mm/yyyy),
        within the service's dates, and not later than today where asked."""
        value = self.text(name)
        if not value:
            if required:
                self.fault(name, "Cần nhập.", "Required.")
            return None
        found = written_date(value)
        if found is None:
            self.fault(name, "Không phải ngày hợp lệ (ngày/tháng/năm).", "Not a date (dd/mm/yyyy).")
            return None
        if found < self.dates.earliest:
            self.fault(
                name,
                f"Không được trước {dmy(self.dates.earliest)}.",
                f"Not before {self.dates.earliest.isoformat()}.",
            )
            return None
        if found > (self.today if not_after_today else self.dates.latest):
            latest = self.today if not_after_today else self.dates.latest
            self.fault(
                name,
                f"Không được sau {dmy(latest)}" + (" (hôm nay)." if not_after_today else "."),
                f"Not after {latest.isoformat()}.",
            )
            return None
        return found

    def check(self) -> None:
        if self.faults:
            raise Refusal(self.faults)


def codes_of(province: Province) -> set[str]:
    """Every code the deployment uses (a code names one thing in it)."""
    return set(province.organisations) | {
        code
        for r in province.references.values()
        for table in (r.zones, r.communes, r.cells, r.departments)
        for code in table
    }

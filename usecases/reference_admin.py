"""The administration of reference data: an admin adds and renames zones, communes, cells
and departments, retires cells and departments, sets each category's default department
and keeps the briefing calendars (the rule, briefings moved or cancelled) and the cells'
calendars (``usecases.calendar_admin``), for the organisations it administers
(``usecases.access.administered``).

Each change is one form, read whole (``usecases.reference_form``): every fault with its
field and reason, and nothing written unless there is none. A valid change is written in
one transaction with its row of history, who and when (``stores.reference_changes``),
and every process reads the reference data again. A rename keeps the old name with the
day it gave way, and a retirement keeps the cell or department, so a petition of before
still reads the name of then and nothing new chooses what was retired.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from domain.calendar import BusinessDates
from domain.organisations import Level, Organisation
from domain.reference import District, Province
from stores.reference_changes import (
    Change,
    Delete,
    Insert,
    Op,
    Record,
    ReferenceChanges,
    Taken,
    Update,
    Upsert,
    Who,
)
from stores.tokens import Principal
from usecases import access, clearance
from usecases.calendar_admin import (
    CELL_ACTIONS,
    change,
    check_scheduled,
    check_stale,
    exception_of,
    held_or_cancelled,
    plan_cell_calendar,
    rule_of,
    stale_days,
)
from usecases.reference_form import Fault, Form, Refusal, dmy

Plan = tuple[list[Op], Record]
KINDS = ("zones", "communes", "cells", "departments", "categories", "calendars")
ACTIONS: dict[str, tuple[str, ...]] = {
    "zones": ("create", "rename"),
    "communes": ("create", "rename"),
    "cells": ("create", "rename", "retire"),
    "departments": ("create", "rename", "retire"),
    "categories": ("defaults",),
    "calendars": ("rule", "exception", "remove", *CELL_ACTIONS, clearance.SETTING),
}
# the table and the history's kind of each kind of thing kept by code
TABLES = {
    "zones": ("ref_zones", "zone"),
    "communes": ("ref_communes", "commune"),
    "cells": ("ref_cells", "cell"),
    "departments": ("ref_departments", "department"),
}


@dataclass(frozen=True)
class Target:
    """The organisation a change is of, with its reference data."""

    organisation: Organisation
    reference: District

    @property
    def code(self) -> str:
        return self.organisation.code

    def things(self, kind: str) -> Mapping[str, Any]:
        r = self.reference
        tables: dict[str, Mapping[str, Any]] = {
            "zones": r.zones,
            "communes": r.communes,
            "cells": r.cells,
            "departments": r.departments,
        }
        return tables[kind]


def existing(form: Form, target: Target, kind: str) -> Any:
    code = form.required("code")
    found = target.things(kind).get(code)
    if code and found is None:
        form.fault("code", f"Không có mục «{code}» trong danh mục này.", f"No «{code}» here.")
    return found


def plan_create(form: Form, target: Target, kind: str) -> Plan:
    table, what = TABLES[kind]
    code = form.new_code()
    r = target.reference
    values: dict[str, Any] = {"code": code, "organisation": target.code}
    if kind == "communes" and target.organisation.level is not Level.DISTRICT:
        form.fault("", "Chỉ huyện có xã trực thuộc.", "Only a district has communes.")
    if kind in ("communes", "cells") and target.organisation.level is Level.DISTRICT:
        parent = "zone" if kind == "communes" else "commune"
        chosen = form.required(parent)
        pool: Mapping[str, Any] = r.zones if kind == "communes" else r.communes
        if chosen and chosen not in pool:
            form.fault(parent, "Không thuộc tổ chức này.", "Not of this organisation.")
        values[parent] = chosen
        if kind == "cells":
            values["zone"] = pool[chosen].zone if chosen in pool else None
    elif kind == "cells":  # a commune's cell: of the commune, in one of its zones
        zone = form.required("zone")
        if zone and zone not in r.zones:
            form.fault(
                "zone", "Không phải cụm của tổ chức này.", "Not a zone of this organisation."
            )
        values |= {"commune": target.code, "zone": zone}
    siblings = [
        t.name
        for t in target.things(kind).values()
        if kind != "cells" or (t.commune, t.zone) == (values.get("commune"), values.get("zone"))
    ]
    values["name"] = form.name(taken=siblings, where="ở đây")
    form.check()
    details = {k: change(None, v) for k, v in values.items() if k not in ("code", "organisation")}
    return [Insert(table, values)], Record(target.code, what, code, "create", details)


def plan_rename(form: Form, target: Target, kind: str) -> Plan:
    table, what = TABLES[kind]
    found = existing(form, target, kind)
    name = form.name()
    if found is not None and name == found.name:
        form.fault("name", "Tên mới trùng tên hiện tại.", "That is the current name.")
    ops: list[Op] = []
    effective = None
    if kind in ("cells", "departments"):
        # the old name stays valid for what happened before the rename
        effective = form.day("effective")
        if found is not None and effective is not None and found.former:
            last = found.former[-1].until
            if effective <= last:
                form.fault(
                    "effective",
                    f"Phải sau lần đổi tên trước ({dmy(last)}).",
                    f"Must come after the last rename ({last.isoformat()}).",
                )
        if found is not None and effective is not None:
            ops.append(
                Insert(
                    "ref_former_names",
                    {"kind": what, "code": found.code, "until": effective, "name": found.name},
                )
            )
    form.check()
    ops.append(Update(table, {"code": found.code}, {"name": name}))
    record = Record(
        target.code, what, found.code, "rename", {"name": change(found.name, name)}, effective
    )
    return ops, record


def plan_retire(form: Form, target: Target, kind: str) -> Plan:
    table, what = TABLES[kind]
    found = existing(form, target, kind)
    day = form.day("retired_on")
    if found is not None and found.retired_on is not None:
        form.fault(
            "code",
            f"Đã thôi hoạt động từ {dmy(found.retired_on)}.",
            f"Retired since {found.retired_on.isoformat()}.",
        )
    form.check()
    details = {"retired_on": change(None, day)}
    return (
        [Update(table, {"code": found.code}, {"retired_on": day})],
        Record(target.code, what, found.code, "retire", details, day),
    )


def plan_defaults(form: Form, target: Target, kind: str) -> Plan:
    """Every category's default department at once (blank: none)."""
    r = target.reference
    ops: list[Op] = []
    details: dict[str, dict[str, Any]] = {}
    for code, category in r.categories.items():
        chosen = form.text(code) or None
        department = r.departments.get(chosen or "")
        if chosen is not None and department is None:
            form.fault(code, "Không phải đơn vị của tổ chức này.", "Not a department of this one.")
        elif (
            department is not None
            and not department.open_on(form.today)
            and (chosen != category.department)
        ):
            form.fault(code, "Đơn vị đã thôi hoạt động.", "That department is retired.")
        if chosen == category.department:
            continue
        details[code] = change(category.department, chosen)
        key = {"organisation": target.code, "category": code}
        ops.append(
            Upsert("ref_category_departments", {**key, "department": chosen})
            if chosen
            else Delete("ref_category_departments", key)
        )
    if not details and not form.faults:
        form.fault("", "Không có gì thay đổi.", "Nothing was changed.")
    form.check()
    return ops, Record(target.code, "category", "*", "defaults", details)


def plan_calendar(form: Form, target: Target, kind: str, action: str) -> Plan:
    r = target.reference
    zone_code = form.required("zone")
    zone = r.zones.get(zone_code)
    if zone_code and zone is None:
        form.fault("zone", "Không phải cụm của tổ chức này.", "Not a zone of this organisation.")
    calendar = zone.calendar if zone is not None else None
    if action == "rule":
        rule = rule_of(form)
        check_stale(form, stale_days(calendar, rule))
        before = str(calendar.rule) if calendar is not None else None
        after = str(rule) if rule is not None else None
        if zone is not None and before == after and not form.faults:
            form.fault("rule", "Không có gì thay đổi.", "Nothing was changed.")
        form.check()
        details = {"briefing_rule": change(before, after)}
        return [Update("ref_zones", {"code": zone_code}, {"briefing_rule": after})], Record(
            target.code, "calendar", zone_code, action, details
        )
    scheduled = form.day("scheduled", not_after_today=False)
    if zone is not None and calendar is None:
        form.fault("zone", "Cụm này chưa có lịch giao ban.", "This zone keeps no calendar.")
    check_scheduled(form, calendar, scheduled, action)
    if action == "remove":
        form.check()
        assert calendar is not None and scheduled is not None
        details = {"held_on": change(exception_of(calendar, scheduled), None)}
        return [Delete("ref_briefing_exceptions", {"zone": zone_code, "scheduled": scheduled})], (
            Record(target.code, "calendar", zone_code, action, details, scheduled)
        )
    held_on = form.day("held_on", required=False, not_after_today=False)
    if held_on is not None and held_on == scheduled:
        form.fault("held_on", "Trùng ngày theo lịch.", "That is the scheduled day.")
    form.check()
    assert calendar is not None and scheduled is not None
    details = {"held_on": change(exception_of(calendar, scheduled), held_or_cancelled(held_on))}
    record = Record(target.code, "calendar", zone_code, action, details, scheduled)
    values = {"zone": zone_code, "scheduled": scheduled, "held_on": held_on}
    return [Upsert("ref_briefing_exceptions", values)], record


PLANNERS: dict[str, Callable[[Form, Target, str], Plan]] = {
    "create": plan_create,
    "rename": plan_rename,
    "retire": plan_retire,
    "defaults": plan_defaults,
}


class ReferenceAdmin:
    """The admin's changes and the auditor's history, over the reference store."""

    def __init__(
        self,
        changes: ReferenceChanges,
        load: Callable[[], Province],
        installed: Callable[[Province], None],
    ) -> None:
        self.changes = changes
        self.load = load  # the reference data as the store holds it now
        self.installed = installed  # what is done with it once changed

    def target(self, principal: Principal, province: Province, organisation: str | None) -> Target:
        found = access.administered_organisation(principal.actor, province, organisation)
        return Target(found, province.reference(found.code))

    def apply(
        self,
        principal: Principal,
        organisation: str | None,
        kind: str,
        action: str,
        values: Mapping[str, str],
        today: date,
        dates: BusinessDates,
    ) -> Record:
        """Check and write one change (``Refusal`` with every fault, nothing written)."""
        province = self.load()  # validated against the store's data, not a process's copy
        target = self.target(principal, province, organisation)
        if action not in ACTIONS.get(kind, ()):
            raise Refusal([Fault("", "Thao tác không hợp lệ.", "Not an action of this page.")])
        form = Form(values, province, today, dates)
        if action == clearance.SETTING:
            ops, record = clearance.plan_setting(form, target)
        elif action in CELL_ACTIONS:
            ops, record = plan_cell_calendar(form, target, kind, action)
        elif kind == "calendars":
            ops, record = plan_calendar(form, target, kind, action)
        else:
            ops, record = PLANNERS[action](form, target, kind)
        who = Who(principal.token_id, principal.full_name or principal.name, principal.role.value)
        try:
            self.changes.apply(ops, record, who)
        except Taken:
            raise Refusal(
                [Fault("code", "Mã vừa được dùng cho mục khác.", "That code was just taken.")]
            ) from None
        self.installed(self.load())
        return record

    def history(
        self, principal: Principal, province: Province, *, limit: int = 200, offset: int = 0
    ) -> list[Change]:
        scope = access.reference_history_scope(principal.actor, province)
        return self.changes.history(scope, limit=limit, offset=offset)

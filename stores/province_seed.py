"""The seed file of a province: validated whole, then turned into the reference tables' rows.

A seed names the province (with its own departments), the organisations below it (each
with its zones, communes, cells and departments) and the founding organisation, which
events recorded before organisations existed belong to. A seed of one district, as the
service read before organisations (a ``district`` name at the top), is the seed of a
province holding that district alone.

``parse`` reports every fault of the file at once (``SeedError``) before anything is
written: codes used twice anywhere in the deployment, a cell of an unknown commune or of
another organisation's, an organisation whose parent is not the province, a briefing or
cell-meeting rule that does not parse (or an exception of a day it does not schedule),
dates out of order.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from domain.calendar import BriefingRule
from domain.errors import InvalidCommand
from domain.organisations import DEFAULT_FOUNDING, DEFAULT_PROVINCE_CODE, DEFAULT_PROVINCE_NAME
from domain.reference import CATEGORIES

Rows = dict[str, list[tuple[Any, ...]]]


class SeedError(ValueError):
    """What is wrong with a seed file, every fault of it."""

    def __init__(self, faults: list[str]) -> None:
        super().__init__("; ".join(faults))
        self.faults = faults


class Strict(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class ExceptionSeed(Strict):
    scheduled: date
    held_on: date | None = None


class CellMeetingsSeed(Strict):
    """The cells' calendar something keeps (the province, an organisation, a commune, a
    cell): its rule, and its meetings moved or cancelled."""

    cell_meeting_rule: str | None = None
    cell_meeting_exceptions: list[ExceptionSeed] = []


class ZoneSeed(Strict):
    code: str
    name: str
    briefing_rule: str | None = None
    exceptions: list[ExceptionSeed] = []


class CommuneSeed(CellMeetingsSeed):
    code: str
    name: str
    zone: str


class CellSeed(CellMeetingsSeed):
    code: str
    name: str
    commune: str | None = None  # a district's cell
    zone: str | None = None  # a commune's cell, where the commune has zones


class DepartmentSeed(Strict):
    code: str
    name: str


class OrganisationSeed(CellMeetingsSeed):
    code: str
    name: str
    level: Literal["district", "commune"]
    parent: str | None = None
    active_from: date
    active_until: date | None = None
    answer_period_days: int = 30
    due_after: Literal["briefing", "cell_meeting"] = "briefing"  # ``domain.cell_calendar``
    briefing_rule: str | None = None  # a commune without zones: its own calendar
    zones: list[ZoneSeed] = []
    communes: list[CommuneSeed] = []
    cells: list[CellSeed] = []
    departments: list[DepartmentSeed] = []
    # category -> the department of its own that the category's petitions go to by default
    category_departments: dict[str, str] = {}


class ProvinceHead(CellMeetingsSeed):
    code: str
    name: str
    active_from: date = date(1900, 1, 1)


class ProvinceSeed(Strict):
    province: ProvinceHead
    founding: str | None = None
    departments: list[DepartmentSeed] = []
    category_departments: dict[str, str] = {}  # the province's own, as an organisation's
    organisations: list[OrganisationSeed]


@dataclass(frozen=True)
class LegacyNames:
    """What a seed or store of one district calls its district and the province."""

    founding: str = DEFAULT_FOUNDING
    province_code: str = DEFAULT_PROVINCE_CODE
    province_name: str = DEFAULT_PROVINCE_NAME


LEGACY = LegacyNames()


def read(path: Path, legacy: LegacyNames = LEGACY) -> ProvinceSeed:
    """The seed file as a province: a one-district seed becomes a province of that
    district (``legacy`` names both). ``SeedError`` for a file that is not one."""
    try:
        raw: Any = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise SeedError([f"{path}: {error}"]) from None
    if isinstance(raw, dict) and "district" in raw and "organisations" not in raw:
        raw = {
            "province": {"code": legacy.province_code, "name": legacy.province_name},
            "founding": legacy.founding,
            "organisations": [
                {
                    **raw,
                    "code": legacy.founding,
                    "name": raw["district"],
                    "level": "district",
                    "active_from": "1900-01-01",
                }
            ],
        }
    try:
        return ProvinceSeed.model_validate(raw)
    except ValidationError as error:
        raise SeedError(
            [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors()]
        ) from None


def faults(seed: ProvinceSeed) -> list[str]:
    """Every fault of the seed; none for one that forms one province."""
    found: list[str] = []
    province = seed.province.code
    codes = Counter(
        [province, *(d.code for d in seed.departments)]
        + [
            code
            for o in seed.organisations
            for code in (
                o.code,
                *(z.code for z in o.zones),
                *(c.code for c in o.communes),
                *(c.code for c in o.cells),
                *(d.code for d in o.departments),
            )
        ]
    )
    found += [f"code {code!r} is used {n} times" for code, n in sorted(codes.items()) if n > 1]
    for o in seed.organisations:
        where = f"organisation {o.code}"
        if o.parent is not None and o.parent != province:
            found.append(f"{where}: its parent {o.parent!r} is not the province {province!r}")
        if o.active_until is not None and o.active_until <= o.active_from:
            found.append(f"{where}: active_until must come after active_from")
        zones = {z.code for z in o.zones}
        for z in o.zones:
            found += rule_faults(f"{where}, zone {z.code}", z.briefing_rule)
        found += rule_faults(where, o.briefing_rule)
        keepers: list[OrganisationSeed | CommuneSeed | CellSeed] = [o, *o.communes, *o.cells]
        for keeper in keepers:
            found += cell_rule_faults(f"{where}, cells' calendar of {keeper.code}", keeper)
        if o.level == "district":
            communes = {c.code for c in o.communes}
            found += [
                f"{where}: commune {c.code} names zone {c.zone!r}, not one of its zones"
                for c in o.communes
                if c.zone not in zones
            ]
            found += [
                f"{where}: cell {c.code} names commune {c.commune!r}, not one of its communes"
                for c in o.cells
                if c.commune not in communes
            ]
        else:
            if o.communes:
                found.append(f"{where}: a commune has no communes of its own")
            found += [
                f"{where}: cell {c.code} names zone {c.zone!r}, not one of its zones"
                for c in o.cells
                if (c.zone not in zones if zones else c.zone is not None)
            ]
    found += cell_rule_faults(f"province {province}, cells' calendar", seed.province)
    found += default_faults(f"province {province}", seed.category_departments, seed.departments)
    for o in seed.organisations:
        found += default_faults(f"organisation {o.code}", o.category_departments, o.departments)
    if seed.founding is not None and seed.founding not in {o.code for o in seed.organisations}:
        found.append(f"founding {seed.founding!r} is not one of the organisations")
    return found


def default_faults(
    where: str, defaults: dict[str, str], departments: list[DepartmentSeed]
) -> list[str]:
    """A category's default department is a known category's, and one of the
    organisation's own departments."""
    categories = {c.code for c in CATEGORIES}
    own = {d.code for d in departments}
    return [
        f"{where}: category_departments: {category!r} is not a category"
        if category not in categories
        else f"{where}: category {category} defaults to {department!r}, not one of its departments"
        for category, department in sorted(defaults.items())
        if category not in categories or department not in own
    ]


def rule_faults(where: str, rule: str | None) -> list[str]:
    if rule is None:
        return []
    try:
        BriefingRule.parse(rule)
    except (ValueError, InvalidCommand) as error:  # a rule of a day no month has, too
        return [f"{where}: briefing rule {rule!r}: {error}"]
    return []


def cell_rule_faults(where: str, keeper: CellMeetingsSeed) -> list[str]:
    """The cells' rule parses, and its exceptions move or cancel days it schedules."""
    rule = keeper.cell_meeting_rule
    if rule is None:
        return [f"{where}: exceptions without a rule"] if keeper.cell_meeting_exceptions else []
    found = rule_faults(where, rule)
    if not found:
        parsed = BriefingRule.parse(rule)
        found += [
            f"{where}: {e.scheduled.isoformat()} is no day of the rule {rule!r}"
            for e in keeper.cell_meeting_exceptions
            if parsed.scheduled(e.scheduled.year, e.scheduled.month) != e.scheduled
        ]
    return found


def cell_rule(keeper: CellMeetingsSeed) -> str | None:
    """The cells' rule as the store keeps it (its canonical text)."""
    rule = keeper.cell_meeting_rule
    return str(BriefingRule.parse(rule)) if rule else None


def cell_exceptions(
    keeper: CellMeetingsSeed, code: str, organisation: str
) -> list[tuple[Any, ...]]:
    return [(code, e.scheduled, e.held_on, organisation) for e in keeper.cell_meeting_exceptions]


def parse(path: Path, legacy: LegacyNames = LEGACY) -> ProvinceSeed:
    """The seed, validated whole: ``SeedError`` listing every fault."""
    seed = read(path, legacy)
    found = faults(seed)
    if found:
        raise SeedError(found)
    return seed


def rows(seed: ProvinceSeed) -> Rows:
    """The reference tables' rows of a valid seed."""
    province = seed.province
    out: Rows = {
        "ref_organisations": [
            (
                province.code,
                province.name,
                "province",
                None,
                province.active_from,
                None,
                30,
                cell_rule(province),
                None,
            )
        ],
        "ref_cell_meeting_exceptions": cell_exceptions(province, province.code, province.code),
        "ref_zones": [],
        "ref_briefing_exceptions": [],
        "ref_communes": [],
        "ref_cells": [],
        "ref_departments": [(d.code, d.name, province.code) for d in seed.departments],
        "ref_categories": [(c.code, c.label, c.label_en) for c in CATEGORIES],
        "ref_district": [("founding_organisation", seed.founding)] if seed.founding else [],
        "ref_category_departments": [
            (province.code, category, department)
            for category, department in sorted(seed.category_departments.items())
        ],
    }
    for o in seed.organisations:
        out["ref_organisations"].append(
            (
                o.code,
                o.name,
                o.level,
                province.code,
                o.active_from,
                o.active_until,
                o.answer_period_days,
                cell_rule(o),
                o.due_after,
            )
        )
        keepers: list[OrganisationSeed | CommuneSeed | CellSeed] = [o, *o.communes, *o.cells]
        out["ref_cell_meeting_exceptions"] += [
            row for keeper in keepers for row in cell_exceptions(keeper, keeper.code, o.code)
        ]
        zones = list(o.zones)
        if o.level == "commune" and not zones:  # its own calendar, as a zone of its own
            zones = [ZoneSeed(code=o.code, name=o.name, briefing_rule=o.briefing_rule)]
        for z in zones:
            rule = str(BriefingRule.parse(z.briefing_rule)) if z.briefing_rule else None
            out["ref_zones"].append((z.code, z.name, rule, o.code))
            out["ref_briefing_exceptions"] += [
                (z.code, e.scheduled, e.held_on) for e in z.exceptions
            ]
        if o.level == "district":
            zone_of = {c.code: c.zone for c in o.communes}
            out["ref_communes"] += [
                (c.code, c.name, c.zone, o.code, cell_rule(c)) for c in o.communes
            ]
            out["ref_cells"] += [
                (c.code, c.name, c.commune, zone_of[c.commune or ""], o.code, cell_rule(c))
                for c in o.cells
            ]
        else:
            out["ref_communes"].append((o.code, o.name, None, o.code, None))
            out["ref_cells"] += [
                (c.code, c.name, o.code, c.zone or o.code, o.code, cell_rule(c)) for c in o.cells
            ]
        out["ref_departments"] += [(d.code, d.name, o.code) for d in o.departments]
        out["ref_category_departments"] += [
            (o.code, category, department)
            for category, department in sorted(o.category_departments.items())
        ]
    return out

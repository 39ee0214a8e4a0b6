"""The reference data's read schemas: an organisation's zones (with their briefing rules),
communes, cells, departments and categories, and a zone's briefing dates."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field


class CodeName(BaseModel):
    code: str
    name: str


class BriefingExceptionRead(BaseModel):
    scheduled: date
    held_on: date | None = Field(description="The day it was held instead; null if cancelled")


class ZoneRead(CodeName):
    briefing_rule: str | None = Field(description="`day:N`, or `weekday:W:N` (W 0 = Monday)")
    briefing_rule_label: str | None = Field(description="The rule in Vietnamese")
    exceptions: list[BriefingExceptionRead]


class CommuneRead(CodeName):
    zone: str | None = Field(description="A district's commune's zone; null for a commune")


class RetiredRead(CodeName):
    retired_on: date | None = Field(
        None, description="The day it was retired: nothing new chooses it from then on"
    )


class CellRead(RetiredRead):
    commune: str


class CategoryRead(BaseModel):
    code: str
    label: str
    label_en: str
    department: str | None = Field(
        None, description="The organisation's department its petitions go to by default"
    )


class ReferenceRead(BaseModel):
    organisation: str
    level: str
    district: str = Field(description="The organisation's name")
    zones: list[ZoneRead]
    communes: list[CommuneRead]
    cells: list[CellRead]
    departments: list[RetiredRead]
    categories: list[CategoryRead]


class BriefingRead(BaseModel):
    zone: str
    dates: list[date]

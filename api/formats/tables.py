"""Tables written as CSV or XLSX: one description of the columns, two writers.

The exports and the import template are built as ``Sheet`` values (headings in
Vietnamese, typed columns) and written here. Text is never taken for a formula: an XLSX
text cell stays text, and a CSV text field that a spreadsheet would read as a formula
(``=``, ``+``, ``-``, ``@``) is prefixed with an apostrophe (the usual defence against
formula injection). Control characters XLSX cannot hold are dropped from XLSX cells.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

CSV_MEDIA_TYPE = "text/csv"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MEDIA_TYPES = {"csv": CSV_MEDIA_TYPE, "xlsx": XLSX_MEDIA_TYPE}
DATE_FORMAT = "%d/%m/%Y"  # as dates are written in Vietnam
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
SHEET_TITLE_MAX = 31

Kind = Literal["text", "int", "number", "date", "flag"]


@dataclass(frozen=True)
class Column:
    heading: str
    kind: Kind = "text"
    width: int = 14  # characters, in XLSX


@dataclass
class Sheet:
    title: str
    columns: Sequence[Column]
    rows: Sequence[Sequence[Any]] = field(default_factory=list)


def plain(value: Any) -> Any:
    """A cell's value as CSV writes it (and as a test reads it back)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, datetime):
        return value.strftime(DATE_FORMAT + " %H:%M")
    if isinstance(value, date):
        return value.strftime(DATE_FORMAT)
    if isinstance(value, float):
        return format(value, ".10g")
    if isinstance(value, int):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def to_csv(sheet: Sheet) -> bytes:
    """UTF-8 with a byte-order mark (so Excel reads the Vietnamese right), comma-separated,
    CRLF line ends (RFC 4180), the headings first."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.heading for c in sheet.columns])
    for row in sheet.rows:
        writer.writerow([plain(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


HEADING_FONT = Font(bold=True)
HEADING_FILL = PatternFill("solid", fgColor="DDE5F0")
NUMBER_FORMATS = {"int": "0", "number": "0.##", "date": "DD/MM/YYYY"}


def workbook(sheets: Sequence[Sheet]) -> Workbook:
    """A workbook with one worksheet a sheet: bold headings, frozen, filterable."""
    book = Workbook()
    book.remove(book.worksheets[0])  # the empty sheet a new workbook starts with
    for sheet in sheets:
        ws = book.create_sheet(sheet_title(sheet.title))
        for col, column in enumerate(sheet.columns, 1):
            cell = ws.cell(row=1, column=col, value=column.heading)
            cell.font, cell.fill = HEADING_FONT, HEADING_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            ws.column_dimensions[get_column_letter(col)].width = column.width
        for r, row in enumerate(sheet.rows, 2):
            for col, (column, value) in enumerate(zip(sheet.columns, row, strict=True), 1):
                write_cell(ws.cell(row=r, column=col), column, value)
        ws.freeze_panes = "A2"
        if sheet.rows:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(sheet.columns))}{len(sheet.rows) + 1}"
    return book


def write_cell(cell: Any, column: Column, value: Any) -> None:
    if value is None:
        return
    if isinstance(value, bool):
        cell.value = "Có" if value else "Không"
    elif isinstance(value, (int, float, date)) and column.kind != "text":
        cell.value = value
        cell.number_format = NUMBER_FORMATS.get(column.kind, "General")
    else:
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", str(value))
        cell.data_type = "s"  # never a formula, whatever it starts with
        if column.width >= 30:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def sheet_title(title: str) -> str:
    cleaned = "".join("-" if ch in "[]:*?/\\" else ch for ch in title)
    return cleaned[:SHEET_TITLE_MAX] or "Sheet"


def save(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_xlsx(sheets: Sequence[Sheet]) -> bytes:
    return save(workbook(sheets))


def write(sheets: Sequence[Sheet], fmt: str) -> bytes:
    """CSV holds the first sheet; XLSX holds them all."""
    return to_csv(sheets[0]) if fmt == "csv" else to_xlsx(sheets)

"""Petitions imported from a briefing's minutes: a CSV or XLSX table with Vietnamese
headings, validated as a whole before anything is recorded. No HTTP here.

* ``read_table`` turns the uploaded bytes into numbered rows (XLSX recognised by its zip
  signature; anything else is CSV, UTF-8 with or without a byte-order mark, separated by
  commas, semicolons or tabs). A table wider or longer than the template may be is
  refused as soon as that is seen (an XLSX's declared dimension before its rows), so a
  small hostile file is refused in little time and memory (``service.xlsx_reader``).
* ``validate`` checks every row against the district's reference data and the rules the
  domain applies when a petition is raised, and collects every fault (row number as the
  spreadsheet shows it, column heading, reason in Vietnamese and English).
* ``record`` raises the petitions of a valid file through the application, each under an
  idempotency key made from the row's content, so a file imported again (or saved again
  as CSV or XLSX, or with rows added) records only what was not recorded before.
"""

from __future__ import annotations

import csv
import hashlib
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from openpyxl.worksheet.datavalidation import DataValidation

from domain.application import Context, PetitionDraft
from domain.calendar import EARLIEST_BUSINESS_DATE
from domain.errors import DomainError
from domain.petition import NAME_MAX, SUMMARY_MAX, TEXT_MAX
from domain.reference import District
from domain.vietnam import fold_text
from service.bootstrap import Service
from service.reports import number as vi_number
from service.tables import Column, Sheet, save, to_csv, workbook
from service.xlsx_reader import Bounds, Refused, read_sheet

MAX_ROWS = 500  # a zone's briefing brings some 16 petitions, a district's year about 200
HEADER_SEARCH_ROWS = 20  # a title or a note may stand above the headings
MAX_SHEET_ROWS = HEADER_SEARCH_ROWS + MAX_ROWS  # headings in the first 20 rows, 500 below
MAX_RECORD_CHARS = 4 * TEXT_MAX  # a CSV record (quoted text doubles its quotes)
PETITIONS_SHEET = "Ý kiến"


@dataclass(frozen=True)
class Field:
    name: str  # the PetitionDraft field
    heading: str
    required: bool
    hint: str
    hint_en: str
    width: int


FIELDS: tuple[Field, ...] = (
    Field(
        "kind",
        "Loại",
        True,
        "phản ánh hoặc kiến nghị (đề xuất)",
        "reflection or proposal",
        16,
    ),
    Field(
        "category",
        "Lĩnh vực",
        True,
        "tên lĩnh vực hoặc mã (xem trang Danh mục)",
        "category label or code (see the Danh mục sheet)",
        28,
    ),
    Field("summary", "Tóm tắt", True, f"tối đa {SUMMARY_MAX} ký tự", f"≤ {SUMMARY_MAX}", 40),
    Field("text", "Nội dung", True, "nội dung đầy đủ", "the full text", 60),
    Field(
        "cell",
        "Chi bộ",
        True,
        "mã chi bộ (xem trang Chi bộ)",
        "party cell code (see the Chi bộ sheet)",
        24,
    ),
    Field("raised_by", "Người phản ánh", True, "họ tên bí thư chi bộ", "secretary's name", 24),
    Field(
        "channel",
        "Hình thức",
        True,
        "hội nghị hoặc báo cáo bằng văn bản",
        "meeting or written report",
        22,
    ),
    Field(
        "meeting",
        "Hội nghị",
        False,
        "bắt buộc nếu hình thức là hội nghị",
        "required when raised at a meeting",
        28,
    ),
    Field(
        "raised_on",
        "Ngày",
        True,
        "ngày phản ánh, dd/mm/yyyy, không sau hôm nay",
        "date raised, dd/mm/yyyy, not after today",
        12,
    ),
)
HEADINGS = {f.name: f.heading for f in FIELDS}
IGNORED_HEADINGS = ("stt", "so thu tu", "tt")  # a running number the minutes often carry
MAX_COLUMNS = len(FIELDS) + 1  # the template's and a running number; a wider table is refused
BOUNDS = Bounds(
    columns=MAX_COLUMNS,
    rows=MAX_SHEET_ROWS,
    part=4_000_000,  # bytes unpacked: 500 petitions of 2,500 characters take 1.6 MB
    unpacked=16_000_000,  # bytes, every part together, as the zip declares them
    ratio=100,  # how much a part over 1 MB may inflate; text and XML inflate 3 to 10 times
)

KIND_LABELS = {"reflection": "Phản ánh", "proposal": "Kiến nghị, đề xuất"}
CHANNEL_LABELS = {"meeting": "Hội nghị", "written_report": "Báo cáo bằng văn bản"}
KIND_WORDS = {
    "reflection": ("phản ánh", "ý kiến phản ánh", "reflection"),
    "proposal": ("kiến nghị", "đề xuất", "kiến nghị, đề xuất", "kiến nghị đề xuất", "proposal"),
}
CHANNEL_WORDS = {
    "meeting": ("hội nghị", "tại hội nghị", "giao ban", "meeting"),
    "written_report": (
        "báo cáo bằng văn bản",
        "báo cáo",
        "văn bản",
        "bằng văn bản",
        "written report",
        "written_report",
    ),
}
DMY = re.compile(r"([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})")
YMD = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


def fold(text: str) -> str:
    """Lower case, without diacritics or punctuation: ``Giao thông – xây dựng`` and
    ``giao thong - xay dung`` both give ``giao thong xay dung``."""
    spaced = re.sub(r"[\W_]+", " ", text)  # punctuation (an en dash too) separates words
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold_text(spaced)).split())


# ---- errors -----------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    """One fault: where (row as the spreadsheet numbers it, column heading) and why."""

    row: int | None
    column: str | None
    field: str
    message: str  # Vietnamese
    message_en: str

    def as_dict(self, english: bool = False) -> dict[str, Any]:
        found: dict[str, Any] = {"field": self.field, "in": "file"}
        if self.row is not None:
            found["row"] = self.row
        if self.column is not None:
            found["column"] = self.column
        found["message"] = self.message_en if english else self.message
        return found


class FileUnreadable(Exception):
    """The upload is not a table this module can read."""

    def __init__(self, message: str, message_en: str) -> None:
        super().__init__(message_en)
        self.error = RowError(None, None, "file", message, message_en)


# ---- reading ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    format: str  # csv or xlsx
    rows: list[tuple[int, list[Any]]]  # (row number, cell values)
    sha256: str


def read_table(content: bytes) -> Table:
    digest = hashlib.sha256(content).hexdigest()
    if not content.strip():
        raise FileUnreadable("Tệp rỗng.", "The file is empty.")
    if content.startswith(b"PK\x03\x04"):
        return Table("xlsx", read_xlsx(content), digest)
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileUnreadable(
            "Tệp Excel 97–2003 (.xls) không được hỗ trợ: hãy lưu thành .xlsx hoặc CSV UTF-8.",
            "Excel 97-2003 files (.xls) are not supported: save as .xlsx or CSV UTF-8.",
        )
    return Table("csv", read_csv(content), digest)


def read_csv(content: bytes) -> list[tuple[int, list[Any]]]:
    """The records of a CSV file, each checked against the template's width and the
    table's height as it is read; a record too long is refused before it is split."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileUnreadable(
            "Tệp không phải XLSX, cũng không phải CSV mã hóa UTF-8: trong Excel hãy chọn"
            " Lưu thành › CSV UTF-8.",
            "The file is neither XLSX nor CSV in UTF-8: in Excel choose Save As › CSV UTF-8.",
        ) from None
    first = next((line for line in physical_lines(text) if line.strip()), "")
    delimiter = max(",;\t", key=first.count)
    rows: list[tuple[int, list[Any]]] = []
    pending = 0  # characters of the record being read

    def lines() -> Iterator[str]:
        nonlocal pending
        for line in physical_lines(text):
            pending += len(line)
            if pending > MAX_RECORD_CHARS:
                raise FileUnreadable(
                    f"Dòng {len(rows) + 1} dài hơn {vi_number(MAX_RECORD_CHARS)} ký tự.",
                    f"Row {len(rows) + 1} is longer than {MAX_RECORD_CHARS:,} characters.",
                )
            yield line

    try:
        for row, values in enumerate(csv.reader(lines(), delimiter=delimiter), 1):
            pending = 0
            if row > MAX_SHEET_ROWS:
                beyond = BOUNDS.beyond(f"Dòng {row} nằm ngoài", f"Row {row} is beyond")
                raise refused(beyond)
            if len(values) > MAX_COLUMNS:
                raise refused(
                    BOUNDS.beyond(
                        f"Dòng {row} có {vi_number(len(values))} cột, vượt quá",
                        f"Row {row} has {len(values):,} columns, beyond",
                    )
                )
            rows.append((row, list(values)))
    except csv.Error as error:
        raise FileUnreadable(
            f"Không đọc được tệp CSV: {error}.", f"The CSV file cannot be read: {error}."
        ) from None
    return rows


def physical_lines(text: str) -> Iterator[str]:
    """The lines of ``text`` with their endings (\\n, \\r\\n or \\r), one at a time: no
    copy of the whole text, as io.StringIO would make at four bytes a character."""
    for line in LINE.finditer(text):
        yield line.group()


def read_xlsx(content: bytes) -> list[tuple[int, list[Any]]]:
    """The rows of the sheet Ý kiến, else of the first sheet, within ``BOUNDS``."""
    try:
        return read_sheet(content, PETITIONS_SHEET, BOUNDS)
    except Refused as refusal:
        raise refused(refusal) from None


def refused(refusal: Refused) -> FileUnreadable:
    return FileUnreadable(refusal.message, refusal.message_en)


# ---- validating -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Planned:
    row: int
    draft: PetitionDraft

    @property
    def key(self) -> str:
        """The idempotency key: the row's content (the same petition in any file, in any
        format, at any row), never the bytes of the file as a whole."""
        return f"import:{self.draft.fingerprint()}"


@dataclass
class Plan:
    format: str
    sha256: str
    petitions: list[Planned] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def text_of(value: Any) -> str:
    """A cell as text: XLSX numbers without a spurious ``.0``, NFC-normalised, trimmed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFC", str(value)).strip()


def validate(
    table: Table, district: District, today: date, earliest: date = EARLIEST_BUSINESS_DATE
) -> Plan:
    """Every fault of the file; the petitions to raise only if there is none (raised from
    ``earliest``, the application's earliest business date, to ``today``)."""
    plan = Plan(table.format, table.sha256)
    rows = [(n, values) for n, values in table.rows if any(text_of(v) for v in values)]
    if not rows:
        plan.errors.append(
            RowError(None, None, "file", "Tệp không có dòng nào.", "The file has no rows.")
        )
        return plan
    header_at, columns, header_errors = find_header(rows)
    plan.errors += header_errors
    if header_errors:
        return plan
    data = [(n, values) for n, values in rows if n > header_at]
    if not data:
        plan.errors.append(
            RowError(
                header_at + 1,
                None,
                "file",
                "Không có ý kiến nào dưới dòng tiêu đề.",
                "There is no petition below the headings.",
            )
        )
        return plan
    if len(data) > MAX_ROWS:
        plan.errors.append(
            RowError(
                None,
                None,
                "file",
                f"Tệp có {len(data)} dòng; mỗi lần nhập tối đa {MAX_ROWS} dòng.",
                f"The file has {len(data)} rows; at most {MAX_ROWS} may be imported at once.",
            )
        )
        return plan
    resolver = Resolver(district)
    seen: dict[PetitionDraft, int] = {}
    for number, values in data:
        cells = {
            name: (values[index] if index < len(values) else None)
            for name, index in columns.items()
        }
        draft, errors = check_row(number, cells, resolver, today, earliest)
        plan.errors += errors
        if draft is None:
            continue
        if draft in seen:
            plan.errors.append(
                RowError(
                    number,
                    None,
                    "row",
                    f"Trùng hoàn toàn với dòng {seen[draft]}.",
                    f"The same as row {seen[draft]}.",
                )
            )
            continue
        seen[draft] = number
        plan.petitions.append(Planned(number, draft))
    if plan.errors:
        plan.petitions = []
    return plan


def find_header(
    rows: list[tuple[int, list[Any]]],
) -> tuple[int, dict[str, int], list[RowError]]:
    """The headings' row (the first, within a few, that names every required column), the
    column index of each field, and what is wrong with the headings."""
    by_heading = {fold(f.heading): f.name for f in FIELDS} | {f.name: f.name for f in FIELDS}
    required = {f.name for f in FIELDS if f.required}
    candidates = rows[:HEADER_SEARCH_ROWS]
    header_at, header = candidates[0]
    for number, values in candidates:
        named = {by_heading.get(fold(text_of(v))) for v in values}
        if required <= named:
            header_at, header = number, values
            break
    columns: dict[str, int] = {}
    errors = []
    for index, value in enumerate(header):
        heading = text_of(value)
        key = fold(heading)
        if not key or key in IGNORED_HEADINGS:
            continue
        name = by_heading.get(key)
        if name is None:
            errors.append(
                RowError(
                    header_at,
                    heading,
                    "heading",
                    f"Cột không có trong mẫu. Các cột: {', '.join(HEADINGS.values())}.",
                    f"Not a column of the template. Columns: {', '.join(HEADINGS.values())}.",
                )
            )
        elif name in columns:
            errors.append(
                RowError(header_at, heading, name, "Cột bị lặp lại.", "The column appears twice.")
            )
        else:
            columns[name] = index
    for f in FIELDS:
        if f.required and f.name not in columns:
            errors.append(
                RowError(
                    header_at,
                    f.heading,
                    f.name,
                    "Thiếu cột bắt buộc.",
                    "A required column is missing.",
                )
            )
    return header_at, columns, errors


class Resolver:
    """Codes or Vietnamese (or English) labels to the codes the domain knows."""

    def __init__(self, district: District) -> None:
        self.district = district
        self.categories: dict[str, str] = {}
        for c in district.categories.values():
            for word in (c.code, c.label, c.label_en):
                self.categories.setdefault(fold(word), c.code)
        self.kinds = {fold(w): kind for kind, words in KIND_WORDS.items() for w in words}
        self.channels = {fold(w): ch for ch, words in CHANNEL_WORDS.items() for w in words}
        self.cells = {c.lower(): c for c in district.cells}


def check_row(
    number: int, cells: dict[str, Any], resolver: Resolver, today: date, earliest: date
) -> tuple[PetitionDraft | None, list[RowError]]:
    errors: list[RowError] = []

    def fault(name: str, message: str, message_en: str) -> None:
        errors.append(RowError(number, HEADINGS[name], name, message, message_en))

    values: dict[str, Any] = {}
    for f in FIELDS:
        raw = cells.get(f.name)
        if f.name == "raised_on" and isinstance(raw, (date, datetime)):
            values[f.name] = raw
            continue
        text = text_of(raw)
        if "\x00" in text:
            fault(f.name, "Có ký tự NUL không hợp lệ.", "Contains a NUL character.")
        elif not text and f.required:
            fault(f.name, "Không được để trống.", "Must not be empty.")
        values[f.name] = text

    kind = resolver.kinds.get(fold(values["kind"])) if values["kind"] else None
    if values["kind"] and kind is None:
        fault(
            "kind",
            f"“{values['kind']}” không phải phản ánh hay kiến nghị.",
            f"“{values['kind']}” is neither a reflection (phản ánh) nor a proposal (kiến nghị).",
        )
    category = resolver.categories.get(fold(values["category"])) if values["category"] else None
    if values["category"] and category is None:
        fault(
            "category",
            f"Không có lĩnh vực “{values['category']}”.",
            f"No category “{values['category']}”.",
        )
    cell = resolver.cells.get(values["cell"].lower()) if values["cell"] else None
    if values["cell"] and cell is None:
        fault("cell", f"Không có chi bộ mã “{values['cell']}”.", f"No cell “{values['cell']}”.")
    channel = resolver.channels.get(fold(values["channel"])) if values["channel"] else None
    if values["channel"] and channel is None:
        fault(
            "channel",
            f"“{values['channel']}” không phải hội nghị hay báo cáo bằng văn bản.",
            f"“{values['channel']}” is neither a meeting nor a written report.",
        )
    for name, limit in (
        ("summary", SUMMARY_MAX),
        ("text", TEXT_MAX),
        ("raised_by", NAME_MAX),
        ("meeting", NAME_MAX),
    ):
        if len(values[name]) > limit:
            fault(
                name,
                f"Dài {len(values[name])} ký tự; tối đa {limit}.",
                f"{len(values[name])} characters long; at most {limit}.",
            )
    if channel == "meeting" and not values["meeting"]:
        fault(
            "meeting",
            "Ý kiến nêu tại hội nghị phải ghi tên hội nghị.",
            "A petition raised at a meeting names the meeting.",
        )
    raised_on = None
    if values["raised_on"] != "":
        raised_on = parse_date(values["raised_on"])
        if raised_on is None:
            fault(
                "raised_on",
                f"“{values['raised_on']}” không phải ngày dạng dd/mm/yyyy.",
                f"“{values['raised_on']}” is not a date as dd/mm/yyyy.",
            )
        elif raised_on > today:
            fault(
                "raised_on",
                f"Ngày {raised_on:%d/%m/%Y} ở sau hôm nay ({today:%d/%m/%Y}).",
                f"{raised_on:%d/%m/%Y} is after today ({today:%d/%m/%Y}).",
            )
        elif raised_on < earliest:
            fault(
                "raised_on",
                f"Ngày {raised_on:%d/%m/%Y} trước ngày sớm nhất được nhận ({earliest:%d/%m/%Y}).",
                f"{raised_on:%d/%m/%Y} is before the earliest business date ({earliest:%d/%m/%Y}).",
            )
    if errors:
        order = [f.name for f in FIELDS]
        return None, sorted(errors, key=lambda e: order.index(e.field))
    assert kind and category and cell and channel and raised_on  # every fault was reported
    return (
        PetitionDraft(
            kind=kind,
            category=category,
            summary=values["summary"],
            text=values["text"],
            cell=cell,
            raised_by=values["raised_by"],
            channel=channel,
            raised_on=raised_on,
            meeting=values["meeting"] or None,
        ),
        [],
    )


def parse_date(value: Any) -> date | None:
    """dd/mm/yyyy (also with . or -), an ISO yyyy-mm-dd, or a spreadsheet date."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    found = DMY.fullmatch(text)
    if found:
        day, month, year = (int(g) for g in found.groups())
    elif found := YMD.fullmatch(text):
        year, month, day = (int(g) for g in found.groups())
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


# ---- recording ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Imported:
    row: int
    id: Any
    position: int | None
    replayed: bool


def record(service: Service, plan: Plan, ctx: Context) -> list[Imported]:
    """Raise each petition of a valid plan; rows recorded before are answered as then."""
    assert not plan.errors, "only a file without faults is recorded"
    done = []
    for planned in plan.petitions:
        try:
            result = service.app.raise_petition(planned.draft, ctx, idempotency_key=planned.key)
        except DomainError as error:
            # Not expected after ``validate``; the rows before are kept, and importing
            # the file again once it is corrected records only the rest.
            error.details.setdefault("row", planned.row)
            error.details.setdefault("recorded_rows", len(done))
            raise
        position = result.position
        if result.request is not None:
            position = service.position_of(result.request, 1)
        done.append(Imported(planned.row, result.id, position, result.replayed))
    return done


# ---- the template ---------------------------------------------------------------------------


def template(district: District, fmt: str) -> bytes:
    """The headings to fill in; as XLSX also the lists of categories and cells, with
    drop-down choices, and the Ngày column kept as text so dd/mm/yyyy stays as typed."""
    sheet = Sheet(PETITIONS_SHEET, [Column(f.heading, "text", f.width) for f in FIELDS])
    if fmt == "csv":
        return to_csv(sheet)
    guide = Sheet(
        "Hướng dẫn",
        [Column("Cột", width=18), Column("Bắt buộc", width=10), Column("Cách ghi", width=60)],
        [(f.heading, f.required, f.hint) for f in FIELDS],
    )
    categories = Sheet(
        "Danh mục",
        [Column("Lĩnh vực", width=34), Column("Mã", width=14), Column("English", width=34)],
        [(c.label, c.code, c.label_en) for c in district.categories.values()],
    )
    communes = district.communes
    cells = Sheet(
        "Chi bộ",
        [Column("Mã chi bộ", width=30), Column("Tên chi bộ", width=36), Column("Xã", width=24)],
        [
            (c.code, c.name, communes[c.commune].name if c.commune in communes else c.commune)
            for c in district.cells.values()
        ],
    )
    book = workbook([sheet, guide, categories, cells])
    ws = book[PETITIONS_SHEET]
    last = MAX_ROWS + 1
    letter = {f.name: chr(ord("A") + i) for i, f in enumerate(FIELDS)}
    # Drop-down choices; other accepted spellings ("đề xuất", a category's code) may still
    # be typed, so only the cell column, which takes codes alone, refuses anything else.
    choices = [
        ("kind", '"phản ánh,kiến nghị"'),
        ("channel", '"hội nghị,báo cáo bằng văn bản"'),
        ("category", f"'Danh mục'!$A$2:$A${len(categories.rows) + 1}"),
        ("cell", f"'Chi bộ'!$A$2:$A${len(cells.rows) + 1}"),
    ]
    for name, formula in choices:
        rule = DataValidation(type="list", formula1=formula, allow_blank=True)
        rule.showErrorMessage = name == "cell"
        rule.add(f"{letter[name]}2:{letter[name]}{last}")
        ws.add_data_validation(rule)
    for row in range(2, last + 1):
        ws[f"{letter['raised_on']}{row}"].number_format = "@"
    return save(book)

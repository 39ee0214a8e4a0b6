"""Petitions imported from a briefing's minutes: a CSV or XLSX table with Vietnamese
headings, validated as a whole before anything is recorded. No HTTP here.

* ``read_table`` turns the uploaded bytes into numbered rows (XLSX recognised by its zip
  signature; anything else is CSV, UTF-8 with or without a byte-order mark, separated by
  commas, semicolons or tabs). A table wider or longer than the template may be is
  refused as soon as that is seen (an XLSX's declared dimension before its rows), so a
  small hostile file is refused in little time and memory (``api.formats.xlsx_reader``).
* ``petition_rows.validate`` checks every row against the district's reference data and
  the rules the domain applies when a petition is raised, and collects every fault (row
  number as the spreadsheet shows it, column heading, reason in Vietnamese and English).
* ``usecases.importing.record`` raises the petitions of a valid file through the
  application, each under an idempotency key made from the row's content, so a file
  imported again (or saved again as CSV or XLSX, or with rows added) records only what
  was not recorded before.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from openpyxl.worksheet.datavalidation import DataValidation

from api.formats.reports import number as vi_number
from api.formats.tables import Column, Sheet, save, to_csv, workbook
from api.formats.xlsx_reader import read_sheet
from api.formats.xlsx_zip import Bounds, Refused
from api.schemas import PetitionCreate
from domain.petition import SUMMARY_MAX, TEXT_MAX
from domain.reference import District
from domain.vietnam import fold_text
from domain.vocabulary import Channel, Kind
from usecases.importing import RowError

MAX_ROWS = 500  # a zone's briefing brings some 16 petitions, a district's year about 200
HEADER_SEARCH_ROWS = 20  # a title or a note may stand above the headings
MAX_SHEET_ROWS = HEADER_SEARCH_ROWS + MAX_ROWS  # headings in the first 20 rows, 500 below
MAX_RECORD_CHARS = 4 * TEXT_MAX  # a CSV record (quoted text doubles its quotes)
PETITIONS_SHEET = "Ý kiến"


@dataclass(frozen=True)
class Field:
    name: str  # the field of PetitionCreate, the API's request to raise a petition
    heading: str
    hint: str
    hint_en: str
    width: int

    @property
    def required(self) -> bool:
        """As the API's request model has it."""
        return PetitionCreate.model_fields[self.name].is_required()


FIELDS: tuple[Field, ...] = (
    Field(
        "kind",
        "Loại",
        "phản ánh hoặc kiến nghị (đề xuất)",
        "reflection or proposal",
        16,
    ),
    Field(
        "category",
        "Lĩnh vực",
        "tên lĩnh vực hoặc mã (xem trang Danh mục)",
        "category label or code (see the Danh mục sheet)",
        28,
    ),
    Field("summary", "Tóm tắt", f"tối đa {SUMMARY_MAX} ký tự", f"≤ {SUMMARY_MAX}", 40),
    Field("text", "Nội dung", "nội dung đầy đủ", "the full text", 60),
    Field(
        "cell",
        "Chi bộ",
        "mã chi bộ (xem trang Chi bộ)",
        "party cell code (see the Chi bộ sheet)",
        24,
    ),
    Field("raised_by", "Người phản ánh", "họ tên bí thư chi bộ", "secretary's name", 24),
    Field(
        "channel",
        "Hình thức",
        "hội nghị hoặc báo cáo bằng văn bản",
        "meeting or written report",
        22,
    ),
    Field(
        "meeting",
        "Hội nghị",
        "bắt buộc nếu hình thức là hội nghị",
        "required when raised at a meeting",
        28,
    ),
    Field(
        "raised_on",
        "Ngày",
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

KIND_LABELS = {Kind.REFLECTION: "Phản ánh", Kind.PROPOSAL: "Kiến nghị, đề xuất"}
CHANNEL_LABELS = {
    Channel.MEETING: "Hội nghị",
    Channel.WRITTEN_REPORT: "Báo cáo bằng văn bản",
    Channel.CELL_MEETING: "Sinh hoạt chi bộ",
}
KIND_WORDS = {
    Kind.REFLECTION: ("phản ánh", "ý kiến phản ánh", "reflection"),
    Kind.PROPOSAL: ("kiến nghị", "đề xuất", "kiến nghị, đề xuất", "kiến nghị đề xuất", "proposal"),
}
CHANNEL_WORDS = {
    Channel.MEETING: ("hội nghị", "tại hội nghị", "giao ban", "meeting"),
    Channel.WRITTEN_REPORT: (
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
            if c.retired_on is None  # a retired cell raises nothing new
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

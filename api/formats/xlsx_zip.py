"""The limits an uploaded XLSX is read within, its refusals (in Vietnamese and English),
and the checks of its zip container made before any part is unpacked: the size of the
list of members, each member's declared size, their total and each one's compression
ratio (zipfile unpacks no more of a member than its declared size)."""

from __future__ import annotations

import struct
import zipfile
from dataclasses import dataclass

from openpyxl.utils.cell import get_column_letter

from api.formats.reports import number as vi_number

RATIO_FLOOR = 1_000_000  # bytes: a smaller member cannot unpack into much, whatever its ratio
END_RECORD = struct.Struct("<4s4H2LH")  # the zip's end of central directory record
ZIP64_LOCATOR = struct.Struct("<4sLQL")
ZIP64_RECORD = struct.Struct("<4sQ2H2L4Q")


@dataclass(frozen=True)
class Bounds:
    columns: int  # a cell further right than this column is refused
    rows: int  # a row further down than this one is refused
    part: int  # bytes: any part read, unpacked
    unpacked: int  # bytes: every member together, unpacked, as declared
    ratio: int  # unpacked over packed size, for a member larger than RATIO_FLOOR
    central_directory: int = 64 * 1024  # bytes: the zip's list of members

    def beyond(self, what: str, what_en: str) -> Refused:
        """A refusal of a sheet larger than the template: ``what`` ends in "nằm ngoài" or
        "vượt quá", ``what_en`` in "beyond"."""
        last = get_column_letter(self.columns)
        return Refused(
            f"{what} khuôn khổ của mẫu nhập (tối đa {self.columns} cột A–{last} và"
            f" {self.rows} dòng): hãy xóa các dòng, cột thừa hoặc chép các ý kiến sang mẫu.",
            f"{what_en} what the template holds (at most {self.columns} columns,"
            f" A–{last}, and {self.rows} rows): delete the extra rows and columns, or copy"
            " the petitions into the template.",
        )


class Refused(Exception):
    """The workbook cannot be read within the bounds, or is damaged (said in Vietnamese
    and in English)."""

    def __init__(self, message: str, message_en: str) -> None:
        super().__init__(message_en)
        self.message, self.message_en = message, message_en


def damaged() -> Refused:
    return Refused(
        "Không đọc được tệp XLSX (tệp hỏng hoặc không phải bảng tính Excel).",
        "The XLSX file cannot be read (damaged, or not an Excel workbook).",
    )


def too_large(size: int, limit: int) -> Refused:
    size_mb, limit_mb = -(-size // 1_000_000), limit // 1_000_000
    return Refused(
        f"Tệp XLSX quá lớn khi giải nén ({vi_number(size_mb)} MB; tối đa {limit_mb} MB).",
        f"The XLSX file is too large once unpacked ({size_mb:,} MB; at most {limit_mb} MB).",
    )


def check_central_directory(content: bytes, bounds: Bounds) -> None:
    """The zip's list of members is read whole when the zip is opened, so its size, as
    the end record (or the zip64 one) declares it, is checked first; the record is found
    the way zipfile finds it."""
    size = END_RECORD.size
    at = len(content) - size
    if not (at >= 0 and content[at : at + 4] == b"PK\x05\x06" and content[-2:] == b"\0\0"):
        at = content.rfind(b"PK\x05\x06", max(0, len(content) - size - 0xFFFF))
    if at < 0 or at + size > len(content):
        raise damaged()
    directory = END_RECORD.unpack_from(content, at)[5]
    locator = at - ZIP64_LOCATOR.size
    if locator >= 0 and content[locator : locator + 4] == b"PK\x06\x07":
        record = locator - ZIP64_RECORD.size
        if record < 0 or content[record : record + 4] != b"PK\x06\x06":
            raise damaged()
        directory = ZIP64_RECORD.unpack_from(content, record)[8]
    if directory > bounds.central_directory:
        raise Refused(
            f"Tệp XLSX có danh sách thành phần quá dài ({vi_number(directory)} byte).",
            f"The XLSX file lists too many parts ({directory:,} bytes of them).",
        )


def check_members(archive: zipfile.ZipFile, bounds: Bounds) -> None:
    """Every member's declared size, all of them together, and how much each inflates."""
    total = 0
    for info in archive.infolist():
        total += info.file_size
        ratio = info.file_size // max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR and ratio > bounds.ratio:
            raise Refused(
                f"Tệp XLSX bị nén bất thường: phần “{info.filename}” nở gấp {vi_number(ratio)} lần"
                f" khi giải nén (tối đa {bounds.ratio} lần).",
                f"The XLSX file is compressed abnormally: its part “{info.filename}” expands"
                f" {ratio:,} times (at most {bounds.ratio}).",
            )
    if total > bounds.unpacked:
        raise too_large(total, bounds.unpacked)

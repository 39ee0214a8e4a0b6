"""Hostile import files, built part by part: XLSX workbooks written as XML with zipfile (a
declared dimension of the whole sheet, cells at its far corners, a huge shared-strings
part, zip bombs, sizes that lie, a long list of members, entities of entities) and CSV
files too wide or too long. Each is under a megabyte as uploaded; none is held unpacked."""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import chain
from xml.sax.saxutils import escape

from openpyxl.utils.cell import get_column_letter

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
OFFICE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
HEADER = ["Loại", "Lĩnh vực", "Tóm tắt", "Nội dung", "Chi bộ", "Người phản ánh"]
HEADER += ["Hình thức", "Hội nghị", "Ngày"]
SHEET = "xl/worksheets/sheet1.xml"
STRINGS = "xl/sharedStrings.xml"
STYLES = "xl/styles.xml"


def inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(text)}</t></is></c>'


def sheet_xml(rows: list[str], dimension: str | None = None) -> str:
    """A worksheet part: ``rows`` are ``<row>`` elements written out."""
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN}">'
        f"{declared}<sheetData>{''.join(rows)}</sheetData></worksheet>"
    )


def headings_row(number: int = 1) -> str:
    cells = "".join(inline(f"{get_column_letter(i)}{number}", h) for i, h in enumerate(HEADER, 1))
    return f'<row r="{number}">{cells}</row>'


def workbook(
    sheet: str | None,
    *,
    shared_strings: str | None = None,
    styles: str | None = None,
    date1904: bool = False,
    streamed: dict[str, Iterable[bytes]] | None = None,
) -> bytes:
    """An XLSX holding one sheet named Ý kiến, with the shared strings and styles given;
    the parts in ``streamed`` are written chunk by chunk, never held whole (the sheet's
    too, when ``sheet`` is None)."""
    parts = {SHEET: sheet, STRINGS: shared_strings, STYLES: styles}
    present = {name for name, text in parts.items() if text is not None} | set(streamed or {})
    kinds = {SHEET: "worksheet", STRINGS: "sharedStrings", STYLES: "styles"}
    relations = "".join(
        f'<Relationship Id="rId{n}" Type="{DOC_RELS}/{kind}" Target="{name[3:]}"/>'
        for n, (name, kind) in enumerate(kinds.items(), 1)
        if name in present
    )
    overrides = "".join(
        f'<Override PartName="/{name}" ContentType="{OFFICE}.{kind}+xml"/>'
        for name, kind in kinds.items()
        if name in present
    )
    book_properties = '<workbookPr date1904="1"/>' if date1904 else ""
    written = {
        "[Content_Types].xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{TYPES}">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{OFFICE}.sheet.main+xml"/>'
            f"{overrides}</Types>"
        ),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELS}">'
            f'<Relationship Id="rId1" Type="{DOC_RELS}/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" '
            f'xmlns:r="{DOC_RELS}">{book_properties}<sheets><sheet name="Ý kiến" sheetId="1" '
            'r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELS}">'
            f"{relations}</Relationships>"
        ),
    } | {name: text for name, text in parts.items() if text is not None}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in written.items():
            archive.writestr(name, text.encode())
        for name, chunks in (streamed or {}).items():
            with archive.open(name, "w") as member:
                for chunk in chunks:
                    member.write(chunk)
    return out.getvalue()


def whole_sheet_declared() -> bytes:
    """The tester's file: ``A1:XFD1048576`` declared, cells at XFD1 and A1048576."""
    rows = [
        '<row r="1">' + inline("A1", "Loại") + inline("XFD1", "x") + "</row>",
        '<row r="1048576">' + inline("A1048576", "x") + "</row>",
    ]
    return workbook(sheet_xml(rows, "A1:XFD1048576"))


def far_cells_undeclared() -> bytes:
    """No dimension element, the same far cells below good headings."""
    rows = [
        headings_row(),
        '<row r="2">' + inline("XFD2", "x") + "</row>",
        '<row r="1048576">' + inline("A1048576", "x") + "</row>",
    ]
    return workbook(sheet_xml(rows))


def far_row_undeclared() -> bytes:
    """No dimension element, good headings, one cell in the sheet's last row."""
    rows = [headings_row(), '<row r="1048576">' + inline("A1048576", "x") + "</row>"]
    return workbook(sheet_xml(rows))


def wide_row_without_references() -> bytes:
    """A row of 200,000 cells that name no position (each the next column)."""
    rows = [headings_row(), '<row r="2">' + "<c/>" * 200_000 + "</row>"]
    return workbook(sheet_xml(rows))


def huge_shared_strings(count: int = 2_500_000) -> bytes:
    """Good headings and one row using the last of ``count`` shared strings (45 MB
    unpacked, 110 KB packed)."""
    head = f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}" count="{count}">'
    strings = chain(
        [head.encode()],
        (b"<si><t>ab</t></si>" * 10_000 for _ in range(count // 10_000)),
        [b"</sst>"],
    )
    row = f'<row r="2"><c r="A2" t="s"><v>{count - 1}</v></c></row>'
    return workbook(sheet_xml([headings_row(), row], "A1:I2"), streamed={STRINGS: strings})


def zip_bomb(size: int = 100_000_000) -> bytes:
    """Good headings and an extra member of ``size`` zero bytes (100 KB compressed),
    its size declared truthfully."""
    zeros = (bytes(1 << 20) for _ in range(size >> 20))
    return workbook(sheet_xml([headings_row()], "A1:I1"), streamed={"xl/media/zeros.bin": zeros})


def empty_rows(size: int) -> Iterable[bytes]:
    """A sheet part of good headings and ``size`` bytes of empty rows, chunk by chunk."""
    opening, closing = sheet_xml([headings_row()]).split("</sheetData>")
    return chain(
        [opening.encode()],
        (b"<row/>" * (1 << 18) for _ in range(size // (6 << 18))),
        [b"</sheetData>" + closing.encode()],
    )


def sheet_bomb(size: int = 45_000_000) -> bytes:
    """A sheet part that expands to ``size`` bytes of empty rows (66 KB packed), its
    size declared truthfully."""
    return workbook(None, streamed={SHEET: empty_rows(size)})


def lying_sizes(size: int = 100_000_000) -> bytes:
    """A sheet part that expands to ``size`` bytes of empty rows while the zip's central
    directory and local header claim 2,000."""
    content = bytearray(workbook(None, streamed={SHEET: empty_rows(size)}))
    with zipfile.ZipFile(io.BytesIO(bytes(content))) as archive:
        local = archive.getinfo(SHEET).header_offset
    claimed = 2_000
    struct.pack_into("<L", content, local + 22, claimed)  # the local header's size
    at = content.rfind(b"PK\x01\x02")  # the sheet is the last member written
    assert content[at + 46 : at + 46 + len(SHEET)] == SHEET.encode()
    struct.pack_into("<L", content, at + 24, claimed)
    return bytes(content)


def many_members(count: int = 8_000) -> bytes:
    """A workbook with ``count`` more, empty, members: a long list of members to read."""
    members = {f"xl/media/{n}.bin": iter(()) for n in range(count)}
    return workbook(sheet_xml([headings_row()], "A1:I1"), streamed=members)


def entity_expansion() -> bytes:
    """A sheet whose DTD defines entities of entities (the billion laughs)."""
    entities = '<!ENTITY a0 "ha">' + "".join(
        f'<!ENTITY a{n} "{f"&a{n - 1};" * 10}">' for n in range(1, 10)
    )
    sheet = sheet_xml(['<row r="2"><c r="A2" t="inlineStr"><is><t>&a9;</t></is></c></row>'])
    head, rest = sheet.split("\n", 1)
    return workbook(f"{head}\n<!DOCTYPE worksheet [{entities}]>\n{rest}")


def wide_csv(fields: int = 900_000) -> bytes:
    """Good headings and a line of ``fields`` empty fields (under a megabyte)."""
    return (",".join(HEADER) + "\r\n" + "," * fields + "\r\n").encode()


def long_csv(rows: int = 300_000) -> bytes:
    """Good headings and ``rows`` short lines (under a megabyte)."""
    return (",".join(HEADER) + "\r\n" + "a\r\n" * rows).encode()


@dataclass(frozen=True)
class Hostile:
    build: Callable[[], bytes]
    said: str  # in the Vietnamese refusal
    said_en: str  # in the English one


UNREADABLE = ("Không đọc được tệp XLSX", "The XLSX file cannot be read")
HOSTILE = {
    "A1:XFD1048576 declared, cells at XFD1 and A1048576": Hostile(
        whole_sheet_declared,
        "Trang tính khai báo vùng A1:XFD1048576, vượt quá khuôn khổ của mẫu nhập",
        "The sheet declares the range A1:XFD1048576, beyond what the template holds",
    ),
    "no dimension, a cell at XFD2": Hostile(far_cells_undeclared, "Ô XFD2 nằm", "Cell XFD2 is"),
    "no dimension, a cell in the last row": Hostile(
        far_row_undeclared, "Dòng 1048576 nằm", "Row 1048576 is"
    ),
    "a row of 200,000 cells without references": Hostile(
        wide_row_without_references, "Ô K2 nằm", "Cell K2 is"
    ),
    "45 MB of shared strings": Hostile(
        huge_shared_strings,
        "phần “xl/sharedStrings.xml” nở gấp 411 lần",
        "part “xl/sharedStrings.xml” expands 411 times (at most 100)",
    ),
    "a 45 MB sheet": Hostile(
        sheet_bomb,
        "phần “xl/worksheets/sheet1.xml” nở gấp 682 lần",
        "part “xl/worksheets/sheet1.xml” expands 682 times",
    ),
    "a 100 MB member": Hostile(
        zip_bomb,
        "phần “xl/media/zeros.bin” nở gấp 1.028 lần",
        "part “xl/media/zeros.bin” expands 1,028 times",
    ),
    "a sheet claiming 2 KB, 100 MB unpacked": Hostile(lying_sizes, *UNREADABLE),
    "8,000 members": Hostile(many_members, "danh sách thành phần quá dài", "lists too many parts"),
    "entities of entities": Hostile(entity_expansion, *UNREADABLE),
    "a CSV line of 900,000 commas": Hostile(
        wide_csv, "Dòng 2 dài hơn 80.000 ký tự", "Row 2 is longer than 80,000 characters"
    ),
    "a CSV of 300,000 rows": Hostile(long_csv, "Dòng 521 nằm", "Row 521 is beyond"),
}

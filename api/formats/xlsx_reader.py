"""One sheet of an uploaded XLSX workbook read as rows, in time and memory bounded by the
rows and columns the caller takes, whatever the file declares or holds. No HTTP here.

An XLSX is a zip of XML parts. Before any part is unpacked, the size of the zip's list of
members, each member's declared size, their total and each one's compression ratio are
checked (zipfile unpacks no more of a member than its declared size). The parts then read
(the relationships, the workbook, the sheet, the styles and the shared strings) are
streamed through a SAX parser that refuses DTDs and entities (defusedxml), each stopped as
soon as it has given what is needed:

* the sheet: its declared ``<dimension>`` is checked before its first row, and a row or a
  cell past the bounds is refused as soon as it is seen, so that no row is ever padded
  out to a width the file declares and no row past the bounds is read;
* the styles: only whether the number formats of the sheet's own cells are dates;
* the shared strings: only the strings the sheet's cells refer to, up to the last of them.

Values are those openpyxl gives in read-only ``data_only`` mode: text, ``int`` or
``float``, ``bool``, ``datetime`` for a number formatted as a date, a formula's cached
value.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass
from typing import Any, TypeVar
from xml.sax.handler import ContentHandler, feature_namespaces

from defusedxml.expatreader import create_parser
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.cell import column_index_from_string, get_column_letter, range_boundaries
from openpyxl.utils.datetime import (
    CALENDAR_MAC_1904,
    CALENDAR_WINDOWS_1900,
    from_excel,
    from_ISO8601,
)

from api.formats.xlsx_zip import (
    Bounds,
    Refused,
    check_central_directory,
    check_members,
    damaged,
    too_large,
)

H = TypeVar("H", bound="Handler")
CHUNK = 64 * 1024
CELL_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,9})")


class Done(Exception):
    """A handler has what it needs: the rest of the part is not read."""


@dataclass(frozen=True)
class SharedString:
    index: int


def read_sheet(content: bytes, preferred: str, bounds: Bounds) -> list[tuple[int, list[Any]]]:
    """The rows of the sheet named ``preferred`` (else the first sheet) that hold a value:
    ``(row number, values from column A to the row's last value)``, in order."""
    check_central_directory(content, bounds)
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except Exception:  # zipfile raises many kinds on a damaged file
        raise damaged() from None
    with archive:
        check_members(archive, bounds)
        parts = Parts(archive, bounds)
        book_part = "xl/workbook.xml"  # where the package's relationships name it, if any
        if "_rels/.rels" in archive.namelist():
            book_part = parts.related("_rels/.rels", "/officeDocument").get("/officeDocument", "")
        book = parts.parse(book_part, Workbook(preferred))
        related = parts.related(
            rels_of(book_part), "/styles", "/sharedStrings", ids={book.sheet or ""}
        )
        if book.sheet not in related:
            raise damaged()
        sheet = parts.parse(related[book.sheet], Sheet(bounds))
        codes: dict[int, str] = {}  # the number format of each style of a number cell
        if sheet.styles and "/styles" in related:
            formats = parts.parse(related["/styles"], CellFormats(sheet.styles)).formats
            custom = {f for f in formats.values() if f not in BUILTIN_FORMATS}
            found = dict(BUILTIN_FORMATS)
            if custom:
                found |= parts.parse(related["/styles"], FormatCodes(custom)).codes
            codes = {style: found[f] for style, f in formats.items() if f in found}
        strings: dict[int, str] = {}
        if sheet.strings:
            if "/sharedStrings" not in related:
                raise damaged()
            strings = parts.parse(related["/sharedStrings"], Strings(sheet.strings)).found
            if len(strings) < len(sheet.strings):
                raise damaged()  # a cell refers to a string the workbook does not have
    epoch = CALENDAR_MAC_1904 if book.date1904 else CALENDAR_WINDOWS_1900
    rows = []
    for number in sorted(sheet.rows):
        cells = sheet.rows[number]
        values: list[Any] = [None] * max(cells)
        for column, (value, style) in cells.items():
            if isinstance(value, SharedString):
                value = strings[value.index]
            elif type(value) in (int, float) and is_date_format(codes.get(style)):
                try:
                    value = from_excel(value, epoch, timedelta=is_timedelta_format(codes[style]))
                except (OverflowError, ValueError):
                    value = "#VALUE!"  # as openpyxl gives a date out of range
            values[column - 1] = value
        rows.append((number, values))
    return rows


# ---- the zip ---------------------------------------------------------------------------------


def rels_of(part: str) -> str:
    """Where the relationships of ``part`` are: ``xl/_rels/workbook.xml.rels``."""
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


class Parts:
    """The parts of an open workbook, each parsed as a stream within the bounds."""

    def __init__(self, archive: zipfile.ZipFile, bounds: Bounds) -> None:
        self.archive, self.bounds = archive, bounds

    def parse(self, name: str, handler: H) -> H:
        """``handler`` fed the part ``name``, chunk by chunk, until it is done."""
        try:
            info = self.archive.getinfo(name)
        except KeyError:
            raise damaged() from None
        if info.file_size > self.bounds.part:
            raise too_large(info.file_size, self.bounds.part)
        parser = create_parser(forbid_dtd=True)
        parser.setFeature(feature_namespaces, True)
        parser.setContentHandler(handler)
        try:
            # zipfile unpacks no more than the declared size: a part that would go on
            # fails its CRC check instead
            with self.archive.open(info) as member:
                while chunk := member.read(CHUNK):
                    parser.feed(chunk)
                parser.close()
        except Done:
            pass
        except Refused:
            raise
        except Exception:  # a damaged zip or XML, a DTD, an entity: all refused alike
            raise damaged() from None
        return handler

    def related(self, rels: str, *types: str, ids: set[str] | None = None) -> dict[str, str]:
        """Part names by relationship type (the first of each type) and by id."""
        folder = posixpath.dirname(posixpath.dirname(rels))
        return self.parse(rels, Relationships(folder, types, ids or set())).found


# ---- the parts ---------------------------------------------------------------------------------


class Handler(ContentHandler):
    """SAX events by local name, with the attributes by local name."""

    def startElementNS(self, name: tuple[str | None, str], qname: Any, attrs: Any) -> None:
        self.start(name[1], {key[1]: value for key, value in attrs.items()})

    def endElementNS(self, name: tuple[str | None, str], qname: Any) -> None:
        self.end(name[1])

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        pass

    def end(self, tag: str) -> None:
        pass


class Relationships(Handler):
    def __init__(self, folder: str, types: tuple[str, ...], ids: set[str]) -> None:
        self.folder, self.types, self.ids = folder, types, ids
        self.found: dict[str, str] = {}

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if tag != "Relationship" or attrs.get("TargetMode") == "External":
            return
        target = attrs.get("Target", "")
        if target.startswith("/"):
            target = target[1:]
        else:
            target = posixpath.normpath(posixpath.join(self.folder, target))
        if attrs.get("Id") in self.ids:
            self.found.setdefault(attrs["Id"], target)
        kind = attrs.get("Type", "")
        for wanted in self.types:
            if kind.endswith(wanted):
                self.found.setdefault(wanted, target)


class Workbook(Handler):
    """The relationship id of the sheet named ``preferred``, else of the first sheet."""

    def __init__(self, preferred: str) -> None:
        self.preferred = preferred
        self.sheet: str | None = None
        self.date1904 = False

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if tag == "workbookPr":
            self.date1904 = attrs.get("date1904", "").lower() in ("1", "true")
        elif tag == "sheet":
            if self.sheet is None:
                self.sheet = attrs.get("id")
            if attrs.get("name") == self.preferred:
                self.sheet = attrs.get("id")
                raise Done

    def end(self, tag: str) -> None:
        if tag == "sheets":
            raise Done


class Sheet(Handler):
    """The cells of a sheet within the bounds; anything past them refuses the sheet."""

    def __init__(self, bounds: Bounds) -> None:
        self.bounds = bounds
        self.rows: dict[int, dict[int, tuple[Any, int]]] = {}  # row -> column -> value, style
        self.strings: set[int] = set()  # the shared strings the cells refer to
        self.styles: set[int] = set()  # the styles of the cells holding numbers
        self.row = self.column = 0
        self.cell: tuple[int, int, str, int] | None = None  # row, column, type, style
        self.collecting: list[str] | None = None  # the text of <v>, while in it
        self.value: str | None = None  # the text of the cell's <v>
        self.inline: list[str] | None = None  # the text of the cell's <is>
        self.in_text = False
        self.phonetic = 0

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if tag == "dimension":
            self.check_dimension(attrs.get("ref", ""))
        elif tag == "row":
            self.row = integer(attrs["r"]) if "r" in attrs else self.row + 1
            self.column = 0
            if self.row > self.bounds.rows:
                raise self.bounds.beyond(f"Dòng {self.row} nằm ngoài", f"Row {self.row} is beyond")
        elif tag == "c":
            self.start_cell(attrs)
        elif self.cell is None:
            return
        elif tag == "v":
            self.collecting = []
        elif tag == "is":
            self.inline = []
        elif tag == "t":
            self.in_text = True
        elif tag == "rPh":
            self.phonetic += 1

    def check_dimension(self, ref: str) -> None:
        try:
            _, _, columns, rows = range_boundaries(ref.replace("$", ""))
        except (ValueError, TypeError):
            return  # not a range: only the cells themselves are checked
        if (columns or 0) > self.bounds.columns or (rows or 0) > self.bounds.rows:
            raise self.bounds.beyond(
                f"Trang tính khai báo vùng {ref}, vượt quá",
                f"The sheet declares the range {ref}, beyond",
            )

    def start_cell(self, attrs: dict[str, str]) -> None:
        ref = attrs.get("r")
        if ref is None:
            row, column = self.row, self.column + 1
        elif found := CELL_REF.fullmatch(ref):
            row, column = int(found[2]), column_index_from_string(found[1].upper())
        else:
            raise damaged()
        if column > self.bounds.columns or row > self.bounds.rows:
            ref = ref or f"{get_column_letter(column)}{row}"
            raise self.bounds.beyond(f"Ô {ref} nằm ngoài", f"Cell {ref} is beyond")
        if row < 1:
            raise damaged()
        self.column = column
        self.cell = (row, column, attrs.get("t", "n"), integer(attrs.get("s") or "0", 0))
        self.value = self.inline = None

    def characters(self, content: str) -> None:
        if self.collecting is not None:
            self.collecting.append(content)
        elif self.in_text and self.inline is not None and not self.phonetic:
            self.inline.append(content)

    def end(self, tag: str) -> None:
        if tag == "c" and self.cell is not None:
            self.end_cell(*self.cell)
            self.cell = None
        elif tag == "v" and self.collecting is not None:
            self.value, self.collecting = "".join(self.collecting), None
        elif tag == "t":
            self.in_text = False
        elif tag == "rPh":
            self.phonetic -= 1
        elif tag == "sheetData":
            raise Done

    def end_cell(self, row: int, column: int, kind: str, style: int) -> None:
        text = self.value or None
        value: Any
        if kind == "inlineStr":
            value = None if self.inline is None else "".join(self.inline)
        elif text is None:
            return
        elif kind == "n":
            value = float(text) if any(c in text for c in ".eE") else int(text)
            self.styles.add(style)
        elif kind == "s":
            value = SharedString(integer(text, 0))
            self.strings.add(value.index)
        elif kind == "b":
            value = text.strip() in ("1", "true")
        elif kind == "d":
            value = from_ISO8601(text)  # type: ignore[no-untyped-call]  # openpyxl's is unannotated
        else:  # str (a formula's text), e: an error such as #N/A
            value = text
        if value is not None:
            self.rows.setdefault(row, {})[column] = (value, style)


def integer(text: str, least: int = 1) -> int:
    """A row number, style or string index as the file writes it."""
    value = int(text)
    if value < least:
        raise ValueError(f"{text} is below {least}")
    return value


class CellFormats(Handler):
    """The number format of each of the ``wanted`` cell styles."""

    def __init__(self, wanted: set[int]) -> None:
        self.wanted = wanted
        self.formats: dict[int, int] = {}
        self.index: int | None = None  # within <cellXfs>

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if tag == "cellXfs":
            self.index = -1
        elif tag == "xf" and self.index is not None:
            self.index += 1
            if self.index in self.wanted:
                self.formats[self.index] = integer(attrs.get("numFmtId") or "0", 0)

    def end(self, tag: str) -> None:
        if tag == "cellXfs":
            raise Done


class FormatCodes(Handler):
    """The codes of the ``wanted`` custom number formats."""

    def __init__(self, wanted: set[int]) -> None:
        self.wanted = wanted
        self.codes: dict[int, str] = {}

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if tag == "numFmt":
            format_id = integer(attrs.get("numFmtId") or "0", 0)
            if format_id in self.wanted:
                self.codes[format_id] = attrs.get("formatCode", "")

    def end(self, tag: str) -> None:
        if tag == "numFmts":
            raise Done


class Strings(Handler):
    """The ``wanted`` shared strings, read up to the last of them."""

    def __init__(self, wanted: set[int]) -> None:
        self.wanted, self.last = wanted, max(wanted)
        self.found: dict[int, str] = {}
        self.index = -1
        self.text: list[str] | None = None  # the text of the current <si>, if wanted
        self.in_text = False
        self.phonetic = 0

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if tag == "si":
            self.index += 1
            self.text = [] if self.index in self.wanted else None
        elif tag == "t":
            self.in_text = True
        elif tag == "rPh":
            self.phonetic += 1

    def characters(self, content: str) -> None:
        if self.text is not None and self.in_text and not self.phonetic:
            self.text.append(content)

    def end(self, tag: str) -> None:
        if tag == "t":
            self.in_text = False
        elif tag == "rPh":
            self.phonetic -= 1
        elif tag == "si":
            if self.text is not None:
                self.found[self.index] = "".join(self.text)
            if self.index >= self.last:
                raise Done

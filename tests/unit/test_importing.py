"""Import files read and checked row by row (no database): every fault reported with its
row and column, nothing planned unless every row is good; the writers of CSV and XLSX;
the annual report page."""

from __future__ import annotations

import csv
import io
import unicodedata
import zipfile
from dataclasses import replace
from datetime import date, datetime
from typing import Any

import openpyxl
import pytest

from api.formats import minutes as importing
from api.formats.letterhead import Letterhead
from api.formats.minutes import BOUNDS, FileUnreadable, read_table
from api.formats.petition_rows import parse_date, validate
from api.formats.reports import annual_report_html
from api.formats.tables import Column, Sheet, to_csv, to_xlsx
from api.formats.xlsx_reader import read_sheet
from api.formats.xlsx_zip import Refused
from domain.petition import NAME_MAX, SUMMARY_MAX
from domain.reference import Cell, Commune, Department, District, Zone
from tests import hostile_files
from usecases.importing import Plan

TODAY = date(2026, 6, 10)
HEADER = ["Loại", "Lĩnh vực", "Tóm tắt", "Nội dung", "Chi bộ", "Người phản ánh"]
HEADER += ["Hình thức", "Hội nghị", "Ngày"]
GOOD = [
    "phản ánh",
    "Giao thông – xây dựng",
    "Cầu tràn thôn 3 sạt lở",
    "Cầu tràn sạt lở sau lũ, học sinh đi vòng 3 km.",
    "c-1",
    "Nguyễn Văn Bình",
    "hội nghị",
    "giao-ban-khu-1-2026-06-03",
    "03/06/2026",
]


def district() -> District:
    return District(
        name="Huyện mẫu",
        zones={"khu-1": Zone("khu-1", "Khu 1", None)},  # type: ignore[arg-type]
        communes={"xa-a": Commune("xa-a", "Xã A", "khu-1")},
        cells={
            "c-1": Cell("c-1", "Chi bộ thôn 1", "xa-a"),
            "c-2": Cell("c-2", "Chi bộ thôn 2", "xa-a"),
        },
        departments={"roads": Department("roads", "Phòng Kinh tế và Hạ tầng")},
    )


def csv_bytes(rows: list[list[Any]], *, bom: bool = True, delimiter: str = ",") -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return (("\ufeff" if bom else "") + out.getvalue()).encode()


def xlsx_bytes(rows: list[list[Any]], title: str = "Sheet1") -> bytes:
    book = openpyxl.Workbook()
    ws = book.active
    assert ws is not None
    ws.title = title
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def check(content: bytes) -> Plan:
    return validate(read_table(content), district(), TODAY)


def row(**changes: Any) -> list[Any]:
    values = dict(zip(HEADER, GOOD, strict=True))
    values.update({importing.HEADINGS[k]: v for k, v in changes.items()})
    return list(values.values())


def faults(plan: Plan) -> list[tuple[int | None, str | None]]:
    return [(e.row, e.column) for e in plan.errors]


# ---- good files ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bom", "delimiter"), [(True, ","), (False, ","), (True, ";"), (False, "\t")]
)
def test_a_good_csv_plans_every_row(bom: bool, delimiter: str) -> None:
    rows = [
        HEADER,
        GOOD,
        row(kind="Kien nghi", category="policy", channel="báo cáo bằng văn bản", meeting=""),
    ]
    plan = check(csv_bytes(rows, bom=bom, delimiter=delimiter))
    assert plan.errors == []
    assert plan.format == "csv"
    first, second = (p.draft for p in plan.petitions)
    assert [p.row for p in plan.petitions] == [2, 3]
    assert (first.kind, first.category, first.channel, first.raised_on) == (
        "reflection",
        "transport",
        "meeting",
        date(2026, 6, 3),
    )
    assert (second.kind, second.category, second.channel, second.meeting) == (
        "proposal",
        "policy",
        "written_report",
        None,
    )


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("Sản xuất nông nghiệp, thủy lợi", "agriculture"),
        ("san xuat nong nghiep thuy loi", "agriculture"),
        ("GIAO THÔNG - XÂY DỰNG", "transport"),
        ("Giao thông–xây dựng", "transport"),
        ("security", "security"),
        ("An ninh trật tự", "security"),
        ("Khác", "other"),
        ("social policies and benefits", "policy"),
    ],
)
def test_categories_by_code_or_label(written: str, code: str) -> None:
    plan = check(csv_bytes([HEADER, row(category=written)]))
    assert plan.errors == []
    assert plan.petitions[0].draft.category == code


def test_headings_without_diacritics_a_running_number_and_a_title_above() -> None:
    header = ["STT", "loai", "LINH VUC", "Tom tat", "Noi dung", "Chi bo", "Nguoi phan anh"]
    header += ["Hinh thuc", "Hoi nghi", "Ngay"]
    rows = [
        ["BIÊN BẢN HỘI NGHỊ GIAO BAN KHU 1 THÁNG 6/2026"],
        [],
        header,
        [1, *GOOD],
        [None] * 10,
        [2, *row(summary="Đèn đường thôn 2 hỏng")],
    ]
    plan = check(csv_bytes(rows))
    assert plan.errors == []
    assert [p.row for p in plan.petitions] == [4, 6]


def test_columns_in_another_order_and_the_optional_meeting_column_left_out() -> None:
    header = ["Ngày", "Chi bộ", "Loại", "Lĩnh vực", "Tóm tắt", "Nội dung"]
    header += ["Người phản ánh", "Hình thức"]
    rows = [header, ["03/06/2026", "C-2", "đề xuất", "services", "Chợ", "Chợ xuống cấp"]]
    rows[1] += ["Lê Thị Hoa", "báo cáo"]
    plan = check(csv_bytes(rows))
    assert plan.errors == []
    draft = plan.petitions[0].draft
    assert (draft.cell, draft.kind, draft.channel) == ("c-2", "proposal", "written_report")


def test_xlsx_with_real_dates_numbers_and_the_petitions_sheet() -> None:
    book = openpyxl.Workbook()
    other = book.active
    assert other is not None
    other.title = "Ghi chú"
    other.append(["not the petitions"])
    ws = book.create_sheet("Ý kiến")
    ws.append(HEADER)
    ws.append(row(raised_on=datetime(2026, 6, 3), summary=2026))
    out = io.BytesIO()
    book.save(out)
    plan = check(out.getvalue())
    assert plan.errors == [], plan.errors
    assert plan.format == "xlsx"
    draft = plan.petitions[0].draft
    assert (draft.raised_on, draft.summary) == (date(2026, 6, 3), "2026")


def test_text_is_trimmed_and_nfc_normalised() -> None:
    nfd = unicodedata.normalize("NFD", "Cầu tràn")  # as some keyboards type it
    plan = check(csv_bytes([HEADER, row(summary=f"  {nfd}  ")]))
    assert plan.petitions[0].draft.summary == unicodedata.normalize("NFC", "Cầu tràn")


# ---- bad files: every fault, with row and column -------------------------------------------


BAD_CASES = {
    "kind": ("ý kiến khác", "Loại"),
    "category": ("thể thao", "Lĩnh vực"),
    "cell": ("c-99", "Chi bộ"),
    "channel": ("điện thoại", "Hình thức"),
    "summary": ("x" * (SUMMARY_MAX + 1), "Tóm tắt"),
    "raised_by": ("x" * (NAME_MAX + 1), "Người phản ánh"),
    "raised_on": ("2026/06/03", "Ngày"),
    "text": ("", "Nội dung"),
    "meeting": ("", "Hội nghị"),  # raised at a meeting, which is not named
}


@pytest.mark.parametrize("field", list(BAD_CASES))
def test_each_kind_of_fault_is_reported_at_its_row_and_column(field: str) -> None:
    value, heading = BAD_CASES[field]
    plan = check(csv_bytes([HEADER, GOOD, row(**{field: value}), [*GOOD[:2], "Khác", *GOOD[3:]]]))
    assert faults(plan) == [(3, heading)]
    assert plan.errors[0].field == field
    assert plan.errors[0].message and plan.errors[0].message_en
    assert plan.petitions == []  # the good rows are not planned either


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ("11/06/2026", "after today"),
        ("31/02/2026", "not a date"),
        ("3 tháng 6", "not a date"),
        ("01/01/1999", "before the earliest business date (01/01/2000)"),
    ],
)
def test_dates(written: str, reason: str) -> None:
    plan = check(csv_bytes([HEADER, row(raised_on=written)]))
    assert faults(plan) == [(2, "Ngày")]
    assert reason in plan.errors[0].message_en


def test_every_fault_of_every_row_is_listed() -> None:
    rows = [
        HEADER,
        GOOD,
        row(kind="", category="bóng đá", raised_on="32/01/2026"),
        [*GOOD[:2], "Chợ", *GOOD[3:]],
        row(cell="", channel="hội nghị", meeting="", summary="bad\x00"),
    ]
    plan = check(csv_bytes(rows))
    assert faults(plan) == [
        (3, "Loại"),
        (3, "Lĩnh vực"),
        (3, "Ngày"),
        (5, "Tóm tắt"),
        (5, "Chi bộ"),
        (5, "Hội nghị"),
    ]
    assert plan.petitions == []
    assert plan.errors[0].as_dict() == {
        "field": "kind",
        "in": "file",
        "row": 3,
        "column": "Loại",
        "message": "Không được để trống.",
    }
    assert plan.errors[0].as_dict(english=True)["message"] == "Must not be empty."


def test_a_row_repeating_another_is_a_fault() -> None:
    plan = check(csv_bytes([HEADER, GOOD, row(summary="Khác"), GOOD]))
    assert faults(plan) == [(4, None)]
    assert "row 2" in plan.errors[0].message_en


def test_headings_missing_unknown_or_repeated() -> None:
    header = [h for h in HEADER if h != "Ngày"] + ["Ghi chú", "Loại"]
    plan = check(csv_bytes([header, GOOD]))
    assert faults(plan) == [(1, "Ghi chú"), (1, "Loại"), (1, "Ngày")]
    assert [e.message_en for e in plan.errors] == [
        plan.errors[0].message_en,
        "The column appears twice.",
        "A required column is missing.",
    ]
    assert plan.errors[0].message_en.startswith("Not a column of the template")


@pytest.mark.parametrize(
    "rows",
    [[HEADER], [HEADER, [], ["", " "]]],
    ids=["headings only", "blank rows"],
)
def test_a_file_without_petitions(rows: list[list[Any]]) -> None:
    plan = check(csv_bytes(rows))
    assert faults(plan) == [(2, None)]


def test_too_many_rows() -> None:
    rows = [HEADER] + [row(summary=f"Ý kiến {n}") for n in range(importing.MAX_ROWS + 1)]
    plan = check(csv_bytes(rows))
    assert [e.field for e in plan.errors] == ["file"]
    assert str(importing.MAX_ROWS) in plan.errors[0].message


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (b"", "empty"),
        (b"  \r\n", "empty"),
        ("Loại,Ngày\r\nphản ánh,3/6/2026".encode("utf-16"), "UTF-8"),
        (unicodedata.normalize("NFD", "Loại;Ngày\r\nphản ánh").encode("cp1258"), "UTF-8"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ".xls"),
        (b"PK\x03\x04 not really a zip", "XLSX"),
    ],
    ids=["empty", "blank", "utf-16", "windows-1258", "xls", "broken zip"],
)
def test_unreadable_files(content: bytes, said: str) -> None:
    with pytest.raises(FileUnreadable) as caught:
        read_table(content)
    assert said in caught.value.error.message_en
    assert caught.value.error.as_dict()["field"] == "file"


# ---- hostile files: refused before they are read -------------------------------------------


@pytest.mark.parametrize("hostile", hostile_files.HOSTILE.values(), ids=hostile_files.HOSTILE)
def test_hostile_files_are_refused_before_they_are_read(hostile: hostile_files.Hostile) -> None:
    content = hostile.build()
    assert len(content) < 1_000_000  # each fits in a request
    with pytest.raises(FileUnreadable) as caught:
        read_table(content)
    error = caught.value.error
    assert error.field == "file"
    assert hostile.said in error.message and hostile.said_en in error.message_en


def test_a_table_as_large_as_the_template_holds_is_read() -> None:
    """Ten columns (a running number and the nine of the template), 520 rows (19 above the
    headings, the headings, 500 petitions): read; one more column or row is refused."""
    header = ["STT", *HEADER]
    rows: list[list[Any]] = [[f"Biên bản, dòng {n}"] for n in range(1, 20)] + [header]
    rows += [[n, *row(summary=f"Ý kiến số {n}")] for n in range(1, importing.MAX_ROWS + 1)]
    assert (len(rows), len(header)) == (importing.MAX_SHEET_ROWS, importing.MAX_COLUMNS)
    assert (len(rows), len(header)) == (520, 10)
    for content in (csv_bytes(rows), xlsx_bytes(rows)):
        plan = check(content)
        assert plan.errors == [] and len(plan.petitions) == 500
        assert plan.petitions[-1].row == 520
    longer = [*rows, [501, *row(summary="Ý kiến 501")]]
    wider = [*rows[:-1], [*rows[-1], "x"]]
    for bigger, said in (
        (longer, ["Row 521 is beyond", "declares the range A1:J521"]),
        (wider, ["Row 520 has 11 columns", "declares the range A1:K520"]),
    ):
        for content, expected in zip((csv_bytes(bigger), xlsx_bytes(bigger)), said, strict=True):
            with pytest.raises(FileUnreadable) as caught:
                read_table(content)
            assert expected in caught.value.error.message_en


def test_a_declared_dimension_is_checked_before_any_row() -> None:
    """A good sheet declaring one column more than the template is refused unread."""
    rows = [hostile_files.headings_row(), f'<row r="2">{hostile_files.inline("A2", "x")}</row>']
    good = hostile_files.workbook(hostile_files.sheet_xml(rows, "A1:J2"))
    assert read_table(good).rows[1] == (2, ["x"])
    wide = hostile_files.workbook(hostile_files.sheet_xml(rows, "A1:K2"))
    with pytest.raises(FileUnreadable) as caught:
        read_table(wide)
    assert "declares the range A1:K2" in caught.value.error.message_en
    assert "Trang tính khai báo vùng A1:K2" in caught.value.error.message


def test_the_zips_declared_sizes_are_checked_before_a_part_is_unpacked() -> None:
    content = xlsx_bytes([HEADER, GOOD])
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sizes = {info.filename: info.file_size for info in archive.infolist()}
    sheet, total = sizes["xl/worksheets/sheet1.xml"], sum(sizes.values())
    assert sizes["xl/theme/theme1.xml"] > sheet  # the theme is never read: its size is no bar
    for bounds in (replace(BOUNDS, part=sheet - 1), replace(BOUNDS, unpacked=total - 1)):
        with pytest.raises(Refused) as caught:
            read_sheet(content, "Ý kiến", bounds)
        assert "too large once unpacked" in caught.value.message_en
        assert "quá lớn khi giải nén" in caught.value.message
    assert len(read_sheet(content, "Ý kiến", replace(BOUNDS, part=sheet, unpacked=total))) == 2


def test_xlsx_values_are_those_openpyxl_reads() -> None:
    """Every kind of value openpyxl writes, read as openpyxl's read-only mode reads it."""
    values: list[list[Any]] = [
        ["chữ", 3, 2.5, -1e-7, True, False, datetime(2026, 6, 3, 7, 30), date(2026, 6, 4)],
        [None, "", "  cách  ", 10**15, 0, None, None, None, None, "J"],
        [],
        ["=1+1", "Cầu tràn\nthôn 3", 1.0],
    ]
    book = openpyxl.Workbook()
    ws = book.active
    assert ws is not None
    ws.title = "Ý kiến"
    for number, row_values in enumerate(values, 2):
        for column, value in enumerate(row_values, 1):
            ws.cell(row=number, column=column, value=value)
    out = io.BytesIO()
    book.save(out)
    ours = read_table(out.getvalue()).rows
    theirs = openpyxl.load_workbook(io.BytesIO(out.getvalue()), read_only=True, data_only=True)
    expected = []
    for number, cells in enumerate(theirs["Ý kiến"].iter_rows(values_only=True), 1):
        cells = list(cells)
        while cells and cells[-1] is None:
            cells.pop()
        if cells:
            expected.append((number, cells))
    assert ours == expected
    assert ours[0][1][6] == datetime(2026, 6, 3, 7, 30)


def test_shared_strings_rich_text_styles_and_the_1904_calendar() -> None:
    """As Excel writes a workbook: text in the shared strings (rich text, a phonetic
    guide left out), a date as a number in a custom date format, 1904 dates."""
    strings = (
        f'<sst xmlns="{hostile_files.MAIN}"><si><t>Loại</t></si>'
        '<si><r><t>phản</t></r><r><rPr><b/></rPr><t xml:space="preserve"> ánh</t></r>'
        '<rPh sb="0" eb="4"><t>ハンアイン</t></rPh></si><si><t>không dùng</t></si>'
        "<si><t>c-1</t></si></sst>"
    )
    xf = 'fontId="0" fillId="0" borderId="0" xfId="0" numFmtId'
    styles = (
        f'<styleSheet xmlns="{hostile_files.MAIN}"><numFmts count="1">'
        '<numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts>'
        '<fonts count="1"><font/></fonts><fills count="1"><fill><patternFill/></fill></fills>'
        '<borders count="1"><border/></borders>'
        f'<cellStyleXfs count="1"><xf {xf}="0"/></cellStyleXfs><cellXfs count="3">'
        f'<xf {xf}="0"/><xf {xf}="164"/><xf {xf}="14"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    )
    cells = [
        '<c r="A1" t="s"><v>0</v></c><c r="C1" t="s"><v>1</v></c>',
        '<c r="A2" t="s"><v>3</v></c><c r="B2" s="1"><v>46176</v></c><c r="C2" s="2">'
        '<v>46176.5</v></c><c r="D2"><v>46176</v></c><c r="E2" t="b"><v>1</v></c>'
        '<c r="F2" t="str"><f>A2</f><v>c-1</v></c><c r="G2" t="e"><v>#N/A</v></c>'
        '<c t="d"><v>2026-06-03T00:00:00</v></c>',
    ]
    sheet = hostile_files.sheet_xml(
        [f'<row r="{n}">{c}</row>' for n, c in enumerate(cells, 1)], "A1:H2"
    )
    iso_day = datetime(2026, 6, 3)
    for date1904, day in ((False, datetime(2026, 6, 3)), (True, datetime(2030, 6, 4))):
        content = hostile_files.workbook(
            sheet, shared_strings=strings, styles=styles, date1904=date1904
        )
        assert read_table(content).rows == [
            (1, ["Loại", None, "phản ánh"]),
            (2, ["c-1", day, day.replace(hour=12), 46176, True, "c-1", "#N/A", iso_day]),
        ]
        theirs = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        assert [list(r) for r in theirs.worksheets[0].values][1] == read_table(content).rows[1][1]


@pytest.mark.parametrize(
    ("written", "day"),
    [
        ("03/06/2026", date(2026, 6, 3)),
        ("3/6/2026", date(2026, 6, 3)),
        ("03.06.2026", date(2026, 6, 3)),
        ("03-06-2026", date(2026, 6, 3)),
        ("2026-06-03", date(2026, 6, 3)),
        (datetime(2026, 6, 3, 0, 0), date(2026, 6, 3)),
        ("06/03/26", None),
        ("46176", None),
        ("13/13/2026", None),
    ],
)
def test_parse_date(written: Any, day: date | None) -> None:
    assert parse_date(written) == day


# ---- idempotency keys --------------------------------------------------------------------


def test_keys_follow_the_rows_content_not_the_files_bytes_or_order() -> None:
    other = row(summary="Đèn đường hỏng")
    as_csv = check(csv_bytes([HEADER, GOOD, other]))
    as_xlsx = check(xlsx_bytes([["Biên bản"], HEADER, other, GOOD]))
    assert as_csv.sha256 != as_xlsx.sha256
    assert {p.key for p in as_csv.petitions} == {p.key for p in as_xlsx.petitions}
    assert len({p.key for p in as_csv.petitions}) == 2
    assert all(len(p.key) <= 200 for p in as_csv.petitions)


# ---- the template --------------------------------------------------------------------------


def test_the_templates_have_the_headings_and_an_empty_template_plans_nothing() -> None:
    text = importing.template(district(), "csv").decode("utf-8")
    assert text.startswith("\ufeff")
    assert next(csv.reader(io.StringIO(text.lstrip("\ufeff")))) == HEADER
    book = openpyxl.load_workbook(io.BytesIO(importing.template(district(), "xlsx")))
    assert book.sheetnames[0] == "Ý kiến"
    ws = book["Ý kiến"]
    assert [c.value for c in ws[1]] == HEADER
    assert {r[1] for r in book["Danh mục"].iter_rows(min_row=2, values_only=True)} >= {
        "transport",
        "other",
    }
    assert [r[0] for r in book["Chi bộ"].iter_rows(min_row=2, values_only=True)] == ["c-1", "c-2"]
    ws.append(GOOD)
    out = io.BytesIO()
    book.save(out)
    plan = check(out.getvalue())
    assert plan.errors == [] and len(plan.petitions) == 1


# ---- writers ---------------------------------------------------------------------------------


SHEET = Sheet(
    "Bảng: thử/1",
    [Column("Tên"), Column("Số", "int"), Column("Tỷ lệ", "number"), Column("Ngày", "date")],
    [
        ('=HYPERLINK("http://x")', 3, 28.5, date(2026, 6, 3)),
        ("- gạch đầu dòng\x01", -12, None, None),
        ("Bình thường", 0, 0.0, date(2026, 1, 1)),
    ],
)


def test_csv_has_a_bom_and_formula_like_text_is_defused() -> None:
    content = to_csv(SHEET)
    assert content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows == [
        ["Tên", "Số", "Tỷ lệ", "Ngày"],
        ['\'=HYPERLINK("http://x")', "3", "28.5", "03/06/2026"],
        ["'- gạch đầu dòng\x01", "-12", "", ""],
        ["Bình thường", "0", "0", "01/01/2026"],
    ]


def test_xlsx_keeps_text_as_text_numbers_as_numbers_dates_as_dates() -> None:
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx([SHEET])))
    ws = book.worksheets[0]
    assert ws.title == "Bảng- thử-1"
    first = ws["A2"]
    assert (first.value, first.data_type) == ('=HYPERLINK("http://x")', "s")
    assert ws["A3"].value == "- gạch đầu dòng"  # a control character XLSX cannot hold
    assert [c.value for c in ws[2]][1:] == [3, 28.5, datetime(2026, 6, 3)]
    assert ws["D2"].number_format == "DD/MM/YYYY"
    assert ws["C3"].value is None


# ---- the annual report page ------------------------------------------------------------------


def test_the_annual_report_escapes_data_and_writes_numbers_the_vietnamese_way() -> None:
    report = {
        "year": 2026,
        "zone": None,
        "total": 1172,
        "previous_total": 1184,
        "change": -12,
        "categories": [
            {
                "category": "transport",
                "label": "Giao thông <script>alert(1)</script>",
                "label_en": "",
                "count": 49,
                "share": 28.5,
                "previous_count": 40,
                "change": 9,
            }
        ],
    }
    page = annual_report_html(
        district='Huyện "A" & <b>B</b>',
        report=report,
        zones=[("Khu <1>", report)],
        today=date(2026, 11, 20),
        unit="huyện",
        letterhead=Letterhead(
            "ĐẢNG BỘ <I>", "HUYỆN ỦY <I>A</I>", "HU", "A & <i>B</i>", "Văn phòng <u>"
        ),
    )
    assert "<script>" not in page and "<b>B</b>" not in page and "Khu <1>" not in page
    assert "<I>" not in page and "<i>B</i>" not in page
    assert "HUYỆN ỦY &lt;I&gt;A&lt;/I&gt;" in page and "Số …-BC/HU" in page
    assert "A &amp; &lt;i&gt;B&lt;/i&gt;, ngày 20 tháng 11 năm 2026" in page
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in page and "T/M BAN THƯỜNG VỤ" in page
    assert "- Lưu Văn phòng &lt;u&gt;." in page
    assert "Giao thông &lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Huyện &quot;A&quot; &amp; &lt;b&gt;B&lt;/b&gt;" in page
    assert "1.172" in page and "28,5" in page and "−12" in page and "giảm 12 ý kiến" in page
    assert "size: A4" in page and 'lang="vi"' in page

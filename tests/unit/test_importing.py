"""Import files read and checked row by row (no database): every fault reported with its
row and column, nothing planned unless every row is good; the writers of CSV and XLSX;
the annual report page."""

from __future__ import annotations

import csv
import io
import unicodedata
from datetime import date, datetime
from typing import Any

import openpyxl
import pytest

from domain.petition import NAME_MAX, SUMMARY_MAX
from domain.reference import Cell, Commune, Department, District, Zone
from service import importing
from service.importing import FileUnreadable, Plan, parse_date, read_table, validate
from service.reports import annual_report_html
from service.tables import Column, Sheet, to_csv, to_xlsx

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
    )
    assert "<script>" not in page and "<b>B</b>" not in page and "Khu <1>" not in page
    assert "Giao thông &lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Huyện &quot;A&quot; &amp; &lt;b&gt;B&lt;/b&gt;" in page
    assert "1.172" in page and "28,5" in page and "−12" in page and "giảm 12 ý kiến" in page
    assert "size: A4" in page and 'lang="vi"' in page

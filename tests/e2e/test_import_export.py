"""Import from the minutes and exports, through HTTP against the live service.

An import with good and bad rows records nothing and lists every bad row; the corrected
file records every row, and importing it again (as CSV or XLSX) records nothing new and
answers with the same ids. Every export, read back with csv or openpyxl, shows the figures
the JSON API shows; the annual report page shows them too, with data escaped.
"""

from __future__ import annotations

import csv
import dataclasses
import gc
import io
import re
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import openpyxl
import pytest

from domain.vocabulary import OPEN_STATUSES
from tests import hostile_files
from tests.e2e.conftest import DEPARTMENT, OTHER_DEPARTMENT, Live
from tests.figures import record

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER = ["Loại", "Lĩnh vực", "Tóm tắt", "Nội dung", "Chi bộ", "Người phản ánh"]
HEADER += ["Hình thức", "Hội nghị", "Ngày"]


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def head(live: Live) -> int:
    return live.service.app.recorder.max_notification_id() or 0


def csv_file(rows: list[list[Any]]) -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return ("\ufeff" + out.getvalue()).encode()


def xlsx_file(rows: list[list[Any]]) -> bytes:
    book = openpyxl.Workbook()
    ws = book.active
    assert ws is not None
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client: httpx.Client, content: bytes, name: str = "bien-ban.csv") -> httpx.Response:
    kind = XLSX if name.endswith(".xlsx") else "text/csv"
    return client.post("/v1/imports", files={"file": (name, content, kind)})


def minutes(tag: str) -> list[list[Any]]:
    """A zone briefing's petitions as the clerk types them from the minutes."""
    return [
        HEADER,
        [
            "phản ánh",
            "Tài nguyên, môi trường",
            f"Bãi rác tự phát cạnh kênh N3 ({tag})",
            "Người dân đổ rác cạnh kênh N3, bốc mùi, ảnh hưởng nguồn nước tưới.",
            "yen-lac-thon3",
            "Nguyễn Văn Bình",
            "hội nghị",
            "giao-ban-khu-1-2026-06-03",
            "03/06/2026",
        ],
        [
            "kiến nghị",
            "transport",
            f"Đề nghị sửa cầu tràn thôn 5 ({tag})",
            "Cầu tràn sạt lở sau lũ, học sinh phải đi vòng 3 km.",
            "yen-lac-thon5",
            "Trần Thị Lan",
            "hội nghị",
            "giao-ban-khu-1-2026-06-03",
            "03/06/2026",
        ],
        [
            "đề xuất",
            "Chế độ chính sách",
            f"Chậm chi trả trợ cấp người cao tuổi ({tag})",
            "Nhiều cụ chưa nhận trợ cấp tháng 5.",
            "dong-tam-thon1",
            "Lê Văn Tám",
            "báo cáo bằng văn bản",
            "",
            "28/05/2026",
        ],
    ]


# ---- the template ---------------------------------------------------------------------------


def test_the_template_in_both_formats(live: Live) -> None:
    clerk = live.client("clerk")
    as_csv = clerk.get("/v1/imports/template", params={"format": "csv"})
    assert as_csv.status_code == 200, as_csv.text
    assert as_csv.headers["content-type"].startswith("text/csv")
    assert 'filename="mau-nhap-y-kien.csv"' in as_csv.headers["content-disposition"]
    assert as_csv.content.startswith("\ufeff".encode())
    assert list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig")))) == [HEADER]

    as_xlsx = clerk.get("/v1/imports/template", params={"format": "xlsx"})
    assert as_xlsx.status_code == 200, as_xlsx.text
    assert as_xlsx.headers["content-type"] == XLSX
    assert 'filename="mau-nhap-y-kien.xlsx"' in as_xlsx.headers["content-disposition"]
    book = openpyxl.load_workbook(io.BytesIO(as_xlsx.content))
    assert book.sheetnames == ["Ý kiến", "Hướng dẫn", "Danh mục", "Chi bộ"]
    assert [c.value for c in book["Ý kiến"][1]] == HEADER
    reference = ok(clerk.get("/v1/reference"))
    listed = [r[0] for r in book["Chi bộ"].iter_rows(min_row=2, values_only=True)]
    assert sorted(listed) == sorted(c["code"] for c in reference["cells"])
    labels = [r[0] for r in book["Danh mục"].iter_rows(min_row=2, values_only=True)]
    assert labels == [c["label"] for c in reference["categories"]]
    assert clerk.get("/v1/imports/template").headers["content-type"] == XLSX  # the default


# ---- importing ------------------------------------------------------------------------------


def test_a_file_with_bad_rows_records_nothing_and_lists_every_bad_row(live: Live) -> None:
    clerk = live.client("clerk")
    tomorrow = (live.service.app.today() + timedelta(days=1)).strftime("%d/%m/%Y")
    rows = minutes("bad rows")
    rows.insert(2, ["phản ánh", "Bóng đá", "", "Sân bóng xuống cấp.", "thon-khong-co"])
    rows[2] += ["Phạm Văn A", "hội nghị", "", tomorrow]
    rows.append(["phản ánh", "Khác", "Đèn đường hỏng", "Thôn 3 tối.", "yen-lac-thon3", ""])
    rows[-1] += ["điện thoại", "", "31/02/2026"]
    before = head(live)
    response = upload(clerk, csv_file(rows))
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["code"] == "import_rejected"
    assert [(e["row"], e["column"]) for e in body["errors"]] == [
        (3, "Lĩnh vực"),
        (3, "Tóm tắt"),
        (3, "Chi bộ"),
        (3, "Hội nghị"),
        (3, "Ngày"),
        (6, "Người phản ánh"),
        (6, "Hình thức"),
        (6, "Ngày"),
    ]
    assert all(e["in"] == "file" and e["message"] for e in body["errors"])
    assert "Bóng đá" in body["errors"][0]["message"]
    assert "3, 6" in body["detail"]
    assert head(live) == before, "a rejected import recorded events"

    english = clerk.post(
        "/v1/imports",
        files={"file": ("bien-ban.csv", csv_file(rows), "text/csv")},
        headers={"Accept-Language": "en"},
    )
    assert english.status_code == 422
    messages = [e["message"] for e in english.json()["errors"]]
    assert "Must not be empty." in messages
    assert any("after today" in m for m in messages)
    assert head(live) == before


def test_the_corrected_file_records_every_row_and_a_second_import_records_nothing(
    live: Live,
) -> None:
    clerk = live.client("clerk")
    rows = minutes("corrected")
    before = head(live)
    first = ok(upload(clerk, csv_file(rows)), 201)
    assert (first["format"], first["recorded"], first["replayed"]) == ("csv", 3, 0)
    assert [i["row"] for i in first["items"]] == [2, 3, 4]
    assert not any(i["replayed"] for i in first["items"])
    assert head(live) > before
    assert first["position"] == max(i["position"] for i in first["items"])

    state = ok(clerk.get(f"/v1/petitions/{first['items'][2]['id']}"))
    assert {k: state[k] for k in ("kind", "category", "cell", "channel", "meeting")} == {
        "kind": "proposal",
        "category": "policy",
        "cell": "dong-tam-thon1",
        "channel": "written_report",
        "meeting": None,
    }
    assert (state["raised_on"], state["zone"], state["status"]) == ("2026-05-28", "khu-2", "raised")
    listed = ok(
        clerk.get("/v1/petitions", params={"q": "corrected", "min_position": first["position"]})
    )
    assert {r["petition_id"] for r in listed["items"]} == {i["id"] for i in first["items"]}

    after = head(live)
    again = ok(upload(clerk, csv_file(rows)), 200)
    assert (again["recorded"], again["replayed"]) == (0, 3)
    assert again["items"] == [{**i, "replayed": True} for i in first["items"]]
    assert head(live) == after, "importing the same file again recorded events"

    # The same rows saved as XLSX, in another order below a title: still nothing new.
    reordered = [["Biên bản giao ban khu 1"], rows[0], rows[3], rows[1], rows[2]]
    as_xlsx = ok(upload(clerk, xlsx_file(reordered), "bien-ban.xlsx"), 200)
    assert as_xlsx["format"] == "xlsx"
    assert {(i["row"], i["id"]) for i in as_xlsx["items"]} == {
        (3, first["items"][2]["id"]),
        (4, first["items"][0]["id"]),
        (5, first["items"][1]["id"]),
    }
    assert head(live) == after

    # A row added to the file: only that one is recorded.
    grown = [*rows, ["phản ánh", "Khác", "Đèn đường thôn 3 hỏng (corrected)", "Tối."]]
    grown[-1] += ["yen-lac-thon3", "Nguyễn Văn Bình", "văn bản", "", "01/06/2026"]
    added = ok(upload(clerk, csv_file(grown)), 201)
    assert (added["recorded"], added["replayed"]) == (1, 3)
    assert [i["replayed"] for i in added["items"]] == [True, True, True, False]


def test_an_xlsx_import_from_the_template(live: Live) -> None:
    clerk = live.client("clerk")
    template = clerk.get("/v1/imports/template", params={"format": "xlsx"}).content
    book = openpyxl.load_workbook(io.BytesIO(template))
    ws = book["Ý kiến"]
    for r, row in enumerate(minutes("xlsx")[1:], 2):
        for c, value in enumerate(row, 1):
            ws.cell(row=r, column=c, value=value)
    ws["I2"] = datetime(2026, 6, 3)  # typed as a date, as Excel may keep it
    out = io.BytesIO()
    book.save(out)
    before = head(live)
    done = ok(upload(clerk, out.getvalue(), "bien-ban.xlsx"), 201)
    assert (done["format"], done["recorded"]) == ("xlsx", 3)
    assert head(live) > before
    state = ok(clerk.get(f"/v1/petitions/{done['items'][0]['id']}"))
    assert (state["raised_on"], state["category"]) == ("2026-06-03", "environment")


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe", "anh.csv"),
        (b"PK\x03\x04broken", "hong.xlsx"),
        (b"", "rong.csv"),
        ("Tên,Tuổi\r\nAn,3\r\n".encode(), "khac.csv"),
    ],
    ids=["binary", "broken xlsx", "empty", "another table"],
)
def test_files_that_are_not_the_template_are_refused(live: Live, content: bytes, name: str) -> None:
    before = head(live)
    response = upload(live.client("clerk"), content, name)
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["code"] == "import_rejected" and body["errors"], body
    assert head(live) == before


@pytest.mark.parametrize("hostile", hostile_files.HOSTILE.values(), ids=hostile_files.HOSTILE)
def test_hostile_files_are_refused_with_a_clear_problem(
    live: Live, hostile: hostile_files.Hostile
) -> None:
    content = hostile.build()
    name = "bien-ban.xlsx" if content.startswith(b"PK") else "bien-ban.csv"
    before = head(live)
    refused = upload(live.client("clerk"), content, name)
    assert refused.status_code == 422, refused.text
    body = refused.json()
    assert body["code"] == "import_rejected" and hostile.said in body["detail"]
    assert body["errors"] == [{"field": "file", "in": "file", "message": body["detail"]}]
    in_english = upload(live.client("clerk", **{"Accept-Language": "en"}), content, name)
    assert in_english.status_code == 422
    assert hostile.said_en in in_english.json()["detail"]
    assert head(live) == before


def memory(field: str) -> int:
    """This process's VmRSS or VmHWM (its peak since the counter was reset), in kB."""
    status = Path("/proc/self/status").read_text()
    found = re.search(rf"^{field}:\s+([0-9]+) kB", status, re.MULTILINE)
    assert found, status
    return int(found[1])


def peak_while(action: Callable[[], Any]) -> tuple[Any, float, float, float]:
    """What ``action`` returns, the seconds it took, and the peak and final RSS of the
    server above its RSS before, in MB. The live server runs in this process (see
    conftest.py): the kernel's peak counter is reset before (``clear_refs``, 5)."""
    gc.collect()
    Path("/proc/self/clear_refs").write_text("5")
    idle = memory("VmHWM")  # the counter starts again from the RSS of now
    started = time.monotonic()
    result = action()
    took = time.monotonic() - started
    peak, kept = memory("VmHWM") - idle, memory("VmRSS") - idle
    return result, took, peak / 1024, kept / 1024


def test_a_hostile_xlsx_is_refused_in_little_time_and_memory(live: Live) -> None:
    """The tester's file (1.6 KB, A1:XFD1048576 declared, cells at XFD1 and A1048576) took
    4.7 s and 110 MB to refuse, six at once 23 s each and 1.28 GB: now a few milliseconds
    and no memory to speak of, alone and six at once."""
    content = hostile_files.whole_sheet_declared()
    clients = [live.client("clerk") for _ in range(6)]
    assert upload(clients[0], content, "rong.xlsx").status_code == 422  # the server warmed up
    before = head(live)

    alone, took, peak, kept = peak_while(lambda: upload(clients[0], content, "rong.xlsx"))

    start = threading.Barrier(6)

    def refuse(client: httpx.Client) -> tuple[int, float]:
        start.wait()
        sent = time.monotonic()
        status = upload(client, content, "rong.xlsx").status_code
        return status, time.monotonic() - sent

    with ThreadPoolExecutor(6) as pool:
        together, _, peak_six, kept_six = peak_while(lambda: list(pool.map(refuse, clients)))
    slowest = max(seconds for _, seconds in together)
    record(
        "hostile xlsx",
        f"{len(content):,} bytes declaring A1:XFD1048576: refused in {took * 1000:.0f} ms, peak"
        f" {peak:.1f} MB above idle, {kept:.1f} MB kept; six at once: slowest"
        f" {slowest * 1000:.0f} ms, peak {peak_six:.1f} MB, {kept_six:.1f} MB kept",
        seconds=round(took, 3),
        peak_mb=round(peak, 1),
        six_slowest_seconds=round(slowest, 3),
        six_peak_mb=round(peak_six, 1),
        six_kept_mb=round(kept_six, 1),
    )
    assert alone.status_code == 422 and "XFD1048576" in alone.json()["detail"]
    assert [status for status, _ in together] == [422] * 6
    assert took < 1.0 and slowest < 2.0, (took, slowest)  # on a loaded 2-core machine
    assert peak < 30 and peak_six < 30, (peak, peak_six)
    assert kept < 30 and kept_six < 30, (kept, kept_six)
    assert head(live) == before


def test_an_oversized_file_is_413(live: Live) -> None:
    limit = live.service.settings.max_body_bytes
    response = upload(live.client("clerk"), b"x" * (limit + 1))
    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large"


def test_only_a_clerk_imports(live: Live) -> None:
    before = head(live)
    for who in ("committee", "department", "auditor", "admin"):
        response = upload(live.client(who), csv_file(minutes("not a clerk")))
        assert response.status_code == 403, (who, response.text)
    assert head(live) == before


# ---- exports --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def district_year(live: Live) -> int:
    """Petitions of 2025 and 2026 in several categories and zones, assigned to two
    departments, some answered (one late), some verified; returns the last log position."""
    clerk, committee = live.client("clerk"), live.client("committee")
    ours, theirs = live.client("department"), live.client("other_department")
    rows = [HEADER]
    plan = [
        ("transport", "yen-lac-thon5", "05/06/2026"),
        ("transport", "dong-tam-thon1", "05/06/2026"),
        ("environment", "dong-phuong-thon1", "08/06/2026"),
        ("security", "xuan-son-thon1", "10/06/2026"),
        ("policy", "yen-lac-thon3", "03/07/2026"),
        ("transport", "yen-lac-thon3", "03/07/2025"),
        ("other", "dong-tam-thon1", "05/08/2025"),
    ]
    for n, (category, cell, day) in enumerate(plan):
        rows.append(
            [
                "kiến nghị",
                category,
                f"=Ý kiến số {n} <b>in đậm</b>",
                "Nội dung chi tiết.",
                cell,
                "Bí thư",
                "báo cáo bằng văn bản",
                "",
                day,
            ]
        )
    ids = [i["id"] for i in ok(upload(clerk, csv_file(rows)), 201)["items"]]
    last = 0

    def step(response: httpx.Response) -> None:
        nonlocal last
        last = max(last, ok(response)["position"])

    for pid, department, on in (
        (ids[0], DEPARTMENT, "2026-06-08"),
        (ids[1], DEPARTMENT, "2026-06-08"),
        (ids[2], DEPARTMENT, "2026-06-10"),
        (ids[3], OTHER_DEPARTMENT, "2026-06-12"),
        (ids[4], OTHER_DEPARTMENT, "2026-07-05"),
    ):
        step(
            committee.post(
                f"/v1/petitions/{pid}/assignment",
                json={"department": department, "assigned_on": on},
            )
        )
    for pid, client, on in (
        (ids[0], ours, "2026-06-20"),
        (ids[1], ours, "2026-08-20"),  # after the due date
        (ids[3], theirs, "2026-06-25"),
    ):
        step(
            client.post(
                f"/v1/petitions/{pid}/answer",
                json={
                    "mode": "written",
                    "text": "Đã khảo sát, lập dự toán.",
                    "document_number": "12/CV",
                    "document_date": on,
                    "signer": "Trưởng phòng",
                    "answered_on": on,
                },
            )
        )
    for pid, verdict, flags, on in (
        (ids[0], "satisfied", [], "2026-07-03"),
        (ids[3], "unsatisfied", ["generic"], "2026-07-10"),
    ):
        step(
            clerk.post(
                f"/v1/petitions/{pid}/verification",
                json={"verdict": verdict, "flags": flags, "verified_on": on, "meeting": "gb"},
            )
        )
    return last


def read_csv(response: httpx.Response) -> list[list[str]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())
    assert re.search(
        r'attachment; filename="[a-z0-9-]+\.csv"', response.headers["content-disposition"]
    )
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def read_xlsx(response: httpx.Response) -> dict[str, list[list[Any]]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == XLSX
    assert re.search(
        r'attachment; filename="[a-z0-9-]+\.xlsx"', response.headers["content-disposition"]
    )
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in book.worksheets}


def both(client: httpx.Client, path: str, params: dict[str, Any]) -> tuple[Any, Any]:
    as_csv = read_csv(client.get(path, params={**params, "format": "csv"}))
    as_xlsx = read_xlsx(client.get(path, params={**params, "format": "xlsx"}))
    return as_csv, as_xlsx


def dmy(iso: str | None) -> str:
    return "" if iso is None else date.fromisoformat(iso).strftime("%d/%m/%Y")


def day(iso: str | None) -> datetime | None:
    return None if iso is None else datetime.fromisoformat(iso)


def test_the_overdue_board_export_shows_the_boards_rows(live: Live, district_year: int) -> None:
    for who in ("committee", "auditor", "department"):
        client = live.client(who)
        params = {"on": "2026-09-15", "min_position": district_year}
        board = ok(client.get("/v1/overdue", params=params))
        assert board["items"], who
        as_csv, as_xlsx = both(client, "/v1/exports/overdue", params)
        header, *rows = as_csv
        assert header[:3] == ["Mã ý kiến", "Loại quá hạn", "Đơn vị giải quyết"]
        assert header[-1] == "Số ý kiến"
        kinds = {"answer": "Chưa trả lời", "verification": "Chưa xác minh"}
        expected = [
            [
                i["petition_id"],
                kinds[i["kind"]],
                dmy(i["due_on"]),
                str(i["days_overdue"]),
                i["number"],
            ]
            for i in board["items"]
        ]
        assert all(i["number"].startswith("KN-") for i in board["items"])
        assert [[r[0], r[1], r[9], r[10], r[-1]] for r in rows] == expected, who
        # a cell with its commune: every commune has a Thôn 1
        assert all(" – " in r[header.index("Chi bộ")] for r in rows)
        sheet = as_xlsx["Quá hạn"]
        assert sheet[0] == header
        assert [[r[0], r[1], r[9], r[10], r[-1]] for r in sheet[1:]] == [
            [i["petition_id"], kinds[i["kind"]], day(i["due_on"]), i["days_overdue"], i["number"]]
            for i in board["items"]
        ]
        totals = as_xlsx["Tổng hợp"][1:]
        assert [r[2:] for r in totals] == [
            [
                t["answer"],
                t["verification"],
                t["very_overdue"],
                t["max_days_overdue"],
                t["contribution"],
                t["commitment"],
            ]
            for t in board["totals"]
        ]
        if who == "department":
            reference = ok(client.get("/v1/reference"))["departments"]
            own = next(d["name"] for d in reference if d["code"] == DEPARTMENT)
            assert {r[2] for r in rows} == {own}  # its own only, by name


def test_the_scorecard_export_shows_the_scorecards(live: Live, district_year: int) -> None:
    client = live.client("committee")
    params = {"from": "2026-01-01", "to": "2026-10-31", "min_position": district_year}
    cards = ok(client.get("/v1/departments/quality", params=params))["departments"]
    assert {c["department"] for c in cards} >= {DEPARTMENT, OTHER_DEPARTMENT}
    as_csv, as_xlsx = both(client, "/v1/exports/quality", params)
    header, *rows = as_csv
    sheet = as_xlsx["Chất lượng trả lời"]
    assert sheet[0] == header
    column = {h: i for i, h in enumerate(header)}
    for card, text_row, cells in zip(cards, rows, sheet[1:], strict=True):
        assert text_row[column["Mã đơn vị"]] == cells[column["Mã đơn vị"]] == card["department"]
        for heading, figure in (
            ("Được giao", card["assigned"]),
            ("Đã trả lời", card["answered"]),
            ("Trả lời đúng hạn", card["on_time"]["count"]),
            ("Quá hạn chưa trả lời", card["open_overdue"]),
            ("Đã xác minh", card["verified"]),
            ("Kết thúc hài lòng", card["satisfied_closures"]),
            ("Bị trả lại khi thẩm định", card["returns"]),
            ("Cam kết đến hạn", card["commitments_kept"]["total"]),
            ("Cam kết thực hiện đúng hạn", card["commitments_kept"]["count"]),
            ("Ý kiến phối hợp đã gửi", card["contributions"]["sent"]),
            ("Phối hợp gửi chậm", card["contributions"]["late"]),
            ("Phối hợp quá hạn chưa gửi", card["contributions"]["open_overdue"]),
        ):
            assert text_row[column[heading]] == str(figure), heading
            assert cells[column[heading]] == figure, heading
        rate = card["on_time"]["rate"]
        expected = None if rate is None else round(rate * 100, 2)
        assert cells[column["Tỷ lệ đúng hạn (%)"]] == expected
        assert cells[column["Điểm"]] == card["score"]
        assert cells[column["Xếp hạng"]] == card["rank"]
        for months in (6, 12):  # the closures that hold, the last columns
            rate = card[f"repeated_within_{months}_months"]["rate"]
            expected = None if rate is None else round(rate * 100, 2)
            assert cells[column[f"Nêu lại trong {months} tháng (%)"]] == expected
    assert header[-9:] == [  # the closures that hold, then the follow-through's, last
        "Kết thúc hài lòng",
        "Nêu lại trong 6 tháng (%)",
        "Nêu lại trong 12 tháng (%)",
        "Bị trả lại khi thẩm định",
        "Cam kết đến hạn",
        "Cam kết thực hiện đúng hạn",
        "Ý kiến phối hợp đã gửi",
        "Phối hợp gửi chậm",
        "Phối hợp quá hạn chưa gửi",
    ]
    ours = next(c for c in cards if c["department"] == DEPARTMENT)
    assert (ours["assigned"], ours["answered"], ours["on_time"]["count"]) == (3, 2, 1)


def test_the_category_export_shows_the_reports_figures(live: Live, district_year: int) -> None:
    client = live.client("auditor")
    for params in ({"year": 2026}, {"year": 2026, "zone": "khu-1"}):
        params = {**params, "min_position": district_year}
        report = ok(client.get("/v1/reports/categories", params=params))
        as_csv, as_xlsx = both(client, "/v1/exports/categories", params)
        header, *rows = as_csv
        assert header == [
            "Mã lĩnh vực",
            "Lĩnh vực",
            "Năm 2026",
            "Tỷ lệ (%)",
            "Năm 2025",
            "Tăng/giảm",
            "Chi bộ cùng kiến nghị",
        ]
        expected = [
            [
                c["category"],
                c["label"],
                c["count"],
                c["share"],
                c["previous_count"],
                c["change"],
                c["cosigning_cells"],
            ]
            for c in report["categories"]
        ]
        total = [
            report["total"],
            report["previous_total"],
            report["change"],
            report["cosigning_cells"],
        ]
        sheet = as_xlsx["Lĩnh vực"]
        assert sheet[1:-1] == expected
        assert sheet[-1][1:3] + sheet[-1][4:] == ["Tổng cộng", *total]
        assert [[*r[:3], float(r[3]), *r[4:]] for r in rows[:-1]] == [
            [*e[:2], str(e[2]), e[3], str(e[4]), str(e[5]), str(e[6])] for e in expected
        ]
        assert rows[-1][1:3] + rows[-1][4:] == ["Tổng cộng", *map(str, total)]
        assert report["total"] > 0 and report["previous_total"] > 0


def test_the_petition_export_lists_what_the_list_lists(live: Live, district_year: int) -> None:
    # One open petition co-signed by another cell: the export counts its co-signers.
    params = {"category": "transport", "min_position": district_year, "limit": 200}
    found = ok(live.client("clerk").get("/v1/petitions", params=params))["items"]
    chosen = next(i for i in found if i["status"] in OPEN_STATUSES)
    other = next(c for c in live.service.app.district.cells if c != chosen["cell"])
    cosigning = {"cell": other, "raised_by": "Bí thư chi bộ", "channel": "written_report"}
    path = f"/v1/petitions/{chosen['petition_id']}/cosign"
    position = ok(live.client("clerk").post(path, json=cosigning))["position"]
    for who in ("clerk", "department"):
        client = live.client(who)
        params = {"category": "transport", "min_position": position}
        listed = ok(client.get("/v1/petitions", params={**params, "limit": 200}))["items"]
        assert listed, who
        as_csv, as_xlsx = both(client, "/v1/exports/petitions", params)
        header, *rows = as_csv
        assert header[:2] == ["Mã ý kiến", "Ngày nêu"]
        assert header[-2:] == ["Số ý kiến", "Số chi bộ cùng kiến nghị"]
        assert [(r[0], r[1], r[-2], int(r[-1])) for r in rows] == [
            (i["petition_id"], dmy(i["raised_on"]), i["number"], i["cosigners"]) for i in listed
        ]
        if who == "clerk":  # the department need not be in charge of it
            assert int(rows[[r[0] for r in rows].index(str(chosen["petition_id"]))][-1]) == 1
        assert [r[0] for r in as_xlsx["Danh sách ý kiến"][1:]] == [i["petition_id"] for i in listed]
        assert all(" – " in r[header.index("Chi bộ")] for r in rows)
        summaries = {r[header.index("Tóm tắt")] for r in rows}
        assert any(s.startswith("'=Ý kiến số") for s in summaries)  # defused in CSV
        texts = [r[header.index("Tóm tắt")] for r in as_xlsx["Danh sách ý kiến"][1:]]
        assert any(t.startswith("=Ý kiến số") for t in texts)  # plain text in XLSX
        if who == "department":
            assert {i["department"] for i in listed} == {DEPARTMENT}


def test_the_annual_report_page(live: Live, district_year: int) -> None:
    client = live.client("committee")
    params = {"year": 2026, "min_position": district_year}
    report = ok(client.get("/v1/reports/categories", params=params))
    response = client.get("/v1/reports/annual", params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert "size: A4" in page and 'lang="vi"' in page
    assert f"ghi nhận {report['total']} ý kiến" in page
    table = page[page.index('<table class="categories">') : page.index("</table>")]
    for c in report["categories"]:
        share = f"{c['share']:.1f}".replace(".", ",")
        assert f'<td class="n">{c["count"]}</td><td class="n">{share}</td>' in table, c
    assert f'<td class="n">{report["total"]}</td>' in table
    assert "Khu vực 1" in page  # the per-zone table
    # the letterhead and the signature of the organisation's party committee
    today = live.service.app.today()
    assert "<p>ĐẢNG BỘ TỈNH</p>" in page and '<p class="issuer">HUYỆN ỦY YÊN HÒA</p>' in page
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in page and "Số …-BC/HU" in page
    assert f"Yên Hòa, ngày {today:%d} tháng {today:%m} năm {today:%Y}" in page
    assert "T/M BAN THƯỜNG VỤ" in page and "- Lưu Văn phòng Huyện ủy." in page

    original = live.service.app.district
    try:
        live.service.app.district = dataclasses.replace(
            original, name='Huyện <script>alert("x")</script>'
        )
        page = client.get("/v1/reports/annual", params=params).text
    finally:
        live.service.app.district = original
    assert "<script>" not in page
    assert "HUYỆN ỦY &lt;SCRIPT&gt;" in page
    assert "Huyện &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page

    assert client.get("/v1/reports/annual", params={"zone": "khu-9"}).status_code == 404

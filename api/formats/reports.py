"""The annual report as a printable page (A4), in Vietnamese, built from the category
view's figures. Every piece of data is escaped; the page loads nothing from elsewhere."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape
from typing import Any

from api.formats.letterhead import Document, Letterhead

Row = dict[str, Any]

STYLE = """
@page { size: A4 portrait; margin: 20mm 15mm 20mm 30mm; }
* { box-sizing: border-box; }
body { font-family: "Times New Roman", Times, serif; font-size: 13pt; line-height: 1.4;
       color: #000; background: #fff; max-width: 180mm; margin: 0 auto; padding: 8mm 0; }
header.doc { display: flex; justify-content: space-between; gap: 6mm; text-align: center;
             font-size: 12pt; margin-bottom: 8mm; }
header.doc p, footer.sign p { margin: 0; }
header.doc .issuer, header.doc .party, footer.sign .signer strong { font-weight: bold; }
header.doc .party { text-decoration: underline; }
header.doc .date { font-style: italic; margin-top: 3mm; }
footer.sign { display: flex; justify-content: space-between; gap: 6mm; margin-top: 10mm;
              page-break-inside: avoid; }
footer.sign .to { font-size: 11pt; }
footer.sign .signer { text-align: center; min-width: 70mm; }
footer.sign .space { height: 22mm; }
h1 { font-size: 15pt; text-align: center; text-transform: uppercase; margin: 0 0 2mm; }
p.sub { text-align: center; font-style: italic; margin: 0 0 6mm; }
h2 { font-size: 13pt; margin: 6mm 0 2mm; }
table { width: 100%; border-collapse: collapse; margin: 2mm 0 4mm; page-break-inside: auto; }
th, td { border: 1px solid #000; padding: 1.5mm 2mm; vertical-align: top; }
th { background: #eee; font-weight: bold; text-align: center; }
td.n { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
tr { page-break-inside: avoid; }
tfoot td { font-weight: bold; }
thead { display: table-header-group; }
p.note { font-size: 11pt; font-style: italic; }
.screen { font-size: 11pt; color: #555; text-align: right; }
@media print {
  body { max-width: none; padding: 0; }
  .screen { display: none; }
  th { background: #eee !important; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


def number(n: int) -> str:
    """1234 -> 1.234, as numbers are written in Vietnam."""
    return f"{n:,}".replace(",", ".")


def percent(value: float) -> str:
    """28.5 -> 28,5"""
    return f"{value:.1f}".replace(".", ",")


def signed(n: int) -> str:
    return f"+{number(n)}" if n > 0 else (f"−{number(-n)}" if n < 0 else "0")


def change_words(n: int, unit: str = "ý kiến") -> str:
    if n > 0:
        return f"tăng {number(n)} {unit}"
    if n < 0:
        return f"giảm {number(-n)} {unit}"
    return "không thay đổi"


def summary_sentence(report: Row, scope: str) -> str:
    year, total, previous = report["year"], report["total"], report["previous_total"]
    sentence = f"Năm {year}, {scope} ghi nhận {number(total)} ý kiến, kiến nghị của các chi bộ"
    if previous:
        sentence += (
            f", {change_words(report['change'])} so với năm {year - 1} ({number(previous)} ý kiến)."
        )
    else:
        sentence += f"; năm {year - 1} chưa có số liệu."
    ranked = sorted(
        (c for c in report["categories"] if c["count"]), key=lambda c: (-c["count"], c["label"])
    )
    if ranked:
        parts = [f"{c['label']} {number(c['count'])} ({percent(c['share'])} %)" for c in ranked[:3]]
        sentence += " Nhiều nhất là các lĩnh vực: " + "; ".join(parts) + "."
    return sentence


def category_table(report: Row) -> str:
    year = report["year"]
    rows = []
    for index, c in enumerate(report["categories"], 1):
        rows.append(
            "<tr>"
            f'<td class="n">{index}</td>'
            f"<td>{escape(c['label'])}</td>"
            f'<td class="n">{number(c["count"])}</td>'
            f'<td class="n">{percent(c["share"])}</td>'
            f'<td class="n">{number(c["previous_count"])}</td>'
            f'<td class="n">{signed(c["change"])}</td>'
            "</tr>"
        )
    total_share = "100,0" if report["total"] else "0,0"
    return (
        '<table class="categories">'
        "<thead><tr><th>STT</th><th>Lĩnh vực</th>"
        f"<th>Năm {year}</th><th>Tỷ lệ (%)</th><th>Năm {year - 1}</th>"
        "<th>Tăng (+) / giảm (−)</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody>"
        "<tfoot><tr><td></td><td>Tổng cộng</td>"
        f'<td class="n">{number(report["total"])}</td>'
        f'<td class="n">{total_share}</td>'
        f'<td class="n">{number(report["previous_total"])}</td>'
        f'<td class="n">{signed(report["change"])}</td></tr></tfoot>'
        "</table>"
    )


def zone_table(zones: Sequence[tuple[str, Row]], year: int, heading: str = "Khu vực") -> str:
    rows = []
    for name, report in zones:
        top = max(report["categories"], key=lambda c: c["count"], default=None)
        leading = (
            f"{escape(top['label'])} ({number(top['count'])})" if top and top["count"] else "—"
        )
        rows.append(
            "<tr>"
            f"<td>{escape(name)}</td>"
            f'<td class="n">{number(report["total"])}</td>'
            f'<td class="n">{number(report["previous_total"])}</td>'
            f'<td class="n">{signed(report["change"])}</td>'
            f"<td>{leading}</td>"
            "</tr>"
        )
    return (
        '<table class="zones">'
        f"<thead><tr><th>{escape(heading)}</th><th>Năm {year}</th><th>Năm {year - 1}</th>"
        "<th>Tăng (+) / giảm (−)</th><th>Lĩnh vực nhiều nhất</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def document_head(document: Document) -> str:
    """The letterhead (``api.formats.letterhead``): who issues the document and its number,
    the party's name, the place and date."""
    head = document.letterhead
    above = f"<p>{escape(head.above)}</p>" if head.above else ""
    return (
        '<header class="doc"><div class="left">'
        f'{above}<p class="issuer">{escape(head.issuer)}</p><p>*</p>'
        f'<p class="number">{escape(document.number)}</p></div>'
        f'<div class="right"><p class="party">{escape(document.party)}</p>'
        f'<p class="date">{escape(document.date_line)}</p></div></header>'
    )


def signature_block(document: Document) -> str:
    """Where the document goes, and who signs it on the standing committee's behalf."""
    return (
        f'<footer class="sign"><div class="to"><strong>{escape(document.recipients)}</strong>'
        f"<br>{escape(document.filed)}</div>"
        f'<div class="signer"><p><strong>{escape(document.on_behalf)}</strong></p>'
        f"<p><strong>{escape(document.position.upper())}</strong></p>"
        f'<p class="space"></p><p><strong>{escape(document.signer or "…")}</strong></p>'
        "</div></footer>"
    )


def annual_report_html(
    *,
    district: str,
    report: Row,
    zones: Sequence[tuple[str, Row]] = (),
    zone_name: str | None = None,
    today: date,
    unit: str,
    parts_heading: str = "Khu vực",
    letterhead: Letterhead,
) -> str:
    """The page: heading, a sentence with the figures, the category table, and (for the
    whole organisation) a table per zone, or per organisation (``parts_heading``) for the
    whole province. ``unit`` is what the organisation is (xã, huyện, tỉnh)."""
    year = report["year"]
    document = Document(letterhead, today)
    whole = f"toàn {unit}"
    scope = f"khu vực {zone_name}" if zone_name else whole
    title = f"Báo cáo tổng hợp ý kiến, kiến nghị của chi bộ năm {year}"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="vi"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)} — {escape(district)}</title>",
        f"<style>{STYLE}</style></head><body>",
        '<p class="screen">Bấm Ctrl+P (⌘P) để in trên khổ A4.</p>',
        document_head(document),
        f"<h1>{escape(title)}</h1>",
        f'<p class="sub">{escape(zone_name or whole.capitalize())}'
        f" — số liệu đến ngày {today:%d/%m/%Y}</p>",
        f'<p class="summary">{escape(summary_sentence(report, scope))}</p>',
        f"<h2>1. Ý kiến, kiến nghị theo lĩnh vực (so với năm {year - 1})</h2>",
        category_table(report),
    ]
    if zones:
        parts += [
            f"<h2>2. Theo {escape(parts_heading.lower())}</h2>",
            zone_table(zones, year, parts_heading),
        ]
    parts += [
        '<p class="note">Tỷ lệ làm tròn đến một chữ số thập phân; không tính các ý kiến đã'
        " gộp vào ý kiến khác. Năm tính theo ngày ý kiến được nêu.</p>",
        signature_block(document),
        "</body></html>",
    ]
    return "\n".join(parts)

"""The report as CSV and XLSX: the same columns as the table on the page."""

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from motcua.reform.selectors import Report


def columns() -> list[str]:
    return [_("Mã thủ tục"), _("Tên thủ tục"), _("Cách thức trước"), _("Cách thức sau"),
            _("Số đối tượng / năm"), _("Chi phí một lần trước (đồng)"), _("Chi phí một lần sau (đồng)"),
            _("Chi phí / năm trước (đồng)"), _("Chi phí / năm sau (đồng)"), _("Chi phí tiết kiệm (đồng)"),
            _("Tỷ lệ cắt giảm (%)")]


def rows(report: Report) -> list[list]:
    out = []
    for r in report.rows:
        out.append([r.code, r.name, r.channel_before, r.channel_after, r.subjects, r.per_occurrence_before,
                    r.per_occurrence_after, r.before, r.after, r.saving,
                    float(r.rate) if r.rate is not None else None])
    out.append([_("Tổng cộng"), _("%(n)s thủ tục") % {"n": len(report.rows)}, "", "",
                sum(r.subjects for r in report.rows), None, None, report.before, report.after, report.saving,
                float(report.rate) if report.rate is not None else None])
    return out


def to_csv(report: Report) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns())
    for row in rows(report):
        writer.writerow(["" if v is None else v for v in row])
    # A byte-order mark so spreadsheet programs open the Vietnamese text as UTF-8.
    return "\ufeff" + buffer.getvalue()


def to_xlsx(report: Report) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Chi phí tuân thủ")[:31]
    sheet.append([report.title])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(columns())
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows(report):
        sheet.append(row)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for column in "FGHIJ":
        for cell in sheet[column][2:]:
            cell.number_format = "#,##0"
    for cell in sheet["K"][2:]:
        cell.number_format = "0.00"
    sheet.column_dimensions["B"].width = 60
    for column in "CDEFGHIJK":
        sheet.column_dimensions[column].width = 18
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

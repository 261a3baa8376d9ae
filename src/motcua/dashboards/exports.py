"""The dashboard's figures as CSV and XLSX: headline, groups, indicators and trend, as on the page."""

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from motcua.dashboards.selectors import Dashboard


def _n(value):
    return None if value is None else float(value)


def sections(d: Dashboard) -> list[tuple[str, list[str], list[list]]]:
    h = d.headline
    headline = [
        [_("Điểm Bộ chỉ số 766"), _n(d.card.total), _n(d.card.max_total)],
        [_("Xếp loại"), d.card.band.label, None],
        [_("Hồ sơ tiếp nhận"), h.received, None],
        [_("Tỷ lệ hồ sơ đúng hạn (%)"), _n(h.on_time_rate), None],
        [_("Tỷ lệ hồ sơ trực tuyến (%)"), _n(h.online_share), None],
        [_("Mức độ hài lòng (%)"), _n(h.satisfaction_rate), None],
        [_("Phản ánh, kiến nghị xử lý đúng hạn (%)"), _n(h.feedback_on_time_rate), None],
        [_("Thủ tục có dịch vụ công trực tuyến (%)"), _n(h.online_service_share), None],
    ]
    groups = [[g.number, g.label, _n(g.points), _n(g.max_points)] for g in d.card.groups]
    indicators = [[i.id, i.label, i.numerator, i.denominator, _n(i.rate), _n(i.points), _n(i.max_points),
                   _("có") if i.available else _("chưa có dữ liệu")]
                  for g in d.card.groups for i in g.indicators]
    trend = [[p.period.label, _n(p.total), p.band.label, p.headline.received, _n(p.headline.on_time_rate),
              _n(p.headline.online_share), _n(p.headline.satisfaction_rate)] for p in d.trend]
    return [
        (_("Số liệu chính"), [_("Chỉ tiêu"), _("Giá trị"), _("Tối đa")], headline),
        (_("Nhóm chỉ số"), [_("Nhóm"), _("Tên nhóm"), _("Điểm"), _("Điểm tối đa")], groups),
        (_("Chỉ số thành phần"), [_("Mã"), _("Chỉ số"), _("Tử số"), _("Mẫu số"), _("Tỷ lệ (%)"), _("Điểm"),
                                  _("Điểm tối đa"), _("Dữ liệu")], indicators),
        (_("Diễn biến"), [_("Kỳ"), _("Điểm"), _("Xếp loại"), _("Hồ sơ tiếp nhận"), _("Đúng hạn (%)"),
                          _("Trực tuyến (%)"), _("Hài lòng (%)")], trend),
    ]


def title(d: Dashboard) -> str:
    units = _("đơn vị hành chính hiện nay") if d.units_as == "today" else _("đơn vị hành chính cũ")
    return f"{d.card.scope.name} — {d.card.period.label} ({units})"


def to_csv(d: Dashboard) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([title(d)])
    for name, header, rows in sections(d):
        writer.writerow([])
        writer.writerow([name])
        writer.writerow(header)
        for row in rows:
            writer.writerow(["" if v is None else v for v in row])
    return "\ufeff" + buffer.getvalue()


def to_xlsx(d: Dashboard) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for name, header, rows in sections(d):
        sheet = book.create_sheet(name[:31])
        sheet.append([title(d)])
        sheet["A1"].font = Font(bold=True)
        sheet.append(header)
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(row)
        sheet.column_dimensions["B"].width = 50
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

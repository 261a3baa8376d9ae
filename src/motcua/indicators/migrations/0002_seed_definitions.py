"""Seed the Decision 766 weights, thresholds and ranking bands (vn-domain.md §4.2–4.4).

Group totals 18/20/22/22/18 are verified; most per-indicator splits are not (§4.4 last bullet):
those rows are `confirmed=False` and say so in `legal_source`. Edit them in the admin by adding a
row with a later `effective_from`, never by changing a row a past scorecard used.
"""

from datetime import date
from decimal import Decimal

from django.db import migrations

QD = "QĐ 766/QĐ-TTg ngày 23/6/2022"
SPEC = "Mô tả công thức tính chỉ số 766 (mã nguồn công khai)"
D = Decimal
START = date(2022, 6, 23)

# code, group, label, max, threshold %, scored, confirmed, source, parameters
ROWS = [
    ("1.1", 1, "Tỷ lệ TTHC công bố đúng hạn", D(4), None, True, False,
     f"{QD}; trọng số 4 điểm chưa xác minh [K]; hạn: {SPEC}",
     {"working_days_ministry": 20, "working_days_province": 5}),
    ("1.2", 1, "Tỷ lệ TTHC được cập nhật, công khai đúng hạn", D(4), None, True, True,
     f"{QD}; 4 điểm (baocaotaichinh.vn); hạn: {SPEC}", {"working_days_ministry": 10, "working_days_province": 5}),
    ("1.3", 1, "Tỷ lệ TTHC công khai đầy đủ nội dung", D(4), None, True, False,
     f"{QD}; trọng số 4 điểm chưa xác minh [K]", {}),
    ("1.4", 1, "Tỷ lệ hồ sơ đồng bộ lên Cổng DVCQG", D(6), None, True, False,
     f"{QD}; trọng số 6 điểm chưa xác minh [K]", {}),
    ("2.1", 2, "Tỷ lệ hồ sơ xử lý trước hạn, đúng hạn", D(20), None, True, True,
     f"{QD}; 20 điểm (dinte.gov.vn); quy tắc bổ sung hồ sơ: {SPEC} 2.1", {}),
    ("2.2", 2, "Thời gian giải quyết TTHC trung bình", D(0), None, False, False,
     f"{SPEC}: chỉ theo dõi [K]", {}),
    ("3.1", 3, "Tỷ lệ TTHC cung cấp dịch vụ công trực tuyến", D(4), D(80), True, False,
     f"{SPEC}: ngưỡng 80%; trọng số chưa xác minh", {}),
    ("3.2", 3, "Tỷ lệ DVCTT có phát sinh hồ sơ", D(4), None, True, False,
     f"{SPEC}; trọng số chưa xác minh", {}),
    ("3.3", 3, "Tỷ lệ hồ sơ trực tuyến", D(6), D(50), True, False,
     f"{SPEC}: ngưỡng 50%; trọng số chưa xác minh", {}),
    ("3.4", 3, "Tỷ lệ TTHC có nghĩa vụ tài chính được tích hợp thanh toán trực tuyến", D(4), D(80), True, False,
     f"{SPEC}: ngưỡng 80%; trọng số chưa xác minh", {}),
    ("3.6", 3, "Tỷ lệ hồ sơ thanh toán trực tuyến", D(4), None, True, False,
     f"{SPEC}; trọng số chưa xác minh", {}),
    ("4.1", 4, "Tỷ lệ hồ sơ có cấp kết quả điện tử", D(6), None, True, False,
     f"{SPEC}; trọng số chưa xác minh", {}),
    ("4.2", 4, "Tỷ lệ hồ sơ thực hiện số hóa", D(6), D(80), True, False,
     f"{SPEC}: ngưỡng 80%; trọng số chưa xác minh", {}),
    ("4.3", 4, "Tỷ lệ khai thác, sử dụng lại dữ liệu số hóa", D(6), D(80), True, False,
     f"{SPEC}: ngưỡng 80%; trọng số chưa xác minh", {}),
    ("4.4", 4, "Tỷ lệ hồ sơ số hóa kết nối, chia sẻ với kho DVCQG", D(2), None, True, False,
     f"{SPEC}: bổ sung sau; trọng số chưa xác minh", {}),
    ("4.5", 4, "Ứng dụng dữ liệu dân cư (VNeID)", D(2), None, True, False,
     f"{SPEC}: bổ sung sau; trọng số chưa xác minh", {}),
    ("5.1", 5, "Tỷ lệ PAKN theo phân loại (quy định, chính sách, thủ tục)", D(0), None, False, False,
     f"{SPEC}: chỉ để thông tin", {}),
    ("5.2", 5, "Tỷ lệ PAKN xử lý đúng hạn", D(6), None, True, False, f"{QD}; 6 điểm [K]", {}),
    ("5.3", 5, "Tỷ lệ hài lòng trong xử lý PAKN", D(6), None, True, False, f"{QD}; 6 điểm [K]", {}),
    ("5.4", 5, "Tỷ lệ hài lòng trong tiếp nhận, giải quyết TTHC", D(6), D(90), True, True,
     f"{QD}; 6 điểm (vietjack.me, lamdong.dcs.vn); ngưỡng 90%: {SPEC}", {}),
]

BANDS = [
    ("excellent", "Xuất sắc", D(90)),
    ("good", "Tốt", D(80)),
    ("fair", "Khá", D(70)),
    ("average", "Trung bình", D(50)),
    ("weak", "Yếu", D(0)),
]


def seed(apps, schema_editor):
    Definition = apps.get_model("indicators", "IndicatorDefinition")
    Band = apps.get_model("indicators", "RankingBand")
    for code, group, label, max_points, threshold, scored, confirmed, source, params in ROWS:
        Definition.objects.update_or_create(
            code=code, effective_from=START,
            defaults={"group": group, "label": label, "max_points": max_points, "threshold": threshold,
                      "scored": scored, "confirmed": confirmed, "legal_source": source, "parameters": params},
        )
    for code, label, minimum in BANDS:
        Band.objects.update_or_create(
            code=code, effective_from=START,
            defaults={"label": label, "min_total": minimum, "confirmed": False,
                      "legal_source": "Xếp loại theo thông lệ báo chí, chưa xác minh văn bản [K] (vn-domain §4.4)"},
        )


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

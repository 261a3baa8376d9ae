"""The prices of the standard cost model, as data (docs/reform.md explains each figure and its source)."""

import datetime
from decimal import Decimal

from django.db import migrations

COMMON = {
    "working_days_per_month": 22,
    "hours_per_day": 8,
    # Circular 226/2016/TT-BTC: certifying a copy costs 2 000 đ for each of the first two pages; a
    # photocopy about 500 đ. One page per copy (the lower figure, Art. 27(2)).
    "cost_per_copy": 2500,
    # No official figure: a round trip by motorbike within a commune or ward. Edit in the admin.
    "travel_cost_per_trip": 30000,
    # Public postal service (bưu chính công ích) sending the dossier and returning the result.
    "postage_per_dossier": 50000,
    "info_hours": Decimal("1.00"),
    "hours_per_component": Decimal("0.50"),
    "hours_per_trip": Decimal("2.00"),
    "online_submit_hours": Decimal("0.50"),
}

ROWS = [
    {
        "name": "Lương tối thiểu vùng bình quân 2024",
        "effective_from": datetime.date(2024, 7, 1),
        "legal_source": ("Nghị định 74/2024/NĐ-CP, Điều 3: lương tối thiểu tháng vùng I 4.960.000, vùng II "
                         "4.410.000, vùng III 3.860.000, vùng IV 3.450.000 đồng; bình quân bốn vùng. "
                         "Cách tính theo Điều 27 Thông tư 02/2017/TT-VPCP (ngày = tháng ÷ 22, giờ = ngày ÷ 8)."),
        "monthly_income": 4170000,
    },
    {
        "name": "Lương tối thiểu vùng bình quân 2026",
        "effective_from": datetime.date(2026, 1, 1),
        "legal_source": ("Nghị định 293/2025/NĐ-CP: lương tối thiểu tháng vùng I 5.310.000, vùng II 4.730.000, "
                         "vùng III 4.140.000, vùng IV 3.700.000 đồng; bình quân bốn vùng. "
                         "Cách tính theo Điều 27 Thông tư 02/2017/TT-VPCP (ngày = tháng ÷ 22, giờ = ngày ÷ 8)."),
        "monthly_income": 4470000,
    },
]


def seed(apps, schema_editor):
    CostParameters = apps.get_model("reform", "CostParameters")
    for row in ROWS:
        CostParameters.objects.update_or_create(effective_from=row["effective_from"],
                                                defaults={**COMMON, **row})


def unseed(apps, schema_editor):
    apps.get_model("reform", "CostParameters").objects.filter(
        effective_from__in=[row["effective_from"] for row in ROWS]).delete()


class Migration(migrations.Migration):
    dependencies = [("reform", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]

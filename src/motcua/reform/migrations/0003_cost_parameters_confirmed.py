"""Flag the seeded prices as not yet checked against the official texts (docs/reform.md, "Prices").

The regional minimum wages were written from the researcher's knowledge of Decrees 74/2024 and
293/2025 [K]; the trip and postage figures have no official source at all. An administrator who
has checked a row against the Official Gazette ticks "đã xác minh" in the admin.
"""

import datetime

from django.db import migrations, models

SEEDED = [datetime.date(2024, 7, 1), datetime.date(2026, 1, 1)]
NOTE = ("Chưa xác minh: mức lương tối thiểu vùng ghi theo hiểu biết của người soạn, chưa đối chiếu bản chính thức "
        "của nghị định; chi phí đi lại (30.000 đồng/lượt) và cước bưu chính (50.000 đồng/hồ sơ) là ước tính, "
        "không có số liệu chính thức.")


def flag(apps, schema_editor):
    CostParameters = apps.get_model("reform", "CostParameters")
    CostParameters.objects.filter(effective_from__in=SEEDED, note="").update(note=NOTE, confirmed=False)


class Migration(migrations.Migration):
    dependencies = [("reform", "0002_seed_parameters")]
    operations = [
        migrations.AddField(
            model_name="costparameters",
            name="confirmed",
            field=models.BooleanField(default=False, help_text="Chỉ đánh dấu khi mọi số liệu đã đối chiếu với văn bản chính thức.", verbose_name="đã xác minh"),
        ),
        migrations.RunPython(flag, migrations.RunPython.noop),
    ]

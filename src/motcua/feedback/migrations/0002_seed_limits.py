"""The national portal's operating limits for PAKN (766 spec, indicator 5.2) as the default data."""

from datetime import date

from django.db import migrations

SOURCE = (
    "Quyết định 766/QĐ-TTg ngày 23/6/2022, đặc tả chỉ số 5.2 (giới hạn vận hành Hệ thống tiếp nhận, xử lý "
    "phản ánh, kiến nghị trên Cổng Dịch vụ công quốc gia)"
)
LIMITS = {"refuse": 2, "supplement": 5, "answer": 15, "publish": 2}


def seed(apps, schema_editor):
    FeedbackLimit = apps.get_model("feedback", "FeedbackLimit")
    for stage, days in LIMITS.items():
        FeedbackLimit.objects.get_or_create(stage=stage, effective_from=date(2022, 6, 23),
                                            defaults={"working_days": days, "legal_source": SOURCE})


class Migration(migrations.Migration):
    dependencies = [("feedback", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

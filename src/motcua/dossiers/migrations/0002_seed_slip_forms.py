"""The six standard slips of Circular 01/2018/TT-VPCP (appendix of forms), as data.

Form numbers and titles are law, and law changes: Decree 118/2025/NĐ-CP (in force 1 July 2025)
may renumber them. A later rule is added as a new SlipForm row with its own valid_from; the row in
force on a slip's issue date is the one printed (dossiers/slips.py), so these rows are never edited.

valid_from: the Circular is dated 23/11/2018; its entry into force on 08/01/2019 is from memory
[K] and should be checked against the official text (docs/slips.md).
"""

from datetime import date

from django.db import migrations

SOURCE = "Thông tư số 01/2018/TT-VPCP ngày 23/11/2018 của Văn phòng Chính phủ, Phụ lục"
VALID_FROM = date(2019, 1, 8)
FORMS = [
    ("receipt", "01", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
    ("supplement", "02", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
    ("refusal", "03", "Phiếu từ chối tiếp nhận giải quyết hồ sơ"),
    ("apology", "04", "Phiếu xin lỗi và hẹn lại ngày trả kết quả"),
    ("control", "05", "Phiếu kiểm soát quá trình giải quyết hồ sơ"),
    ("register", "06", "Sổ theo dõi hồ sơ"),
]


def seed(apps, schema_editor):
    SlipForm = apps.get_model("dossiers", "SlipForm")
    for kind, number, title in FORMS:
        SlipForm.objects.get_or_create(
            kind=kind, valid_from=VALID_FROM, defaults={"number": number, "title": title, "legal_source": SOURCE}
        )


def unseed(apps, schema_editor):
    SlipForm = apps.get_model("dossiers", "SlipForm")
    Slip = apps.get_model("dossiers", "Slip")
    rows = SlipForm.objects.filter(valid_from=VALID_FROM, legal_source=SOURCE)
    # Issued slips point at their form (PROTECT): keep the rows they need.
    rows.exclude(pk__in=Slip.objects.values("form_id")).delete()


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]

"""The first five e-forms, for five common procedures of the real catalogue, published as revision 1.

Each form is a JSON file in eforms/data/forms/ (schema + ui + legal source), written from the
tờ khai the cited Circular sets; where a field is from memory of the printed form and should be
checked against the official text, docs/eforms.md says so. The files are the snapshot this
migration loads: they are never edited afterwards. A change to a form is a new revision,
published by an administrator (Django admin) or by a later migration with new files.

The catalogue may not be imported yet when migrations run (a fresh install imports it after
`migrate`): the procedure row is then created bare, by its code, and the importer fills in its
versions later; it looks procedures up by code, so it adopts the row.
"""

import json
from datetime import date
from pathlib import Path

from django.db import migrations
from django.utils import timezone

FORMS_DIR = Path(__file__).resolve().parent.parent / "data" / "forms"
FILES = [
    "1.001193-khai-sinh.json",
    "1.000894-ket-hon.json",
    "1.004222-thuong-tru.json",
    "3.000333-ly-lich-tu-phap.json",
    "1.001612-ho-kinh-doanh.json",
]


def load(apps, schema_editor):
    Procedure = apps.get_model("catalog", "Procedure")
    EForm = apps.get_model("eforms", "EForm")
    for name in FILES:
        form = json.loads((FORMS_DIR / name).read_text(encoding="utf-8"))
        procedure, _created = Procedure.objects.get_or_create(code=form["code"])
        EForm.objects.get_or_create(
            procedure=procedure, version=1,
            defaults={
                "title": form["title"], "valid_from": date.fromisoformat(form["valid_from"]),
                "legal_source": form["legal_source"], "schema": form["schema"], "ui": form["ui"],
                "published": True, "published_at": timezone.now(), "note": "Nạp ban đầu (migration eforms 0002)",
            },
        )


def unload(apps, schema_editor):
    EForm = apps.get_model("eforms", "EForm")
    codes = [json.loads((FORMS_DIR / name).read_text(encoding="utf-8"))["code"] for name in FILES]
    EForm.objects.filter(procedure__code__in=codes, version=1, note="Nạp ban đầu (migration eforms 0002)").delete()


class Migration(migrations.Migration):
    dependencies = [("eforms", "0001_initial"), ("catalog", "0002_search_indexes")]

    operations = [migrations.RunPython(load, unload)]

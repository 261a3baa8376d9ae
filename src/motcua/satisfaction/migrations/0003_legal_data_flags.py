"""The SIPAS rows get their effective date; every seeded row is flagged as not yet verified.

SIPAS elements and questions follow the measurement scheme of QĐ 2640/QĐ-BNV (10/10/2017), a
decision taking effect when signed [K]; the 2023–2026 questionnaire of QĐ 1001/QĐ-BNV has not been
checked (vn-domain §11.7). None of the seeded rows was read from the official text, so all stay
`confirmed=False` ("chưa xác minh") until an administrator checks them.

`seed()` writes the whole seeded configuration in its current shape (the data of 0002 plus the
columns added here): the tests call it after a flush, with the current models.
"""

import importlib
from datetime import date

from django.db import migrations, models

SIPAS_FROM = date(2017, 10, 10)  # QĐ 2640/QĐ-BNV signed and in force [K]
initial = importlib.import_module("motcua.satisfaction.migrations.0002_seed_criteria")


def seed(apps, schema_editor):
    RatingCriterion = apps.get_model("satisfaction", "RatingCriterion")
    SipasElement = apps.get_model("satisfaction", "SipasElement")
    SipasCriterion = apps.get_model("satisfaction", "SipasCriterion")
    for number, title, question, c2, c1, c0, optional, overall in initial.RATING_CRITERIA:
        RatingCriterion.objects.update_or_create(
            number=number, effective_from=initial.RATING_FROM,
            defaults={"title": title, "question": question, "choice_2": c2, "choice_1": c1, "choice_0": c0,
                      "weight": 1, "optional": optional, "from_overall_level": overall, "active": True,
                      "legal_source": initial.RATING_SOURCE, "confirmed": False},
        )
    for number, (title, assessments, criteria, expectations) in initial.SIPAS.items():
        element, _ = SipasElement.objects.update_or_create(
            number=number, defaults={"title": title, "legal_source": initial.ELEMENT_SOURCE,
                                     "effective_from": SIPAS_FROM, "confirmed": False})
        rows = [(f"{number}.{'abcd'[i]}", "assessment", i + 1, text, choices, initial.ASSESSMENT_SOURCE)
                for i, (text, choices) in enumerate(assessments)]
        rows += [(f"{number}.{i + 1}", "satisfaction", 10 + i, text, [], initial.CRITERIA_SOURCE)
                 for i, text in enumerate(criteria)]
        rows.append((f"{number}.m", "expectation", 90,
                     f"Ông/bà mong muốn cải thiện điều gì nhất về “{title.lower()}”?", expectations,
                     initial.EXPECTATION_SOURCE))
        for code, content, order, text, choices, source in rows:
            SipasCriterion.objects.update_or_create(
                code=code, defaults={"element": element, "content": content, "order": order, "text": text,
                                     "choices": choices, "active": True, "legal_source": source,
                                     "effective_from": SIPAS_FROM, "confirmed": False})


CONFIRMED = models.BooleanField(default=False, help_text="Chỉ đánh dấu khi đã đối chiếu với văn bản chính thức.",
                                verbose_name="đã xác minh")


class Migration(migrations.Migration):
    dependencies = [("satisfaction", "0002_seed_criteria")]
    operations = [
        migrations.AddField(model_name="ratingcriterion", name="confirmed", field=CONFIRMED),
        migrations.AddField(model_name="sipaselement", name="confirmed", field=CONFIRMED),
        migrations.AddField(model_name="sipascriterion", name="confirmed", field=CONFIRMED),
        # The existing rows are the seeded ones (and any added in the admin since): they take the
        # scheme's date; the model keeps no default, a new row states its own.
        migrations.AddField(model_name="sipaselement", name="effective_from",
                            field=models.DateField(default=SIPAS_FROM, verbose_name="hiệu lực từ"),
                            preserve_default=False),
        migrations.AddField(model_name="sipascriterion", name="effective_from",
                            field=models.DateField(default=SIPAS_FROM, verbose_name="hiệu lực từ"),
                            preserve_default=False),
    ]

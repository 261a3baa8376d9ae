"""Seed the calendar once, so every database, test databases included, starts with one.

Days off 2020–2035 from the `holidays` package (checked against Labour Code 2019 Art. 112), the
default office hours and the default due-date rules. `motcua setup` runs the same seeding again
(services.load_calendar) to pick up a newer package; neither overwrites an administrator's edit.
"""

from django.db import migrations


def seed(apps, schema_editor):
    from motcua.workdays.services import apply_seed

    apply_seed(
        apps.get_model("workdays", "CalendarDay"), apps.get_model("workdays", "OfficeHours"),
        apps.get_model("workdays", "DeadlineRuleSet"), apps.get_model("workdays", "CalendarRevision"),
    )


class Migration(migrations.Migration):

    dependencies = [("workdays", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

"""The agency-month procedure sets of 3.2 and 3.4 (models.MonthlyProcedureSet), filled from the
monthly counters already there, so the figures stay right before the next nightly rebuild."""

import django.db.models.deletion
from django.db import migrations, models


def fill(apps, schema_editor):
    Fact = apps.get_model("indicators", "MonthlyProcedureFact")
    Set = apps.get_model("indicators", "MonthlyProcedureSet")
    sets: dict[tuple, list[int]] = {}
    rows = (Fact.objects.filter(models.Q(online__gt=0) | models.Q(paid_online__gt=0))
            .values_list("agency_id", "month", "procedure_id", "online", "paid_online").iterator(chunk_size=5000))
    for agency_id, month, procedure_id, online, paid in rows:
        row = sets.setdefault((agency_id, month), [0, 0])
        row[0] |= (1 << procedure_id) if online else 0
        row[1] |= (1 << procedure_id) if paid else 0

    def to_bytes(value: int) -> bytes:
        return value.to_bytes((value.bit_length() + 7) // 8, "little")

    Set.objects.bulk_create([Set(agency_id=a, month=m, online=to_bytes(o), paid_online=to_bytes(p))
                             for (a, m), (o, p) in sets.items()], batch_size=2000)


class Migration(migrations.Migration):

    dependencies = [
        ('indicators', '0003_monthly_partial_indexes'),
        ('units', '0002_agency_successor'),
    ]

    operations = [
        migrations.CreateModel(
            name='MonthlyProcedureSet',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField(help_text='first day of the month')),
                ('online', models.BinaryField(default=b'')),
                ('paid_online', models.BinaryField(default=b'')),
                ('agency', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='units.agency')),
            ],
            options={
                'indexes': [models.Index(fields=['month', 'agency'], name='monthlyset_month_agency')],
                'constraints': [models.UniqueConstraint(fields=('agency', 'month'), name='monthly_procedure_set_unique')],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=False),
    ]

"""The partial indexes of 3.2 and 3.4 over MonthlyProcedureFact: MonthlyProcedureSet (0004) answers them now."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('indicators', '0004_monthly_procedure_sets'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='monthlyprocedurefact',
            name='monthlyproc_online',
        ),
        migrations.RemoveIndex(
            model_name='monthlyprocedurefact',
            name='monthlyproc_paid',
        ),
    ]

"""Indexes of the officials' work queues and their search, measured at 1,000,000 dossiers.

See docs/benchmarks.md, section Back office: without them a queue page of the busiest agency read
every open dossier in due order (2–3 s on PostgreSQL); with them it reads one page of an index.

- dossier_open_queue: the open dossiers of an agency in due order (partial: closed dossiers, 85 %
  of the table, are not in it), for the queues mine, agency, due_soon and late;
- dossier_agency_received: every dossier of an agency, newest reception first (the queue `all`);
- step_interagency: the steps at an agency of dossiers another agency received (liên thông);
- applicant phone and personal id, for the queue search;
- PostgreSQL only: trigram indexes for `icontains` on the dossier code and the applicant's name
  (Django writes `UPPER(col::text) LIKE UPPER(%s)`, so the indexes are on that expression).
"""

from django.db import migrations, models

TRIGRAM_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS dossier_code_trgm ON dossiers_dossier USING gin (UPPER(code::text) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS applicant_name_trgm ON dossiers_applicant "
    "USING gin (UPPER(full_name::text) gin_trgm_ops)",
]
TRIGRAM_BACKWARD = [
    "DROP INDEX IF EXISTS applicant_name_trgm",
    "DROP INDEX IF EXISTS dossier_code_trgm",
]


def trigram_forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in TRIGRAM_FORWARD:
            schema_editor.execute(sql)


def trigram_backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in TRIGRAM_BACKWARD:
            schema_editor.execute(sql)


class Migration(migrations.Migration):

    dependencies = [
        ("dossiers", "0002_seed_slip_forms"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="applicant",
            index=models.Index(fields=["phone"], name="applicant_phone"),
        ),
        migrations.AddIndex(
            model_name="applicant",
            index=models.Index(fields=["id_number"], name="applicant_id_number"),
        ),
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(
                condition=models.Q(("stage__in", ["refused", "returned", "stopped", "withdrawn"]), _negated=True),
                fields=["receiving_agency", "due_at", "id"],
                name="dossier_open_queue",
            ),
        ),
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(fields=["receiving_agency", "-received_at", "-id"], name="dossier_agency_received"),
        ),
        migrations.AddIndex(
            model_name="dossierstep",
            index=models.Index(
                condition=models.Q(("is_interagency", True)), fields=["agency", "dossier"], name="step_interagency"
            ),
        ),
        migrations.RunPython(trigram_forward, trigram_backward, elidable=False),
    ]

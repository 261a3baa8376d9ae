"""Full-text indexes over the pre-folded search text: FTS5 on SQLite, tsvector + pg_trgm on PostgreSQL.

The text in catalog_searchdocument is already folded by motcua.lib.text.fold() (ASCII words), so
both databases index the same words and no database-side accent folding is involved. Each block
of SQL runs only on its own database (schema_editor.connection.vendor); Django's model state is
untouched, so the ORM never sees the FTS table or the generated columns.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

SQLITE_FORWARD = [
    # External-content FTS5 table: the text stays in catalog_searchdocument, FTS5 keeps only the
    # index. `remove_diacritics 2` is harmless on ASCII and protects against unfolded input.
    """CREATE VIRTUAL TABLE catalog_searchdocument_fts USING fts5(
        name_folded, body_folded,
        content='catalog_searchdocument', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2'
    )""",
    """CREATE TRIGGER catalog_searchdocument_fts_ai AFTER INSERT ON catalog_searchdocument BEGIN
        INSERT INTO catalog_searchdocument_fts(rowid, name_folded, body_folded)
        VALUES (new.id, new.name_folded, new.body_folded);
    END""",
    """CREATE TRIGGER catalog_searchdocument_fts_ad AFTER DELETE ON catalog_searchdocument BEGIN
        INSERT INTO catalog_searchdocument_fts(catalog_searchdocument_fts, rowid, name_folded, body_folded)
        VALUES ('delete', old.id, old.name_folded, old.body_folded);
    END""",
    """CREATE TRIGGER catalog_searchdocument_fts_au AFTER UPDATE OF name_folded, body_folded ON catalog_searchdocument BEGIN
        INSERT INTO catalog_searchdocument_fts(catalog_searchdocument_fts, rowid, name_folded, body_folded)
        VALUES ('delete', old.id, old.name_folded, old.body_folded);
        INSERT INTO catalog_searchdocument_fts(rowid, name_folded, body_folded)
        VALUES (new.id, new.name_folded, new.body_folded);
    END""",
    "INSERT INTO catalog_searchdocument_fts(catalog_searchdocument_fts) VALUES ('rebuild')",
    # Facet counts visit every matching document; this index holds all they read, so SQLite
    # looks the documents up in it (a few MB) instead of in the table rows (with their text).
    """CREATE INDEX catalog_searchdocument_facets ON catalog_searchdocument(
        id, status, domain_id, issuing_agency_id, online_service,
        level_ministry, level_province, level_district, level_commune
    )""",
]
SQLITE_BACKWARD = [
    "DROP INDEX IF EXISTS catalog_searchdocument_facets",
    "DROP TRIGGER IF EXISTS catalog_searchdocument_fts_au",
    "DROP TRIGGER IF EXISTS catalog_searchdocument_fts_ad",
    "DROP TRIGGER IF EXISTS catalog_searchdocument_fts_ai",
    "DROP TABLE IF EXISTS catalog_searchdocument_fts",
]

POSTGRES_FORWARD = [
    # Every pair of neighbouring words as one more lexeme ("khai sinh" → "khai0sinh"). GIN keeps
    # no word positions, so a phrase query on common words ("quyền sử dụng đất") would otherwise
    # fetch every document with all the words and re-check each; with the pairs in the index it
    # fetches only the documents that have them next to each other. catalog/search.py builds the
    # same pairs in its queries (`_PAIR_JOINER`).
    """CREATE FUNCTION catalog_search_word_pairs(text) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
        SELECT coalesce(string_agg(a || '0' || b, ' '), '') FROM (
            SELECT w AS a, lead(w) OVER (ORDER BY i) AS b
            FROM unnest(string_to_array($1, ' ')) WITH ORDINALITY AS t(w, i)
        ) pairs WHERE b IS NOT NULL
    $$""",
    # Generated columns: PostgreSQL keeps them in step with every INSERT and UPDATE, and the
    # ORM, which lists its own columns, never writes them. 'simple': no stemming or stop words,
    # the words are already folded. The pairs come after the words, so the words keep their
    # positions for phrase (<->) queries.
    """ALTER TABLE catalog_searchdocument ADD COLUMN search_name_tsv tsvector
        GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, name_folded)
                             || to_tsvector('simple'::regconfig, catalog_search_word_pairs(name_folded))) STORED""",
    """ALTER TABLE catalog_searchdocument ADD COLUMN search_body_tsv tsvector
        GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, body_folded)
                             || to_tsvector('simple'::regconfig, catalog_search_word_pairs(body_folded))) STORED""",
    "CREATE INDEX catalog_searchdocument_name_tsv ON catalog_searchdocument USING gin (search_name_tsv)",
    "CREATE INDEX catalog_searchdocument_body_tsv ON catalog_searchdocument USING gin (search_body_tsv)",
    # For the fuzzy last resort: `query <% name_folded` (pg_trgm word_similarity).
    "CREATE INDEX catalog_searchdocument_name_trgm ON catalog_searchdocument USING gin (name_folded gin_trgm_ops)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS catalog_searchdocument_name_trgm",
    "DROP INDEX IF EXISTS catalog_searchdocument_body_tsv",
    "DROP INDEX IF EXISTS catalog_searchdocument_name_tsv",
    "ALTER TABLE catalog_searchdocument DROP COLUMN IF EXISTS search_body_tsv",
    "ALTER TABLE catalog_searchdocument DROP COLUMN IF EXISTS search_name_tsv",
    "DROP FUNCTION IF EXISTS catalog_search_word_pairs(text)",
]


class VendorRunSQL(migrations.RunSQL):
    """RunSQL that runs only on one database vendor and is a no-op elsewhere."""

    def __init__(self, vendor, sql, reverse_sql=None, **kwargs):
        self.vendor = vendor
        super().__init__(sql, reverse_sql, **kwargs)

    def deconstruct(self):
        name, args, kwargs = super().deconstruct()
        return name, [self.vendor, *args], kwargs

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class TrigramExtensionKept(TrigramExtension):
    """pg_trgm on PostgreSQL, nothing elsewhere. Reversing keeps the extension: other schemas of
    the database may use it (and Django's own reverse queries pg_extension on every database)."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        pass


def refold(apps, schema_editor):
    """Fold the stored search text again: fold() learnt qui→quy, NFKD forms and invisible characters.

    fold() is idempotent on its own output, so folding the folded body gives what folding the
    source would; the name is folded from the original.
    """
    from motcua.lib.text import fold

    SearchDocument = apps.get_model("catalog", "SearchDocument")
    changed = []
    for doc in SearchDocument.objects.only("id", "name", "name_folded", "body_folded").iterator(chunk_size=2000):
        name_folded, body_folded = fold(doc.name), fold(doc.body_folded)
        if (name_folded, body_folded) != (doc.name_folded, doc.body_folded):
            doc.name_folded, doc.body_folded = name_folded, body_folded
            changed.append(doc)
    SearchDocument.objects.bulk_update(changed, ["name_folded", "body_folded"], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ("catalog", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(refold, migrations.RunPython.noop),
        # CreateExtension is itself a no-op on databases other than PostgreSQL.
        TrigramExtensionKept(),
        VendorRunSQL("sqlite", SQLITE_FORWARD, SQLITE_BACKWARD),
        VendorRunSQL("postgresql", POSTGRES_FORWARD, POSTGRES_BACKWARD),
    ]

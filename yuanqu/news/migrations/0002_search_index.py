"""Tables of the shared full-text index (yuanqu.core.search), created per database vendor.

They live in the news app's migrations because core's migration history belongs to another
module owner; the index serves articles, parks and carriers alike.
"""

from django.db import migrations

KINDS = ("article", "park", "carrier")

SQLITE_FORWARD = [
    """
    CREATE TABLE search_document (
        id INTEGER PRIMARY KEY,
        kind VARCHAR(20) NOT NULL,
        object_id BIGINT NOT NULL,
        category VARCHAR(60) NOT NULL DEFAULT '',
        published_at VARCHAR(19) NULL,
        folded_title TEXT NOT NULL,
        title TEXT NOT NULL,
        body TEXT NOT NULL,
        folded TEXT NOT NULL
    )
    """,
    "CREATE UNIQUE INDEX search_document_kind_object ON search_document (kind, object_id)",
] + [
    f"CREATE VIRTUAL TABLE search_fts_{kind} USING fts5(title, body, tokenize='unicode61')"
    for kind in KINDS
]
SQLITE_BACKWARD = [f"DROP TABLE IF EXISTS search_fts_{kind}" for kind in KINDS] + [
    "DROP TABLE IF EXISTS search_document"
]

POSTGRES_FORWARD = [
    """
    CREATE TABLE search_document (
        id BIGSERIAL PRIMARY KEY,
        kind VARCHAR(20) NOT NULL,
        object_id BIGINT NOT NULL,
        category VARCHAR(60) NOT NULL DEFAULT '',
        published_at TIMESTAMPTZ NULL,
        folded_title TEXT NOT NULL,
        title TEXT NOT NULL,
        body TEXT NOT NULL,
        folded TEXT NOT NULL,
        tsv TSVECTOR NOT NULL
    )
    """,
    "CREATE UNIQUE INDEX search_document_kind_object ON search_document (kind, object_id)",
    "CREATE INDEX search_document_tsv ON search_document USING GIN (tsv)",
]
POSTGRES_BACKWARD = ["DROP TABLE IF EXISTS search_document"]


def forward(apps, schema_editor):
    statements = (
        POSTGRES_FORWARD if schema_editor.connection.vendor == "postgresql" else SQLITE_FORWARD
    )
    for statement in statements:
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    statements = (
        POSTGRES_BACKWARD if schema_editor.connection.vendor == "postgresql" else SQLITE_BACKWARD
    )
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("news", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]

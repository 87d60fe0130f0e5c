"""Full-text tables for the workbench's kinds: leads, projects and enterprises (SQLite FTS5;
PostgreSQL keeps every kind in the one search_document table with its GIN index)."""

from django.db import migrations

NEW_KINDS = ("lead", "project", "enterprise")


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        return
    for kind in NEW_KINDS:
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS search_fts_{kind}"
            " USING fts5(title, body, tokenize='unicode61')"
        )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        return
    for kind in NEW_KINDS:
        schema_editor.execute(f"DROP TABLE IF EXISTS search_fts_{kind}")


class Migration(migrations.Migration):
    dependencies = [("news", "0003_search_document_kind_published")]

    operations = [migrations.RunPython(forward, backward)]

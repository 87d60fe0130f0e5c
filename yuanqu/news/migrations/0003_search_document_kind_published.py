"""Index for "when does the next scheduled document become visible" (core.search).

The search engine keeps the ranked candidates of a capped (very common) query while no
document of that kind has come due; finding the next due time must not scan the table.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("news", "0002_search_index")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX search_document_kind_published ON search_document (kind, published_at)",
            "DROP INDEX IF EXISTS search_document_kind_published",
        )
    ]

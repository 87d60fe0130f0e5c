"""Reclaiming the database storage that deleted or blanked rows leave behind.

Erasing personal data (a PIPL deletion request, the retention job) changes rows, but the old
values stay readable in freed SQLite pages, its write-ahead log and superseded full-text
segments until they are rewritten, and a backup of the file would copy them.
"""

from __future__ import annotations

import logging

from django.db import DatabaseError, connection

logger = logging.getLogger(__name__)


def purge_freed_storage() -> None:
    """Rewrite the storage an erasure freed. Inside an outer transaction (tests, or a caller
    batching erasures) it is left to the caller: VACUUM cannot run in one."""
    from yuanqu.core import search

    if connection.in_atomic_block:
        return
    search.optimize()  # merges the FTS5 segments that still list the erased entries' terms
    if connection.vendor != "sqlite":
        return  # PostgreSQL: autovacuum reclaims dead rows (docs/audit.md)
    try:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except DatabaseError:  # busy: the rows are erased; the file is rewritten by the next one
        logger.warning("personal data erased, but the database file could not be compacted")

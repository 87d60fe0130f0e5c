"""The audits on PostgreSQL (audit/target.py): the audit site's database is dropped and
created again before each run, so the helper must refuse any database but one of its own."""

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "audit"))

from target import recreate_postgres_database  # noqa: E402

PG_URL = os.environ.get("DATABASE_URL", "")
on_postgres = pytest.mark.skipif(
    not PG_URL.startswith(("postgres://", "postgresql://")), reason="PostgreSQL run only"
)


@pytest.mark.parametrize("name", ["postgres", "template1", ""])
def test_a_shared_database_is_never_dropped(name):
    with pytest.raises(SystemExit, match="a database of its own"):
        recreate_postgres_database(f"postgresql://root@127.0.0.1:5432/{name}")


@on_postgres
def test_the_audit_database_comes_back_empty():
    import psycopg

    url = PG_URL.rsplit("/", 1)[0] + "/yuanqu_audit_selftest"
    recreate_postgres_database(url)
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("CREATE TABLE left_over (id int)")
    recreate_postgres_database(url)
    with psycopg.connect(url, autocommit=True) as connection:
        tables = connection.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
        ).fetchone()
    with psycopg.connect(url, dbname="postgres", autocommit=True) as connection:
        connection.execute("DROP DATABASE yuanqu_audit_selftest")

    assert tables == (0,)

import pytest
from django.db import connection, transaction

from yuanqu.core.models import Region
from yuanqu.core.storage import purge_freed_storage

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="PostgreSQL leaves dead rows to autovacuum"
)


def _free_pages() -> int:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA freelist_count")
        return int(cursor.fetchone()[0])


def _fill_and_delete_regions() -> None:
    Region.objects.bulk_create(
        Region(code=f"9{index:05d}", name=f"测试区{index:05d}" * 3, level=Region.Level.COUNTY)
        for index in range(3000)
    )
    Region.objects.filter(code__startswith="9").delete()


@pytest.mark.django_db(transaction=True)
def test_purge_rewrites_the_pages_deleted_rows_left_free():
    _fill_and_delete_regions()
    assert _free_pages() > 0

    purge_freed_storage()

    assert _free_pages() == 0


@pytest.mark.django_db(transaction=True)
def test_purge_inside_a_transaction_is_left_to_the_caller():
    _fill_and_delete_regions()

    with transaction.atomic():
        purge_freed_storage()  # VACUUM cannot run in a transaction: must not raise

    assert _free_pages() > 0

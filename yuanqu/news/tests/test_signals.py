"""The search index follows parks and carriers too (articles: see test_services)."""

import pytest

from yuanqu.core import search
from yuanqu.parks.tests.factories import make_park

pytestmark = pytest.mark.django_db


def test_a_new_park_is_searchable_by_its_description():
    park = make_park(name="示范工业园区", description="主导产业为集成电路和新材料")

    assert search.matching_ids(kind="park", query="集成电路") == [park.pk]


def test_a_renamed_park_is_found_by_its_new_name_only():
    park = make_park(name="示范工业园区")

    park.name = "示范高新区"
    park.save()

    assert search.matching_ids(kind="park", query="高新区") == [park.pk]
    assert search.matching_ids(kind="park", query="工业园区") == []


def test_a_deactivated_park_leaves_the_index():
    park = make_park(name="示范工业园区")

    park.is_active = False
    park.save()

    assert search.indexed_ids(kind="park") == set()


def test_a_deleted_park_leaves_the_index():
    park = make_park(name="示范工业园区")

    park.delete()

    assert search.indexed_ids(kind="park") == set()


def test_a_carrier_is_indexed_on_save_and_removed_on_delete():
    from yuanqu.listings.tests.factories import make_carrier

    carrier = make_carrier(title="高标准厂房出租")
    assert search.matching_ids(kind="carrier", query="高标准厂房") == [carrier.pk]

    carrier.delete()

    assert search.indexed_ids(kind="carrier") == set()

import pytest

from yuanqu.listings.tests.factories import make_carrier
from yuanqu.parks.tests.factories import make_industry, make_park

pytestmark = pytest.mark.django_db


def test_the_park_list_shows_parks_with_their_carrier_counts(client, park_a):
    make_carrier(park=park_a)
    make_carrier(park=park_a, confirmed_days_ago=200)  # hidden: not counted

    body = client.get("/parks/").content.decode()

    assert "甲园区" in body and "1 个可租售载体" in body


def test_the_park_page_lives_at_its_pinyin_slug(client):
    park = make_park(
        name="徐州经济技术开发区", slug="xuzhou-jingkaiqu", contact_phone="0516-87000000"
    )

    response = client.get("/parks/xuzhou-jingkaiqu/")

    assert park.get_absolute_url() == "/parks/xuzhou-jingkaiqu/"
    assert "0516-87000000" in response.content.decode()


def test_a_park_placed_at_its_countys_centre_says_so_under_its_map(client):
    park = make_park(coord_source="region:320324")

    html = client.get(park.get_absolute_url()).content.decode()

    assert f"图上位置为{park.region.name}的中心点,并非园区的实际位置。" in html


def test_a_park_with_a_surveyed_point_has_no_such_note(client):
    park = make_park(coord_source="source:osm")

    assert "并非园区的实际位置" not in client.get(park.get_absolute_url()).content.decode()


def test_the_park_page_shows_leading_industries_by_name(client):
    park = make_park()
    park.leading_industries.add(make_industry("3514", "建筑工程用机械制造"))

    assert "建筑工程用机械制造" in client.get(park.get_absolute_url()).content.decode()


def test_park_policies_are_sanitised(client):
    park = make_park(
        policies_html='<p>补贴</p><script>alert(1)</script><a href="javascript:x">链接</a>'
    )

    body = client.get(park.get_absolute_url()).content.decode()

    assert "<p>补贴</p>" in body
    assert "<script>alert(1)" not in body and "javascript:x" not in body


def test_the_park_page_lists_its_public_carriers(client, park_a):
    make_carrier(park=park_a, title="甲园厂房")
    make_carrier(park=park_a, title="已下架", publish=False)

    body = client.get(park_a.get_absolute_url()).content.decode()

    assert "甲园厂房" in body and "已下架" not in body


def test_an_unknown_park_is_not_found(client):
    assert client.get("/parks/no-such-park/").status_code == 404


def test_an_inactive_park_is_not_found(client):
    park = make_park(is_active=False)

    assert client.get(park.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("count", [1, 8])
def test_the_park_list_query_count_does_not_grow_with_parks(
    client, count, django_assert_max_num_queries
):
    for _ in range(count):
        make_park().leading_industries.add(make_industry())

    with django_assert_max_num_queries(4):
        assert client.get("/parks/").status_code == 200


def test_the_park_list_filters_by_district_and_level(client, park_a, park_b):
    national = make_park(name="国家级园区", level="national", region=park_a.region)

    body = client.get(
        "/parks/", {"district": park_a.region_id, "level": "national"}
    ).content.decode()

    assert national.name in body
    assert park_a.name not in body and park_b.name not in body


def test_an_unknown_park_list_filter_is_ignored(client, park_a):
    response = client.get("/parks/", {"level": "<script>", "district": "x" * 50})

    assert response.status_code == 200

from __future__ import annotations

from datetime import date

from django.http import QueryDict

from yuanqu.enterprises import selectors
from yuanqu.enterprises.search_index import enterprises_reindex_all
from yuanqu.enterprises.tests.factories import make_enterprise, make_target
from yuanqu.parks.tests.factories import make_industry

TODAY = date(2025, 6, 30)


def _names(user, today=TODAY, **filters):
    found = selectors.enterprise_list_for_user(
        user=user, filters=selectors.EnterpriseFilters(**filters), today=today
    )
    return [enterprise.name for enterprise in found]


def test_an_officer_sees_only_the_enterprises_of_their_parks(park_a, park_b, investment_officer):
    make_enterprise(park=park_a, name="甲企业")
    make_enterprise(park=park_b, name="乙企业")

    assert _names(investment_officer) == ["甲企业"]


def test_leadership_sees_every_park_of_its_region(park_a, park_b, leadership):
    make_enterprise(park=park_a, name="甲企业")
    make_enterprise(park=park_b, name="乙企业")

    assert set(_names(leadership)) == {"甲企业", "乙企业"}


def test_the_high_tech_filter_leaves_out_expired_certificates(park_a, investment_officer):
    make_enterprise(
        park=park_a,
        name="有效",
        high_tech_certified_on=date(2023, 1, 1),
        high_tech_expires_on=date(2025, 12, 31),
    )
    make_enterprise(
        park=park_a,
        name="过期",
        high_tech_certified_on=date(2021, 1, 1),
        high_tech_expires_on=date(2024, 12, 31),
    )

    assert _names(investment_officer, flag="high_tech") == ["有效"]


def test_the_expiring_filter_finds_certificates_ending_within_90_days(park_a, investment_officer):
    make_enterprise(
        park=park_a,
        name="将到期",
        high_tech_certified_on=date(2022, 9, 1),
        high_tech_expires_on=date(2025, 9, 28),  # 90 days after TODAY
    )
    make_enterprise(
        park=park_a,
        name="还早",
        high_tech_certified_on=date(2022, 10, 1),
        high_tech_expires_on=date(2025, 9, 29),
    )

    assert _names(investment_officer, flag="high_tech_expiring") == ["将到期"]


def test_the_above_scale_filter_narrows_by_type(park_a, investment_officer):
    make_enterprise(
        park=park_a, name="工业", above_scale_type="industry", above_scale_since=date(2024, 1, 1)
    )
    make_enterprise(
        park=park_a, name="服务", above_scale_type="services", above_scale_since=date(2024, 1, 1)
    )

    assert set(_names(investment_officer, flag="above_scale")) == {"工业", "服务"}
    assert _names(investment_officer, flag="above_scale:services") == ["服务"]


def test_the_specialised_filter_narrows_by_level(park_a, investment_officer):
    make_enterprise(
        park=park_a,
        name="小巨人",
        specialised_level="little_giant",
        specialised_since=date(2024, 1, 1),
    )
    make_enterprise(
        park=park_a, name="市级", specialised_level="city", specialised_since=date(2024, 1, 1)
    )

    assert _names(investment_officer, flag="specialised:little_giant") == ["小巨人"]


def test_the_industry_filter_takes_a_section_or_a_division(park_a, investment_officer):
    make_enterprise(park=park_a, name="机械", industry=make_industry("3514"))
    make_enterprise(park=park_a, name="汽车", industry=make_industry("3670", "汽车零部件"))

    assert _names(investment_officer, industry="35") == ["机械"]
    assert len(_names(investment_officer, industry="C")) == 2


def test_searching_a_name_uses_the_full_text_index(park_a, investment_officer):
    make_enterprise(park=park_a, name="徐州精工机械有限公司")
    make_enterprise(park=park_a, name="徐州纺织有限公司")
    enterprises_reindex_all()

    assert _names(investment_officer, q="精工") == ["徐州精工机械有限公司"]


def test_searching_a_credit_code_finds_it_exactly_however_typed(park_a, investment_officer):
    enterprise = make_enterprise(park=park_a, name="目标")
    make_enterprise(park=park_a, name="其他")
    typed = " ".join(enterprise.credit_code.lower())

    assert _names(investment_officer, q=typed) == ["目标"]


def test_filters_ignore_a_park_the_user_may_not_see_and_unknown_values(park_b, investment_officer):
    filters = selectors.enterprise_filters_from_query(
        QueryDict(f"park={park_b.pk}&flag=bogus&industry=xyz"), user=investment_officer
    )

    assert filters == selectors.EnterpriseFilters()


def test_target_progress_counts_the_park_enterprises_and_names_them(park_a, park_b, park_manager):
    make_target(park=park_a, year=2024, kind="high_tech_new", target=4)
    counted = make_enterprise(park=park_a, name="新高企", high_tech_certified_on=date(2024, 5, 1))
    make_enterprise(park=park_a, name="旧高企", high_tech_certified_on=date(2023, 5, 1))
    make_enterprise(park=park_b, name="乙园高企", high_tech_certified_on=date(2024, 5, 1))

    (park_progress,) = selectors.target_progress_for_user(user=park_manager, year=2024)

    (row,) = park_progress.rows
    assert (row.progress.achieved, row.progress.target) == (1, 4)
    assert row.enterprises == [(counted.pk, "新高企")]
    assert park_progress.can_edit


def test_target_progress_costs_the_same_queries_for_more_parks_and_enterprises(
    park_a, park_b, leadership, django_assert_max_num_queries
):
    for park in (park_a, park_b):
        make_target(park=park, year=2024, kind="high_tech_new", target=4)
        for _ in range(5):
            make_enterprise(park=park, high_tech_certified_on=date(2024, 5, 1))
    selectors.target_progress_for_user(user=leadership, year=2024)  # warm the user's scope

    with django_assert_max_num_queries(3):
        result = selectors.target_progress_for_user(user=leadership, year=2024)

    assert [len(p.rows[0].enterprises) for p in result] == [5, 5]


def test_a_common_search_word_finds_every_matching_enterprise(park_a, investment_officer):
    # More hits than the PostgreSQL branch's threshold for passing the ids as one array.
    for number in range(105):
        make_enterprise(park=park_a, name=f"徐州精工{number}号有限公司")
    make_enterprise(park=park_a, name="徐州纺织有限公司")
    enterprises_reindex_all()

    assert len(_names(investment_officer, q="精工")) == 105

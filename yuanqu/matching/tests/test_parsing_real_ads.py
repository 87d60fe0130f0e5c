"""The parser on real classifieds (issue 15): several units, 配套, rent totals, 元/平方, roads
named after counties, another county's 经开区. One behaviour per test, against the labelled
resolver (Jiangsu's divisions and the 12 Xuzhou parks), so no database is needed."""

from __future__ import annotations

from decimal import Decimal

import pytest

from yuanqu.matching.data.labelled import REFERENCE_DATE, labelled_resolver
from yuanqu.matching.parsing import ParsedText, parse_text

XUZHOU_ZONE, XUZHOU_HIGH_TECH, PIZHOU_ZONE = 1, 2, 6


def ad(text: str) -> ParsedText:
    return parse_text(text, as_="ad", resolver=labelled_resolver(), today=REFERENCE_DATE)


def need(text: str) -> ParsedText:
    return parse_text(text, as_="need", resolver=labelled_resolver(), today=REFERENCE_DATE)


def areas(parsed: ParsedText) -> tuple[Decimal | None, Decimal | None]:
    return parsed.area_min_m2, parsed.area_max_m2


# Places ---------------------------------------------------------------------------------


@pytest.mark.parametrize("written", ["铜山路", "睢宁大厦", "沛县路", "云龙湖"])
def test_a_road_or_building_sharing_a_countys_name_is_not_that_county(written):
    parsed = ad(f"{written}附近写字楼出租 200平")

    assert (parsed.places, parsed.region_codes) == ([], [])


def test_a_district_named_before_a_road_of_another_countys_name_is_kept():
    assert ad("写字楼出租，云龙区铜山路附近，180平").region_codes == ["320303"]


def test_a_county_followed_by_an_ordinary_street_is_still_the_county():
    assert ad("丰县人民路 厂房出租 2000平").region_codes == ["320321"]


def test_jingkaiqu_after_another_citys_name_is_not_the_home_park():
    parsed = ad("宿迁经开区标准厂房出租 5000平")

    assert (parsed.region_codes, parsed.park_ids) == (["321300"], [])


def test_jingkaiqu_apart_from_another_city_is_still_not_the_home_park():
    assert ad("仓库出租 宿迁 经开区 3000平方").park_ids == []


def test_jingkaiqu_after_a_county_with_such_a_zone_is_that_countys_park():
    parsed = ad("邳州市 经开区内 厂房出租 5000平")

    assert (parsed.region_codes, parsed.park_ids) == (["320382"], [PIZHOU_ZONE])


def test_jingkaiqu_belongs_to_the_county_named_before_it():
    assert ad("邳州 经开区 仓库出租 5000平，新沂也有").park_ids == [PIZHOU_ZONE]


def test_a_county_named_in_a_park_name_also_keeps_gaoxinqu_from_the_home_park():
    assert need("求租厂房 邳州经开区或者高新区").park_ids == [PIZHOU_ZONE]


def test_gaoxinqu_is_the_home_park_when_only_a_home_district_is_named():
    assert need("铜山 高新区 都可以 求租 仓库").park_ids == [XUZHOU_HIGH_TECH]


def test_a_road_named_after_a_county_does_not_keep_jingkaiqu_from_the_home_park():
    assert ad("经开区沛县路旁仓库出租，3000平").park_ids == [XUZHOU_ZONE]


# Several units ---------------------------------------------------------------------------


def test_numbered_buildings_give_the_smallest_as_minimum_and_their_sum_as_maximum():
    parsed = ad("厂房出租：一号厂房3200平方，二号厂房1800平方，可整租可分租")

    assert areas(parsed) == (Decimal(1800), Decimal(5000))


def test_a_stated_total_is_the_maximum_of_numbered_units():
    parsed = ad("一号厂房2000平 二号厂房2000平 合计4000平 可单独出租")

    assert areas(parsed) == (Decimal(2000), Decimal(4000))


def test_the_smallest_listed_division_is_the_minimum_and_the_total_the_maximum():
    parsed = ad("总面积12000平方，可分割为2000、4000、6000平方出租")

    assert areas(parsed) == (Decimal(2000), Decimal(12000))


def test_a_figure_before_kefenge_cheng_is_the_whole_being_divided():
    parsed = ad("出租 厂房 12000平 可分割成 3000平 4000平 5000平 三块")

    assert areas(parsed) == (Decimal(3000), Decimal(12000))


def test_a_smallest_division_written_with_zuixiao_is_the_minimum():
    parsed = ad("仓库出租 1万平米 可分租 最小500平起租")

    assert areas(parsed) == (Decimal(500), Decimal(10000))


def test_each_building_times_their_count_is_the_maximum():
    parsed = ad("厂房出租，2栋，每栋4500平，可整租也可单栋租")

    assert areas(parsed) == (Decimal(4500), Decimal(9000))


def test_floors_let_apart_are_units():
    parsed = ad("写字楼出租 共4层 每层800平 可分层出租")

    assert areas(parsed) == (Decimal(800), Decimal(3200))


def test_floors_not_let_apart_leave_the_building_as_one_unit():
    parsed = ad("现有标准厂房出租,单栋3000平方米,共3层,每层1000平")

    assert areas(parsed) == (Decimal(3000), Decimal(3000))


def test_a_bare_kefenzu_states_no_smaller_size():
    assert areas(ad("仓库出租 3000㎡ 可分租")) == (Decimal(3000), Decimal(3000))


def test_one_figure_written_twice_is_not_two_units():
    assert areas(ad("厂房出租 5000平 可分租 面积5000平方")) == (Decimal(5000), Decimal(5000))


def test_gong_counting_buildings_does_not_make_the_next_figure_a_total():
    parsed = ad("厂房出租 一共三个车间 1200平 1800平 3000平 可分开租")

    assert areas(parsed) == (Decimal(1200), Decimal(6000))


# 配套 -------------------------------------------------------------------------------------


def test_peitao_office_and_dormitory_areas_are_left_out():
    parsed = ad("厂房出租，厂房6000平米，配套办公楼800平，宿舍楼1200平")

    assert areas(parsed) == (Decimal(6000), Decimal(6000))


def test_peitao_areas_written_before_the_workshop_are_left_out():
    parsed = ad("出售 厂房 办公楼1500平 生产车间8000平 宿舍500平")

    assert areas(parsed) == (Decimal(8000), Decimal(8000))


def test_peitao_areas_are_left_out_of_the_sum_of_units():
    parsed = ad("1号车间2400平方 2号车间1600平方 另有办公楼600平方 可分开租")

    assert areas(parsed) == (Decimal(1600), Decimal(4000))


def test_an_office_with_its_own_figure_listed_first_does_not_make_a_factory_an_office():
    assert ad("办公楼800平 厂房4000平 出租").kind == "factory"


def test_an_office_ads_own_office_area_is_what_it_offers():
    assert areas(ad("写字楼出租 办公室300平")) == (Decimal(300), Decimal(300))


def test_a_plus_between_items_does_not_mean_at_least():
    assert areas(ad("厂房出租，车间3000平+办公200平+宿舍10间")) == (Decimal(3000), Decimal(3000))


# Rent -----------------------------------------------------------------------------------


def test_a_yearly_total_rent_becomes_monthly_per_square_metre_of_the_building():
    parsed = ad("厂房出租，占地15亩，建筑面积7200平方米，一年租金54万")

    assert (parsed.price_unit, parsed.price_yuan_m2_month) == ("万元/年", Decimal("6.25"))


def test_a_monthly_total_rent_is_divided_by_the_main_space_not_its_peitao():
    parsed = ad("厂房出租 车间3000平+办公200平 月租金3.3万")

    assert parsed.price_yuan_m2_month == Decimal(11)


def test_a_yearly_total_for_several_units_is_spread_over_all_of_them():
    parsed = ad("一号厂房3200平方，二号厂房1800平方，可分租，年租金总共60万")

    assert parsed.price_yuan_m2_month == Decimal(10)


def test_a_yearly_total_over_a_plot_alone_gives_no_rent_per_square_metre():
    parsed = ad("铜山区 厂房出租 占地10亩 年租金30万")

    assert (parsed.price_value, parsed.price_yuan_m2_month) == (Decimal(30), None)


@pytest.mark.parametrize(
    "written", ["13元/平方", "13元/平米", "13元/㎡", "13元一平方", "每平方13元"]
)
def test_yuan_per_square_metre_without_a_period_is_monthly(written):
    parsed = ad(f"厂房出租 2000平 租金{written}")

    assert (parsed.price_unit, parsed.price_yuan_m2_month) == ("元/平", Decimal(13))


def test_a_low_per_square_metre_rent_written_out_is_still_monthly():
    assert ad("堆场出租 5000平米 2.5元/平米").price_yuan_m2_month == Decimal("2.5")


def test_a_bare_low_price_without_a_unit_is_still_a_daily_rent():
    assert ad("仓库出租 5000平 租金0.5元").price_yuan_m2_month == Decimal(15)


def test_a_sale_price_per_square_metre_of_several_units_totals_them_all():
    parsed = ad("厂房出售 一号厂房3000平 二号厂房2000平 单价2500元/平")

    assert parsed.price_wan_total == Decimal(1250)

"""The free-text parser, one hard case per test (pure: a resolver built here, no database)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from yuanqu.matching.data.labelled import (
    REFERENCE_DATE,
    labelled_resolver,
    load_messages,
    overall,
    score,
)
from yuanqu.matching.parsing import (
    ParkRow,
    ParsedText,
    RegionRow,
    Resolver,
    default_resolver,
    parse_text,
    reset_default_resolver,
)

RESOLVER = Resolver.build(
    regions=[
        RegionRow("320000", "江苏省", "province"),
        RegionRow("320100", "南京市", "prefecture"),
        RegionRow("320106", "鼓楼区", "county"),
        RegionRow("320300", "徐州市", "prefecture"),
        RegionRow("320302", "鼓楼区", "county"),
        RegionRow("320312", "铜山区", "county"),
        RegionRow("320321", "丰县", "county"),
        RegionRow("320382", "邳州市", "county"),
        RegionRow("320312402", "大庙街道", "township"),
    ],
    parks=[
        ParkRow(1, "徐州经济技术开发区", "徐州经开区"),
        ParkRow(2, "徐州高新技术产业开发区", "徐州高新区"),
        ParkRow(3, "江苏铜山经济开发区", "铜山经开区"),
        ParkRow(4, "徐州工业园区"),
        ParkRow(5, "江苏邳州经济开发区", "邳州经开区"),
    ],
    synonyms=[
        ("挖掘机", "3514"),
        ("挖掘机配件", "3514"),
        ("装载机", "3514"),
        ("光刻胶", "3985"),
        ("锂电池", "3841"),
        ("光伏组件", "3825"),
        ("食品加工", "14"),
        ("服装", "18"),
        ("钢结构", "3311"),
        ("家具", "21"),
        ("实木家具", "2110"),
        ("水泥", "3011"),
        ("电机", "381"),
        ("新材料", "3985"),
        ("新材料", "2659"),
    ],
    industries=[("3841", "锂离子电池制造")],
    home_region_code="320300",
)


def need(text: str, **kwargs) -> ParsedText:
    return parse_text(
        text, as_="need", resolver=RESOLVER, today=kwargs.pop("today", REFERENCE_DATE)
    )


def ad(text: str) -> ParsedText:
    return parse_text(text, as_="ad", resolver=RESOLVER, today=REFERENCE_DATE)


# Area -----------------------------------------------------------------------------------


@pytest.mark.parametrize("unit", ["平", "平方", "平米", "平方米", "㎡", "m²", "个平方"])
def test_every_way_of_writing_square_metres_reads_as_area(unit):
    assert ad(f"厂房出租 3000{unit}").area_min_m2 == Decimal(3000)


def test_mu_is_converted_to_square_metres():
    parsed = ad("土地出让 15亩")

    assert parsed.area_min_m2 == Decimal(10000)


def test_a_needs_figure_with_zuoyou_becomes_a_ten_percent_band():
    parsed = need("租厂房5000平左右")

    assert (parsed.area_min_m2, parsed.area_max_m2) == (Decimal(4500), Decimal(5500))


def test_a_needs_bare_figure_is_read_as_roughly_that_figure():
    parsed = need("找厂房 2000平")

    assert (parsed.area_min_m2, parsed.area_max_m2) == (Decimal(1800), Decimal(2200))


def test_yishang_gives_only_a_minimum():
    parsed = need("求租厂房5000平以上")

    assert (parsed.area_min_m2, parsed.area_max_m2) == (Decimal(5000), None)


def test_yixia_gives_only_a_maximum():
    parsed = need("仓库一千二百平以下")

    assert (parsed.area_min_m2, parsed.area_max_m2) == (None, Decimal(1200))


def test_buhdiyu_before_the_figure_gives_a_minimum():
    parsed = need("建筑面积不低于5000平")

    assert (parsed.area_min_m2, parsed.area_max_m2) == (Decimal(5000), None)


def test_duo_after_the_figure_gives_a_minimum():
    assert need("租个1000多平的厂房").area_min_m2 == Decimal(1000)


def test_a_dashed_range_gives_both_ends():
    parsed = need("厂房 3000-5000平")

    assert (parsed.area_min_m2, parsed.area_max_m2) == (Decimal(3000), Decimal(5000))


def test_a_chinese_range_shares_its_magnitude():
    parsed = need("找厂房三到五千平")

    assert (parsed.area_min_m2, parsed.area_max_m2) == (Decimal(3000), Decimal(5000))


def test_two_neighbouring_numerals_are_a_range():
    parsed = need("小仓库两三百平就行")

    assert (parsed.area_min_m2, parsed.area_max_m2) == (Decimal(200), Decimal(300))


@pytest.mark.parametrize(
    ("written", "area"),
    [("五千平", 5000), ("1.5万平", 15000), ("两千平", 2000), ("一千五百平", 1500), ("8千平", 8000)],
)
def test_chinese_and_mixed_numerals_are_read(written, area):
    assert ad(f"厂房出租 {written}").area_min_m2 == Decimal(area)


def test_full_width_digits_are_read():
    assert ad("厂房出租５０００平").area_min_m2 == Decimal(5000)


def test_an_ads_single_figure_is_both_minimum_and_maximum():
    parsed = ad("厂房出租 5000平左右")

    assert (parsed.area_min_m2, parsed.area_max_m2) == (Decimal(5000), Decimal(5000))


def test_a_factory_ad_uses_the_building_area_not_the_plot():
    parsed = ad("厂房出售,占地20亩,建筑面积8000平方米")

    assert parsed.area_min_m2 == Decimal(8000)


def test_a_land_ad_uses_the_plot_in_mu_not_the_building_on_it():
    parsed = ad("工业用地转让 占地45亩 带5000平厂房")

    assert parsed.area_min_m2 == pytest.approx(Decimal(30000))


def test_a_phone_number_is_not_an_area():
    parsed = need("求租厂房,电话13912345678,3000平")

    assert parsed.area_min_m2 == Decimal(2700)


def test_thousands_separators_are_read():
    assert ad("厂房出租 面积:5,000㎡").area_min_m2 == Decimal(5000)


def test_fang_after_a_figure_is_spoken_for_square_metres():
    assert ad("出租3000方厂房").area_min_m2 == Decimal(3000)


def test_square_kilometres_of_a_zone_are_not_the_property_area():
    assert ad("园区规划面积10平方公里,标准厂房出租,单栋3000平方米").area_min_m2 == Decimal(3000)


def test_mianji_without_a_unit_is_square_metres():
    parsed = need("面积大概在两千到三千之间")

    assert (parsed.area_min_m2, parsed.area_max_m2) == (Decimal(2000), Decimal(3000))


def test_yi_wan_er_qian_in_mixed_digits():
    assert ad("出租 厂房 1万2千平").area_min_m2 == Decimal(12000)


def test_a_minimum_and_a_maximum_written_apart_make_one_range():
    parsed = ad("面积2000平方米起租,最大可租10000平方米")

    assert (parsed.area_min_m2, parsed.area_max_m2) == (Decimal(2000), Decimal(10000))


def test_the_smallest_lettable_unit_is_the_minimum_and_the_total_the_maximum():
    parsed = ad("厂房出租 1000平起租 总面积8000平")

    assert (parsed.area_min_m2, parsed.area_max_m2) == (Decimal(1000), Decimal(8000))


def test_an_ads_smallest_division_may_be_written_without_its_unit():
    parsed = ad("厂房1万2平方出租 可分租 最小三千 层高最低8米")

    assert (parsed.area_min_m2, parsed.area_max_m2) == (Decimal(3000), Decimal(12000))


def test_lettered_stores_are_units_and_a_bare_zong_gives_their_total():
    parsed = ad("仓库出租 总10000㎡ 分A、B两库 A库6000㎡ B库4000㎡")

    assert (parsed.area_min_m2, parsed.area_max_m2) == (Decimal(4000), Decimal(10000))


# Building facts ---------------------------------------------------------------------------


def test_cenggao_with_yishang_is_read_as_the_figure():
    assert need("层高8米以上").height_m == Decimal(8)


def test_spoken_decimal_height_bamiwu_is_eight_and_a_half():
    assert need("要求八米五层高").height_m == Decimal("8.5")


def test_eave_height_in_metres_is_a_height():
    assert ad("檐高9m 3600㎡").height_m == Decimal(9)


def test_gaosu_after_metres_is_not_a_height():
    assert need("离高速1000米高速口附近").height_m is None


@pytest.mark.parametrize("written", ["承重3吨/平", "承重3t/㎡", "地面承重≥3T", "承重3吨每平方米"])
def test_floor_load_in_tonnes_per_square_metre(written):
    assert need(written).load_t_m2 == Decimal(3)


def test_an_ads_height_range_gives_its_lowest_figure():
    assert ad("高标准厂房 层高8-24米").height_m == Decimal(8)


def test_an_ads_load_range_gives_its_lowest_figure():
    assert ad("地面承重3-5吨").load_t_m2 == Decimal(3)


def test_gao_alone_before_metres_is_a_height():
    assert ad("单层 高8米 带行车").height_m == Decimal(8)


def test_floor_load_of_one_and_a_half_tonnes():
    assert need("承重1.5吨").load_t_m2 == Decimal("1.5")


def test_floor_load_in_kilograms_is_converted_to_tonnes():
    assert need("承重500公斤就够").load_t_m2 == Decimal("0.5")


def test_floor_load_yidunban_is_one_and_a_half():
    assert ad("承重一吨半").load_t_m2 == Decimal("1.5")


def test_crane_tonnage_before_the_word_hangche():
    assert need("要10吨行车").crane_t == Decimal(10)


def test_crane_count_is_not_taken_for_tonnage():
    assert need("有两台5T行车").crane_t == Decimal(5)


def test_the_biggest_of_several_cranes_counts():
    assert need("双行车(16T+10T)").crane_t == Decimal(16)


def test_crane_tonnage_after_a_count():
    assert need("行车2台10T").crane_t == Decimal(10)


def test_a_crane_without_tonnage_gives_no_figure():
    assert need("厂房带行车,5000平").crane_t is None


@pytest.mark.parametrize(
    "written", ["配电500kva", "变压器500KVA", "电力500千伏安", "电容量≥500kVA"]
)
def test_power_in_kva(written):
    assert need(written).power_kva == Decimal(500)


def test_ten_kilovolt_supply_is_not_a_capacity():
    assert ad("10KV专线 变压器1250KVA").power_kva == Decimal(1250)


def test_two_transformers_add_up():
    assert ad("配两台630kva变压器").power_kva == Decimal(1260)


def test_kilowatts_are_taken_as_kva():
    assert need("电要200千瓦").power_kva == Decimal(200)


# 环评 and 独门独院 -------------------------------------------------------------------------


@pytest.mark.parametrize("written", ["可环评", "能环评", "最好能环评", "要能办环评", "可以办环评"])
def test_eia_possible(written):
    assert need(f"厂房,{written}").eia_ok is True


@pytest.mark.parametrize("written", ["不需要环评", "不用环评", "环评不限", "无需环评"])
def test_a_need_that_does_not_require_eia(written):
    assert need(f"厂房,{written}").eia_ok is False


@pytest.mark.parametrize("written", ["不能环评", "环评不能办", "环评办不了"])
def test_an_ad_that_cannot_pass_eia(written):
    assert ad(f"厂房出租,{written}").eia_ok is False


def test_eia_as_a_form_line_with_a_colon():
    assert need("环评:需要").eia_ok is True


def test_eia_unmentioned_is_unknown():
    assert need("厂房3000平").eia_ok is None


def test_independent_yard():
    assert need("想买个独门独院的厂子").independent_yard is True


def test_yard_unmentioned_is_unknown():
    assert need("想买个厂子").independent_yard is None


# Price ----------------------------------------------------------------------------------


def test_kuai_per_ping_per_month_is_a_monthly_rent():
    parsed = need("预算15块一平一个月")

    assert (parsed.price_value, parsed.price_unit, parsed.price_yuan_m2_month) == (
        Decimal(15), "元/平/月", Decimal(15),
    )  # fmt: skip


def test_a_daily_rent_per_square_metre_becomes_thirty_days():
    parsed = ad("仓库出租 0.5元/平/天")

    assert (parsed.price_unit, parsed.price_yuan_m2_month) == ("元/平/天", Decimal(15))


def test_yuan_per_square_metre_per_day_written_out():
    assert ad("1.2元每平米每天").price_yuan_m2_month == Decimal(36)


def test_a_monthly_total_is_divided_by_the_area():
    parsed = ad("厂房出租 2000平 月租3万")

    assert (parsed.price_value, parsed.price_unit, parsed.price_yuan_m2_month) == (
        Decimal(3), "万元/月", Decimal(15),
    )  # fmt: skip


def test_a_yearly_rent_in_wan_is_divided_by_twelve_months_and_the_area():
    parsed = ad("厂房出租 1000平 年租金36万")

    assert (parsed.price_unit, parsed.price_yuan_m2_month) == ("万元/年", Decimal(30))


def test_wan_per_year_written_with_a_slash():
    assert ad("厂房 2000平 租金24万/年").price_yuan_m2_month == Decimal(10)


def test_a_monthly_total_without_an_area_has_no_normalised_rent():
    parsed = need("月租3万的厂房")

    assert (parsed.price_unit, parsed.price_yuan_m2_month) == ("万元/月", None)


def test_a_land_price_per_mu():
    parsed = ad("工业用地出让 30亩 40万一亩")

    assert (parsed.price_wan_per_mu, parsed.price_wan_total) == (Decimal(40), Decimal(1200))


def test_a_total_price_in_wan_is_a_sale_price():
    parsed = need("求购厂房 总价800万")

    assert (parsed.price_unit, parsed.price_wan_total) == ("万元", Decimal(800))


def test_a_land_total_gives_the_price_per_mu():
    assert ad("土地转让 45亩 总价1800万").price_wan_per_mu == Decimal(40)


def test_a_sale_price_per_square_metre_times_the_area_is_the_total():
    assert ad("写字楼出售 1500平 单价9000元每平").price_wan_total == Decimal(1350)


def test_an_ad_with_an_area_range_has_no_total_price():
    parsed = ad("厂房出售 面积:1200㎡-5000㎡ 售价2200元/㎡起")

    assert (parsed.price_value, parsed.price_wan_total) == (Decimal(2200), None)


def test_mianyi_is_negotiable_without_a_figure():
    parsed = ad("仓库出租 价格面议")

    assert (parsed.price_negotiable, parsed.price_value) == (True, None)


def test_jiage_haotan_is_negotiable():
    assert need("价格好谈").price_negotiable is True


def test_mao_is_a_tenth_of_a_yuan():
    assert ad("仓库出租 4000平方 一天五毛一平").price_yuan_m2_month == Decimal(15)


def test_period_and_area_written_before_the_figure():
    parsed = need("预算每平每月14元")

    assert (parsed.price_value, parsed.price_unit) == (Decimal(14), "元/平/月")


def test_a_time_frame_after_the_budget_is_not_its_period():
    parsed = need("想租写字楼 200平左右 月租不超过8000 一年内搬")

    assert (parsed.price_unit, parsed.price_yuan_m2_month) == ("元/月", Decimal(40))


def test_a_time_frame_before_the_price_is_not_its_period():
    assert need("仓库 3000平以上 一个月内能进场 15元/平以内").price_unit == "元/平"


def test_a_rent_per_floor_is_over_one_floor():
    parsed = ad("写字楼出租 整栋5层 每层600平 可分层 月租金1.8万每层")

    assert parsed.price_yuan_m2_month == Decimal(30)


def test_a_rent_per_building_is_over_one_building():
    assert ad("厂房出租 2栋 每栋3000平 每栋年租金36万").price_yuan_m2_month == Decimal(10)


def test_a_floor_mentioned_after_the_rent_is_not_its_unit():
    parsed = ad("写字楼出租 整栋5层 每层600平 可分层 月租金1.8万 每层都有电梯")

    assert parsed.price_yuan_m2_month == Decimal(6)


def test_property_fee_and_electricity_are_not_the_rent():
    parsed = ad("电费0.8元/度 租金16元/㎡·月 物业费1元/㎡·月")

    assert parsed.price_value == Decimal(16)


def test_investment_and_tax_are_not_a_price():
    parsed = need("工业用地100亩,投资3个亿,年税收2000万,投资5000万")

    assert parsed.price_value is None


def test_a_needs_budget_range_takes_its_upper_end():
    assert need("仓库 价格0.4-0.5元/平/天").price_value == Decimal("0.5")


def test_a_per_square_metre_price_without_period_is_monthly_from_three_yuan():
    assert need("租厂房,租金12元每平").price_yuan_m2_month == Decimal(12)


def test_as_written_price_keeps_the_unit_of_the_text():
    assert need("每个月预算不超过8000块").price_unit == "元/月"


def test_payment_terms_are_not_a_price():
    parsed = ad("厂房出租 2000平 押一付三 租金一年一付 12元/平/月")

    assert (parsed.price_value, parsed.price_unit) == (Decimal(12), "元/平/月")


def test_area_and_period_before_and_mao_after_the_figure():
    assert need("仓库 一平一天五毛以内").price_yuan_m2_month == Decimal(15)


def test_period_before_area_after_the_figure():
    assert ad("仓库出租 0.3元一天一平").price_yuan_m2_month == Decimal(9)


def test_a_colon_does_not_hide_the_price_word():
    assert ad("仓库 1000平 年租金:12万元").price_yuan_m2_month == Decimal(10)


def test_danjia_without_a_unit_is_per_square_metre():
    parsed = need("求购写字楼 1000平 单价8000以内")

    assert (parsed.price_unit, parsed.price_wan_total) == ("元/平", Decimal(800))


# Timing ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "timing"),
    [
        ("三个月内", "1-3m"),
        ("半年内", "3-6m"),
        ("一年内", "1y"),
        ("两年内", "2y"),
        ("越快越好", "1-3m"),
    ],
)
def test_timing_phrases(written, timing):
    assert need(f"找厂房,{written}").timing == timing


def test_nian_di_qian_counts_from_the_day_the_message_was_written():
    assert need("年底前要用", today=date(2026, 11, 1)).timing == "1-3m"
    assert need("年底前要用", today=date(2026, 3, 1)).timing == "1y"


def test_a_year_and_a_half_is_within_two_years():
    assert need("一年半内开工").timing == "2y"


def test_a_month_of_next_year():
    assert need("明年3月前要厂房", today=date(2026, 9, 1)).timing == "3-6m"


def test_an_ad_has_no_timing():
    assert ad("厂房出租 急租").timing is None


# Places ---------------------------------------------------------------------------------


def test_a_district_short_name_resolves_to_its_code():
    parsed = need("铜山的厂房")

    assert (parsed.places, parsed.region_codes) == (["铜山"], ["320312"])


def test_a_zone_short_name_resolves_to_the_park():
    parsed = need("想在经开区附近租厂房")

    assert (parsed.places, parsed.park_ids, parsed.region_codes) == (["经开区"], [1], [])


def test_a_prefixed_zone_name_wins_over_the_district_inside_it():
    parsed = need("铜山经开区或者高新区")

    assert (parsed.park_ids, parsed.region_codes) == ([3, 2], [])


def test_a_zone_word_by_a_county_is_its_park_of_that_type_whatever_the_name():
    resolver = Resolver.build(
        regions=[
            RegionRow("320300", "徐州市", "prefecture"),
            RegionRow("320381", "新沂市", "county"),
        ],
        parks=[
            ParkRow(2, "徐州高新技术产业开发区", "徐州高新区", "320312"),
            ParkRow(8, "锡沂高新技术产业开发区", "锡沂高新区", "320381"),
        ],
        synonyms=[],
        home_region_code="320300",
    )
    parsed = parse_text("新沂 高新区 写字楼出租 600平", as_="ad", resolver=resolver)

    assert (parsed.places, parsed.park_ids) == (["新沂", "高新区"], [8])


def test_a_province_prefix_is_dropped_from_park_names():
    assert ad("邳州经济开发区工业用地出让").park_ids == [5]


def test_a_park_named_with_the_full_city_name_is_found():
    parsed = ad("邳州市经济开发区标准厂房出售")

    assert (parsed.park_ids, parsed.region_codes) == ([5], [])


def test_a_generic_zone_word_inside_another_name_is_not_a_park():
    assert need("潘塘工业园的厂房").park_ids == []


def test_a_district_name_shared_with_another_city_means_the_home_city():
    assert need("鼓楼区的写字楼").region_codes == ["320302"]


def test_places_are_reported_as_written_in_traditional_characters():
    parsed = need("電子廠找廠房,銅山區")

    assert (parsed.places, parsed.region_codes) == (["銅山區"], ["320312"])


def test_townships_are_not_matched_as_places():
    assert need("大庙街道附近").places == []


# Industry -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "code"),
    [("挖掘机配件", "3514"), ("装载机", "3514"), ("光刻胶", "3985"), ("锂电池", "3841"),
     ("光伏组件", "3825"), ("食品加工", "14"), ("服装", "18")],
)  # fmt: skip
def test_trade_words_resolve_to_gbt4754(written, code):
    assert need(f"做{written}的,找厂房").industry_codes == [code]


def test_a_trade_word_at_the_tail_of_another_word_does_not_count():
    assert need("发电机组生产,需要厂房").industry_codes == []


def test_steel_structure_as_a_building_description_is_not_a_trade():
    assert need("寻找生产厂房,钢结构,单层").industry_codes == []


def test_steel_structure_as_what_the_company_does_is_a_trade():
    assert need("做钢结构的,需要厂房").industry_codes == ["3311"]


def test_cement_for_the_ground_is_not_a_trade():
    assert need("租地 10亩 做堆场用 水泥硬化的最好").industry_codes == []


def test_cement_as_what_the_company_makes_is_a_trade():
    assert need("做水泥的 找地30亩").industry_codes == ["3011"]


def test_a_trade_word_right_after_a_trade_verb_counts_however_the_text_is_cut():
    # The segmenter cuts 做实/木家具; after 做 the trade word still begins there.
    assert need("求购工业用地60亩，做实木家具的").industry_codes == ["2110"]


def test_furniture_that_comes_with_an_office_is_not_the_trade():
    assert need("寻租办公室 100㎡ 带家具").industry_codes == []


def test_an_official_industry_name_is_found_too():
    assert need("锂离子电池制造企业").industry_codes == ["3841"]


def test_a_word_spanning_several_classes_gives_no_code():
    assert need("做新材料的").industry_codes == []


def test_a_steel_structure_building_is_not_a_steel_structure_maker():
    assert ad("出租 钢结构厂房 6000平米").industry_codes == []


# Kind and deal ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "kind"),
    [("标准厂房", "factory"), ("车间", "factory"), ("拿地", "land"), ("工业用地", "land"),
     ("写字楼", "office"), ("研发办公", "office"), ("冷库", "warehouse"), ("仓储", "warehouse")],
)  # fmt: skip
def test_kind_words(written, kind):
    assert need(f"求租{written}").kind == kind


def test_a_kind_named_as_an_extra_does_not_decide():
    assert ad("出售 带办公楼的厂房").kind == "factory"


def test_land_is_inferred_from_mu_when_no_kind_is_named():
    assert need("需要30亩左右").kind == "land"


@pytest.mark.parametrize(
    ("written", "deal"),
    [("求租厂房", "rent"), ("求购厂房", "buy"), ("拿地", "buy"), ("谁有厂房出售", "buy"),
     ("想先租后买", "rent_to_buy"),
     ("租购均可", None), ("找厂房", None)],
)  # fmt: skip
def test_need_deals(written, deal):
    assert need(written).deal == deal


@pytest.mark.parametrize(
    ("written", "deal"),
    [("厂房出租", "rent"), ("厂房出售", "sale"), ("土地转让", "sale"), ("先租后买", "rent_to_buy")],
)
def test_ad_deals(written, deal):
    assert ad(written).deal == deal


def test_a_rent_price_implies_renting_when_no_deal_is_named():
    assert need("找仓库 0.5元/平/天").deal == "rent"


# Noise and the shape of the result ------------------------------------------------------------


def test_an_empty_message_states_nothing():
    assert need("") == ParsedText()


def test_emoji_and_html_do_not_break_reading():
    parsed = need("🏭<script>alert(1)</script>求租厂房🔥5000平以上")

    assert (parsed.kind, parsed.area_min_m2) == ("factory", Decimal(5000))


def test_a_100_kb_paste_is_read_from_its_start():
    parsed = ad("厂房出租5000平,层高8米。" + "噪音" * 50_000)

    assert (parsed.area_min_m2, parsed.height_m) == (Decimal(5000), Decimal(8))


def test_as_dict_is_json_safe_with_numbers():
    data = need("租厂房5000平左右,0.5元/平/天").as_dict()

    assert json.loads(json.dumps(data))["price_yuan_m2_month"] == 15.0


def test_as_dict_has_every_field():
    assert list(need("厂房").as_dict()) == list(ParsedText.__dataclass_fields__)


def test_an_unknown_as_is_refused():
    with pytest.raises(ValueError):
        parse_text("厂房", as_="offer", resolver=RESOLVER)  # type: ignore[arg-type]


def test_the_labelled_training_splits_stay_above_their_floor():
    messages = load_messages("dev") + load_messages("dev2")
    resolver = labelled_resolver()
    parsed = {
        m.id: parse_text(m.text, as_=m.as_, resolver=resolver, today=REFERENCE_DATE).as_dict()
        for m in messages
    }

    total = overall(score(messages, parsed))

    assert (total.precision >= 0.97, total.recall >= 0.97) == (True, True)


# The default resolver reads the tables ---------------------------------------------------


@pytest.fixture
def fresh_resolver(monkeypatch):
    """The production behaviour: the default resolver is cached (tests turn that off)."""
    from yuanqu.matching import parsing

    monkeypatch.setattr(parsing, "CACHE_DEFAULT_RESOLVER", True)
    reset_default_resolver()
    yield
    reset_default_resolver()


@pytest.mark.django_db
def test_the_default_resolver_reads_regions_and_parks_from_the_database(fresh_resolver):
    from yuanqu.parks.tests.factories import make_park, make_region

    park = make_park(name="徐州经济技术开发区", short_name="徐州经开区", region=make_region())

    parsed = parse_text("铜山或者经开区的厂房", as_="need")

    assert (parsed.region_codes, parsed.park_ids) == (["320312"], [park.pk])


@pytest.mark.django_db
def test_the_default_resolver_rereads_the_tables_after_its_time_to_live(
    fresh_resolver, monkeypatch
):
    from yuanqu.matching import parsing
    from yuanqu.parks.tests.factories import make_park

    default_resolver()
    park = make_park(name="徐州空港经济开发区", short_name="空港经开区")
    monkeypatch.setattr(parsing, "DEFAULT_RESOLVER_TTL_SECONDS", -1.0)

    assert parse_text("空港经开区的厂房", as_="need").park_ids == [park.pk]


@pytest.mark.django_db
def test_under_the_test_runner_each_parse_reads_the_current_tables():
    from yuanqu.parks.tests.factories import make_park

    parse_text("经开区的厂房", as_="need")
    park = make_park(name="徐州经济技术开发区", short_name="徐州经开区")

    assert parse_text("经开区的厂房", as_="need").park_ids == [park.pk]


@pytest.mark.django_db
def test_the_default_resolver_reads_the_tables_once_per_process(
    fresh_resolver, django_assert_num_queries
):
    default_resolver()

    with django_assert_num_queries(0):
        parse_text("铜山的厂房", as_="need")

from yuanqu.chains import calculations as calc
from yuanqu.chains.calculations import LinkIndex, LinkSpec

EXCAVATORS = LinkSpec(1, ("3514",), ("挖掘机",))
HYDRAULICS = LinkSpec(2, ("344",), ("液压",))
RULES = calc.Thresholds(present_min=1, strong_min_above_scale=1)


def test_a_class_code_places_an_item_in_the_link_that_lists_it():
    assert LinkIndex([EXCAVATORS]).match("3514", "") == {1}


def test_a_class_inside_a_listed_group_places_it_too():
    assert LinkIndex([HYDRAULICS]).match("3444", "") == {2}


def test_the_text_decides_only_when_the_code_places_nothing():
    index = LinkIndex([EXCAVATORS, HYDRAULICS])
    assert index.match("3514", "液压件") == {1}
    assert index.match("35", "液压油缸厂") == {2}


def test_a_longer_word_found_in_the_text_carries_the_links_of_the_words_inside_it():
    index = LinkIndex([LinkSpec(1, (), ("液压",)), LinkSpec(2, (), ("液压泵",))])
    assert index.match(None, "生产柱塞液压泵") == {1, 2}


def test_a_synonym_reaches_the_link_through_its_class():
    index = LinkIndex([LinkSpec(1, ("3514",), ())], synonyms=[("装载机", "3514")])
    assert index.match(None, "求购装载机配件厂房") == {1}


def test_nothing_matches_an_unrelated_text():
    assert LinkIndex([EXCAVATORS]).match(None, "食品加工") == frozenset()


def test_no_enterprise_and_no_signed_project_is_a_missing_link():
    assert (
        calc.classify(enterprises=0, above_scale=0, signed_projects=0, thresholds=RULES)
        == calc.MISSING
    )


def test_a_signed_project_alone_makes_a_weak_link():
    assert (
        calc.classify(enterprises=0, above_scale=0, signed_projects=1, thresholds=RULES)
        == calc.WEAK
    )


def test_an_above_scale_enterprise_makes_a_strong_link():
    assert (
        calc.classify(enterprises=3, above_scale=1, signed_projects=0, thresholds=RULES)
        == calc.STRONG
    )


def test_completeness_is_the_share_of_present_links():
    assert str(calc.completeness_pct([calc.STRONG, calc.WEAK, calc.MISSING])) == "66.7"
    assert calc.completeness_pct([]) is None

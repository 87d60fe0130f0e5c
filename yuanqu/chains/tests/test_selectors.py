"""Coverage per park from the registry, the pipeline and the open leads."""

from datetime import date

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from yuanqu.accounts.tests.factories import make_lead
from yuanqu.chains import calculations as calc
from yuanqu.chains import selectors
from yuanqu.chains.tests.factories import machinery_chain
from yuanqu.enterprises.tests.factories import make_enterprise
from yuanqu.pipeline.models import Stage
from yuanqu.pipeline.tests.factories import make_project

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_cached_coverage():
    cache.clear()
    yield
    cache.clear()


def link_of(park, name):
    for chain in selectors.park_coverage(park):
        for item in chain.links:
            if item.link.name == name:
                return item
    raise AssertionError(name)


def test_an_enterprise_of_the_links_class_counts_in_it(park_a):
    machinery_chain(park_a)
    make_enterprise(park=park_a, industry_id="3514")
    assert link_of(park_a, "挖掘机械").enterprises == 1


def test_an_enterprise_without_code_counts_by_its_name(park_a):
    machinery_chain(park_a)
    make_enterprise(park=park_a, name="徐州某液压科技有限公司")
    assert link_of(park_a, "液压元件").enterprises == 1


def test_another_parks_enterprise_does_not_count(park_a, park_b):
    machinery_chain(park_a)
    make_enterprise(park=park_b, industry_id="3514")
    assert link_of(park_a, "挖掘机械").enterprises == 0


def test_an_above_scale_enterprise_makes_the_link_strong(park_a):
    machinery_chain(park_a)
    make_enterprise(park=park_a, industry_id="3444", above_scale_type="industry",
                    above_scale_since=date(2024, 1, 1))  # fmt: skip
    item = link_of(park_a, "液压元件")
    assert item.status == calc.STRONG and item.above_scale == 1


def test_a_signed_project_without_an_enterprise_makes_the_link_weak(park_a):
    machinery_chain(park_a)
    make_project(park=park_a, stage=Stage.SIGNED, industry_id="7113")
    assert link_of(park_a, "设备租赁").status == calc.WEAK


def test_a_project_still_in_talks_leaves_the_link_missing(park_a):
    machinery_chain(park_a)
    make_project(park=park_a, stage=Stage.NEGOTIATING, industry_id="7113")
    item = link_of(park_a, "设备租赁")
    assert item.status == calc.MISSING and item.projects_by_stage == {"negotiating": 1}


def test_an_open_lead_is_counted_by_its_need_text(park_a):
    machinery_chain(park_a)
    make_lead(park=park_a, need_text="挖掘机配件生产,求租厂房 3000 平")
    assert link_of(park_a, "挖掘机械").leads == 1


def test_a_group_link_sums_its_children(park_a):
    machinery_chain(park_a)
    make_enterprise(park=park_a, industry_id="3514")
    assert link_of(park_a, "工程机械整机").enterprises == 1


def test_completeness_counts_leaf_links_only(park_a):
    machinery_chain(park_a)
    make_enterprise(park=park_a, industry_id="3514")
    chain = selectors.park_coverage(park_a)[0]
    assert [item.link.name for item in chain.leaves()] == ["挖掘机械", "液压元件", "设备租赁"]
    assert str(chain.completeness_pct) == "33.3"


def test_a_new_enterprise_is_seen_at_once_despite_the_cache(park_a):
    machinery_chain(park_a)
    assert link_of(park_a, "液压元件").enterprises == 0
    make_enterprise(park=park_a, industry_id="3444")
    assert link_of(park_a, "液压元件").enterprises == 1


def test_an_edited_link_is_seen_at_once_despite_the_cache(park_a):
    links = machinery_chain(park_a)
    make_enterprise(park=park_a, industry_id="3514")
    assert link_of(park_a, "液压元件").enterprises == 0
    links["液压元件"].codes = "3444;3514"
    links["液压元件"].save()
    assert link_of(park_a, "液压元件").enterprises == 1


def test_the_coverage_costs_the_same_queries_for_one_or_many_rows(park_a):
    machinery_chain(park_a)
    make_enterprise(park=park_a, industry_id="3514")
    with CaptureQueriesContext(connection) as few:
        selectors.park_coverage(park_a)
    cache.clear()
    for _ in range(5):
        make_enterprise(park=park_a, industry_id="3444")
        make_project(park=park_a, industry_id="3514")
        make_lead(park=park_a, need_text="液压件")
    with CaptureQueriesContext(connection) as many:
        selectors.park_coverage(park_a)
    assert len(many) == len(few) <= 10


def test_targets_list_missing_links_first_with_the_leads_that_fill_them(park_a):
    machinery_chain(park_a)
    make_project(park=park_a, stage=Stage.SIGNED, industry_id="7113")  # 租赁: weak
    lead = make_lead(park=park_a, need_text="液压油缸项目,需要厂房")
    targets = selectors.park_targets(park=park_a)
    assert [t.link.link.name for t in targets] == ["挖掘机械", "液压元件", "设备租赁"]
    hydraulics = targets[1]
    assert hydraulics.leads == [lead] and "补齐" in hydraulics.reason


def test_a_lead_filling_a_missing_link_gets_its_reason(park_a):
    machinery_chain(park_a)
    lead = make_lead(park=park_a, need_text="液压油缸项目")
    other = make_lead(park=park_a, need_text="食品仓储")
    reasons = selectors.chain_reasons_for_leads([lead, other])
    assert reasons == {lead.pk: [f"补齐 {park_a.name} 工程机械产业链「液压元件」环节"]}


def test_the_matching_sees_each_parks_missing_links(park_a):
    from yuanqu.matching.selectors import park_facts_list

    machinery_chain(park_a)
    make_enterprise(park=park_a, industry_id="3514")
    facts = {fact.id: fact for fact in park_facts_list()}
    assert [gap.link for gap in facts[park_a.pk].chain_gaps] == ["液压元件", "设备租赁"]


def test_a_new_need_does_not_void_the_matchings_chain_cache(park_a):
    machinery_chain(park_a)
    selectors.missing_links_by_park([park_a.pk])
    make_lead(park=park_a, need_text="液压油缸项目")
    with CaptureQueriesContext(connection) as queries:
        selectors.missing_links_by_park([park_a.pk])
    assert len(queries) <= 4  # the chain check and the fingerprint, no coverage rebuild


def test_the_matchings_missing_links_are_kept_in_the_process_for_a_while(settings, park_a):
    settings.CHAIN_GAPS_MEMO_SECONDS = 60
    machinery_chain(park_a)
    selectors.missing_links_by_park([park_a.pk])
    with CaptureQueriesContext(connection) as queries:
        again = selectors.missing_links_by_park([park_a.pk])
    assert len(queries) == 0 and [gap.link for gap in again[park_a.pk]] == [
        "挖掘机械", "液压元件", "设备租赁"
    ]  # fmt: skip

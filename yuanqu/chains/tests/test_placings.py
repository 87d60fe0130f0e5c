"""Staff correct where an item sits in its park's chains; coverage follows the correction."""

import pytest
from django.core.cache import cache

from yuanqu.accounts.tests.factories import make_lead
from yuanqu.chains import selectors
from yuanqu.chains.models import LinkOverride
from yuanqu.chains.tests.factories import machinery_chain, make_chain, make_link
from yuanqu.enterprises.tests.factories import make_enterprise

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_cached_coverage():
    cache.clear()
    yield
    cache.clear()


def enterprises_in(park, name):
    return next(item.enterprises for chain in selectors.park_coverage(park)
                for item in chain.links if item.link.name == name)  # fmt: skip


def correct(client, kind, item, link, action):
    return client.post(f"/workbench/chains/placing/{kind}/{item.pk}/",
                       {"link": link.pk, "action": action, "next": "/workbench/"})  # fmt: skip


def test_the_enterprise_page_shows_its_links_as_tags(login_as, investment_officer, park_a):
    machinery_chain(park_a)
    enterprise = make_enterprise(park=park_a, industry_id="3444")
    page = login_as(investment_officer).get(f"/workbench/enterprises/{enterprise.pk}/")
    assert "工程机械「液压元件」" in page.content.decode()


def test_taking_an_enterprise_out_of_a_link_removes_it_from_the_coverage(
    login_as, investment_officer, park_a
):
    links = machinery_chain(park_a)
    enterprise = make_enterprise(park=park_a, industry_id="3444")
    assert enterprises_in(park_a, "液压元件") == 1
    correct(login_as(investment_officer), "enterprise", enterprise, links["液压元件"], "remove")
    assert enterprises_in(park_a, "液压元件") == 0


def test_adding_a_lead_to_a_link_counts_it_there(login_as, investment_officer, park_a):
    links = machinery_chain(park_a)
    lead = make_lead(park=park_a, need_text="食品冷库")
    correct(login_as(investment_officer), "lead", lead, links["租赁"], "add")
    override = LinkOverride.objects.get()
    assert override.included and override.user == investment_officer
    assert lead.pk in next(item.lead_ids for chain in selectors.park_coverage(park_a)
                           for item in chain.links if item.link.name == "设备租赁")  # fmt: skip


def test_reset_returns_to_the_automatic_placing(login_as, investment_officer, park_a):
    links = machinery_chain(park_a)
    enterprise = make_enterprise(park=park_a, industry_id="3444")
    client = login_as(investment_officer)
    correct(client, "enterprise", enterprise, links["液压元件"], "remove")
    correct(client, "enterprise", enterprise, links["液压元件"], "reset")
    assert not LinkOverride.objects.exists() and enterprises_in(park_a, "液压元件") == 1


def test_a_link_of_a_chain_the_park_does_not_pursue_is_refused(
    login_as, investment_officer, park_a
):
    machinery_chain(park_a)
    foreign = make_link(make_chain(slug="other", name="其他链"), "别的环节")
    enterprise = make_enterprise(park=park_a)
    correct(login_as(investment_officer), "enterprise", enterprise, foreign, "add")
    assert not LinkOverride.objects.exists()


def test_leadership_may_not_correct(login_as, leadership, park_a):
    links = machinery_chain(park_a)
    enterprise = make_enterprise(park=park_a, industry_id="3444")
    response = correct(login_as(leadership), "enterprise", enterprise, links["液压元件"], "remove")
    assert response.status_code in (403, 404) and not LinkOverride.objects.exists()


def test_another_parks_lead_is_not_found(login_as, investment_officer, park_b):
    links = machinery_chain(park_b)
    lead = make_lead(park=park_b)
    response = correct(login_as(investment_officer), "lead", lead, links["租赁"], "add")
    assert response.status_code == 404 and not LinkOverride.objects.exists()

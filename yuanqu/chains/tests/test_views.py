"""The workbench's chain pages: who sees them, what they show, the exports."""

import io
import json

import pytest
from django.core.cache import cache
from openpyxl import load_workbook

from yuanqu.accounts.tests.factories import make_lead
from yuanqu.chains.tests.factories import machinery_chain
from yuanqu.enterprises.tests.factories import make_enterprise

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_cached_coverage():
    cache.clear()
    yield
    cache.clear()


def test_the_map_shows_each_link_with_its_status_and_a_tree(login_as, investment_officer, park_a):
    machinery_chain(park_a)
    make_enterprise(park=park_a, industry_id="3514")
    response = login_as(investment_officer).get("/workbench/chains/")
    page = response.content.decode()
    assert response.status_code == 200 and "工程机械" in page and "挖掘机械" in page
    tree = json.loads(page.split('id="chain-tree-')[1].split(">", 1)[1].split("</script>")[0])
    whole = tree["children"][0]
    assert whole["name"] == "工程机械整机" and whole["children"][0]["name"] == "挖掘机械"
    assert "弱链" in page and "缺链" in page


def test_an_editor_may_not_see_the_chains(login_as, editor):
    assert login_as(editor).get("/workbench/chains/").status_code == 403


def test_another_parks_map_is_not_found(login_as, investment_officer, park_b):
    machinery_chain(park_b)
    response = login_as(investment_officer).get(f"/workbench/chains/?park={park_b.pk}")
    assert response.status_code == 404


def test_a_link_page_lists_its_enterprises_and_leads(login_as, investment_officer, park_a):
    links = machinery_chain(park_a)
    enterprise = make_enterprise(park=park_a, industry_id="3444")
    lead = make_lead(park=park_a, need_text="液压泵项目")
    response = login_as(investment_officer).get(
        f"/workbench/chains/{park_a.pk}/links/{links['液压元件'].pk}/"
    )
    page = response.content.decode()
    assert response.status_code == 200 and enterprise.name in page and lead.reference in page
    assert lead.mobile not in page


def test_the_targets_page_gives_the_missing_links_and_their_reason(
    login_as, investment_officer, park_a
):
    machinery_chain(park_a)
    lead = make_lead(park=park_a, need_text="液压油缸项目")
    page = login_as(investment_officer).get(f"/workbench/chains/targets/?park={park_a.pk}")
    text = page.content.decode()
    assert "液压元件" in text and lead.reference in text


def test_the_coverage_export_has_a_row_per_link(login_as, investment_officer, park_a):
    machinery_chain(park_a)
    response = login_as(investment_officer).get(f"/workbench/chains/export.xlsx?park={park_a.pk}")
    rows = list(
        load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True)
    )
    assert rows[0][0] == "产业链" and len(rows) == 1 + 4
    assert [row[5] for row in rows[1:]] == ["缺链"] * 4


def test_the_targets_export_lists_the_leads(login_as, investment_officer, park_a):
    machinery_chain(park_a)
    lead = make_lead(park=park_a, need_text="液压油缸项目")
    response = login_as(investment_officer).get(
        f"/workbench/chains/targets/export.xlsx?park={park_a.pk}"
    )
    rows = list(
        load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True)
    )
    hydraulics = next(row for row in rows if row[2] == "液压元件")
    assert lead.reference in str(hydraulics[6])


def test_the_inbox_marks_filters_and_sorts_the_leads_that_fill_a_link(
    login_as, investment_officer, park_a
):
    machinery_chain(park_a)
    filler = make_lead(park=park_a, need_text="液压油缸项目")
    other = make_lead(park=park_a, need_text="食品冷库")
    client = login_as(investment_officer)
    page = client.get("/workbench/leads/").content.decode()
    row = page.split(filler.reference)[1].split("</tr>")[0]
    assert "补链" in row and "补链" not in page.split(other.reference)[1].split("</tr>")[0]
    listed = client.get("/workbench/leads/", {"fills_chain": "1"}).context["page"].object_list
    assert [lead.pk for lead in listed] == [filler.pk]
    ordered = client.get("/workbench/leads/", {"sort": "chain"}).context["page"].object_list
    assert ordered[0].pk == filler.pk


def test_the_lead_page_gives_the_reason(login_as, investment_officer, park_a):
    machinery_chain(park_a)
    lead = make_lead(park=park_a, need_text="液压油缸项目")
    page = login_as(investment_officer).get(f"/workbench/leads/{lead.pk}/").content.decode()
    assert f"补齐 {park_a.name} 工程机械产业链「液压元件」环节" in page


def test_leadership_sees_every_parks_completeness(login_as, leadership, park_a, park_b):
    machinery_chain(park_a)
    make_enterprise(park=park_a, industry_id="3514")
    page = login_as(leadership).get("/workbench/chains/city/").content.decode()
    assert park_a.name in page and "33.3%" in page and park_b.name not in page


def test_park_staff_have_no_city_view(login_as, investment_officer):
    assert login_as(investment_officer).get("/workbench/chains/city/").status_code == 403


def test_the_inbox_looks_the_filling_leads_up_once_per_request(
    login_as, investment_officer, park_a, monkeypatch
):
    from yuanqu.chains import selectors as chain_selectors

    machinery_chain(park_a)
    make_lead(park=park_a, need_text="液压油缸项目")
    calls = []
    real = chain_selectors.chain_filling_lead_ids

    def counted(parks):
        calls.append(1)
        return real(parks)

    monkeypatch.setattr(chain_selectors, "chain_filling_lead_ids", counted)
    response = login_as(investment_officer).get(
        "/workbench/leads/", {"fills_chain": "1", "sort": "chain"}
    )
    assert response.status_code == 200 and len(response.context["page"].object_list) == 1
    assert len(calls) == 1  # shared by the list, its status tabs and its order

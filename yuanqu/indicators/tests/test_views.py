"""Dashboards and the import page: who sees what, and what the pages show."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from yuanqu.indicators.models import IndicatorValue
from yuanqu.indicators.tests.factories import make_target, make_value, template_workbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures(park_a, park_b):
    for park, value in ((park_a, "46.8"), (park_b, "30")):
        make_value(
            park=park, code="industrial_output", year=2026, month=6, value=value, yoy_pct="5"
        )
        make_target(park=park, code="industrial_output", year=2026, value="120")
    make_value(park=None, code="industrial_output", year=2026, month=6, value="520", yoy_pct="7.2")


def upload(sheets, name="指标.xlsx"):
    return SimpleUploadedFile(name, template_workbook(sheets).getvalue())


def test_leadership_sees_every_park_of_its_region(login_as, leadership, figures):
    response = login_as(leadership).get("/dashboard/?year=2026&month=6")
    page = response.content.decode()
    assert response.status_code == 200
    assert "甲园" in page and "乙园" in page and "−11" in page  # 39 % done at 50 % progress


def test_park_staff_are_sent_to_their_parks_view(login_as, investment_officer, park_a, figures):
    response = login_as(investment_officer).get("/dashboard/")
    assert response.status_code == 302 and response.url == f"/dashboard/parks/{park_a.pk}/"


def test_park_view_shows_target_pacing_and_growth_vs_city(login_as, park_manager, park_a, figures):
    page = login_as(park_manager).get(f"/dashboard/parks/{park_a.pk}/").content.decode()
    assert "46.8" in page and "+7.2" in page and "项目补缺展望" in page


def test_park_staff_get_no_other_parks_view(login_as, park_manager, park_b, figures):
    assert login_as(park_manager).get(f"/dashboard/parks/{park_b.pk}/").status_code == 404


def test_a_month_outside_the_year_is_refused_in_chinese(login_as, leadership, figures):
    page = login_as(leadership).get("/dashboard/?year=2026&month=13").content.decode()
    assert "月份应在 1–12 之间" in page


def test_the_dashboard_reads_a_bounded_number_of_queries(
    login_as, leadership, figures, django_assert_max_num_queries
):
    client = login_as(leadership)
    # About 20 for the figures and the page, 8 for the pipeline panel (live, not cached).
    with django_assert_max_num_queries(28):
        client.get("/dashboard/?year=2026&month=6")


def test_export_is_a_workbook(login_as, leadership, figures):
    response = login_as(leadership).get("/dashboard/export.xlsx?year=2026&month=6")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_site_admin_imports_a_workbook(login_as, site_admin, park_a):
    response = login_as(site_admin).post(
        "/dashboard/import/", {"file": upload({"2026年6月": [["甲园区", 46.8, 9.1, 3.6]]})}
    )
    assert response.status_code == 200 and "导入完成" in response.content.decode()
    assert IndicatorValue.objects.count() == 2


def test_a_bad_workbook_shows_the_cell_and_imports_nothing(login_as, site_admin, park_a):
    response = login_as(site_admin).post(
        "/dashboard/import/", {"file": upload({"2026年6月": [["甲园区", "约50", None, None]]})}
    )
    assert response.status_code == 400
    assert "2026年6月!B2" in response.content.decode()
    assert IndicatorValue.objects.count() == 0


def test_park_manager_may_not_import_the_city_row(login_as, park_manager, park_a):
    response = login_as(park_manager).post(
        "/dashboard/import/", {"file": upload({"2026年6月": [["全市", 520, None, None]]})}
    )
    assert "无权导入全市数据" in response.content.decode()
    assert IndicatorValue.objects.count() == 0


def test_leadership_may_not_import(login_as, leadership):
    assert login_as(leadership).post("/dashboard/import/").status_code == 403


def test_the_template_lists_the_parks_and_imports_as_nothing(login_as, site_admin, park_a):
    from yuanqu.indicators import services
    from yuanqu.indicators.models import ImportBatch

    response = login_as(site_admin).get("/dashboard/import/template.xlsx")
    report = services.import_workbook(
        upload=response.content, actor=site_admin, source=ImportBatch.Source.UPLOAD
    )
    assert report.ok, report.errors
    assert report.changed == 0


def test_an_import_shows_on_the_next_dashboard_request(login_as, site_admin, figures):
    client = login_as(site_admin)
    assert "46.8" in client.get("/dashboard/?year=2026&month=6").content.decode()
    client.post("/dashboard/import/", {"file": upload({"2026年6月": [["甲园区", 61.3, 5, None]]})})
    page = client.get("/dashboard/?year=2026&month=6").content.decode()
    assert "61.3" in page and "46.8" not in page


def test_city_view_draws_its_charts_from_the_tables_figures(login_as, leadership, figures):
    page = login_as(leadership).get("/dashboard/?year=2026&month=6").content.decode()
    assert 'data-chart="chart-city-completion"' in page
    assert '<script id="chart-city-completion" type="application/json">' in page
    assert "echarts.common.min.js" in page


def test_city_view_lists_key_projects_under_way(login_as, leadership, park_a, figures):
    from yuanqu.pipeline.models import Project, Stage
    from yuanqu.pipeline.tests.factories import make_project

    make_project(
        park=park_a, stage=Stage.SIGNED, name="重型装备基地", key_level=Project.KeyLevel.CITY
    )
    make_project(park=park_a, stage=Stage.SIGNED, name="普通仓储项目")
    page = login_as(leadership).get("/dashboard/?year=2026&month=6").content.decode()
    assert "招商转化" in page
    assert "重型装备基地" in page and "普通仓储项目" not in page


def test_park_view_shows_growth_trend_and_cultivation(login_as, park_manager, park_a, figures):
    from yuanqu.enterprises.models import CultivationTarget

    CultivationTarget.objects.create(
        park=park_a, year=2026, kind=CultivationTarget.Kind.HIGH_TECH_NEW, target=12
    )
    page = login_as(park_manager).get(f"/dashboard/parks/{park_a.pk}/").content.decode()
    assert 'data-chart="chart-park-growth"' in page
    assert "企业培育进展" in page and "新增高新技术企业" in page


def pdf_text(document: bytes) -> str:
    import subprocess

    done = subprocess.run(["pdftotext", "-", "-"], input=document, capture_output=True, check=True)
    return done.stdout.decode()


def test_a_parks_pdf_report_holds_its_name_figures_and_page_numbers(
    login_as, park_manager, park_a, figures
):
    response = login_as(park_manager).get(
        f"/dashboard/report.pdf?year=2026&month=6&park={park_a.pk}"
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert park_a.name in text and "46.8" in text and "第1页/共" in text


def test_the_city_pdf_report_lists_every_park(login_as, leadership, figures):
    response = login_as(leadership).get("/dashboard/report.pdf?year=2026&month=6")
    text = pdf_text(response.content)
    assert "各园区主要经济指标月报" in text and "甲园" in text and "乙园" in text


def test_the_printable_report_page_links_its_pdf(login_as, park_manager, park_a, figures):
    page = login_as(park_manager).get(f"/dashboard/report/?park={park_a.pk}").content.decode()
    assert f"/dashboard/report.pdf?year=2026&amp;month=6&amp;park={park_a.pk}" in page
    assert 'data-chart="chart-pace-1"' in page


def test_a_report_of_a_month_outside_the_year_is_refused(login_as, leadership, figures):
    response = login_as(leadership).get("/dashboard/report/?year=2026&month=13")
    assert response.status_code == 400 and "月份应在 1–12 之间" in response.content.decode()


def test_park_staff_get_no_city_report(login_as, investment_officer, figures):
    assert login_as(investment_officer).get("/dashboard/report/").status_code == 403


def test_park_staff_get_no_other_parks_report(login_as, park_manager, park_b, figures):
    assert login_as(park_manager).get(f"/dashboard/report/?park={park_b.pk}").status_code == 404


def test_without_chromium_the_pdf_link_explains_how_to_print(
    login_as, leadership, figures, settings
):
    settings.CHROMIUM_PATH = "/nonexistent/chromium"
    response = login_as(leadership).get("/dashboard/report.pdf?year=2026&month=6")
    assert response.status_code == 503 and "用浏览器打印" in response.content.decode()

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from yuanqu.accounts.models import SecurityEvent
from yuanqu.accounts.tests.factories import make_lead
from yuanqu.leads.models import Lead
from yuanqu.pipeline.alerts import alerts_refresh
from yuanqu.pipeline.models import Milestone, Project, Stage
from yuanqu.pipeline.tests.factories import make_milestone, make_problem, make_project

pytestmark = pytest.mark.django_db


def _detail(project) -> str:
    return reverse("pipeline:detail", kwargs={"project_id": project.pk})


def _move_url(project) -> str:
    return reverse("pipeline:move", kwargs={"project_id": project.pk})


def test_the_board_shows_each_stage_with_its_projects(login_as, investment_officer, park_a):
    make_project(park=park_a, name="在谈的项目")
    make_project(park=park_a, stage=Stage.STARTED, name="开工的项目")

    page = login_as(investment_officer).get(reverse("pipeline:board")).content.decode()

    assert "在谈的项目" in page and "开工的项目" in page and "投产" in page


def test_the_board_costs_the_same_queries_for_few_and_many_projects(
    login_as, investment_officer, park_a, django_assert_max_num_queries
):
    client = login_as(investment_officer)
    make_project(park=park_a, last_activity_at=timezone.now() - timedelta(days=90))
    alerts_refresh()
    client.get(reverse("pipeline:board"))
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("pipeline:board"))
    for stage in (Stage.NEGOTIATING, Stage.SIGNED, Stage.LAND, Stage.STARTED) * 6:
        make_project(park=park_a, stage=stage, last_activity_at=timezone.now() - timedelta(days=90))
    alerts_refresh()

    with django_assert_max_num_queries(len(few.captured_queries) + 4):
        client.get(reverse("pipeline:board"))


def test_the_table_costs_the_same_queries_for_few_and_many_projects(
    login_as, investment_officer, park_a, django_assert_num_queries
):
    client = login_as(investment_officer)
    make_project(park=park_a)
    client.get(reverse("pipeline:table"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("pipeline:table"))
    for _ in range(20):
        make_project(park=park_a)

    with django_assert_num_queries(len(few.captured_queries)):
        client.get(reverse("pipeline:table"))


def test_the_project_page_costs_the_same_queries_with_more_history(
    login_as, investment_officer, park_a
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login_as(investment_officer)
    project = make_project(park=park_a, stage=Stage.SIGNED)
    client.get(_detail(project))
    with CaptureQueriesContext(connection) as few:
        client.get(_detail(project))
    for number in range(5):
        make_milestone(project, title=f"节点{number}")
        make_problem(project, description=f"问题{number}")

    with CaptureQueriesContext(connection) as many:
        client.get(_detail(project))

    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_table_filters_by_stage_and_officer(login_as, investment_officer, park_a):
    make_project(park=park_a, name="我的签约项目", stage=Stage.SIGNED, officer=investment_officer)
    make_project(park=park_a, name="别人的签约项目", stage=Stage.SIGNED)
    make_project(park=park_a, name="我的在谈项目", officer=investment_officer)

    page = (
        login_as(investment_officer)
        .get(reverse("pipeline:table"), {"stage": "signed", "officer": "me"})
        .content.decode()
    )

    assert "我的签约项目" in page
    assert "别人的签约项目" not in page and "我的在谈项目" not in page


def test_a_stage_move_with_missing_evidence_shows_the_message_beside_the_field(
    login_as, investment_officer, park_a
):
    project = make_project(park=park_a)

    response = login_as(investment_officer).post(
        _move_url(project),
        {"to_stage": "signed", "effective_on": timezone.localdate(), "version": project.version},
    )

    assert response.status_code == 400
    assert "签约需填写协议投资额" in response.content.decode()
    project.refresh_from_db()
    assert project.stage == Stage.NEGOTIATING


def test_a_stage_move_redirects_to_the_project_with_the_new_stage(
    login_as, investment_officer, park_a
):
    project = make_project(park=park_a)

    response = login_as(investment_officer).post(
        _move_url(project),
        {
            "to_stage": "signed",
            "effective_on": timezone.localdate(),
            "agreed_investment_yi": "8.5",
            "version": project.version,
        },
    )

    assert response.status_code == 302
    project.refresh_from_db()
    assert project.stage == Stage.SIGNED and project.agreed_investment_yi == 8.5


def test_a_move_against_an_old_version_is_a_conflict(login_as, investment_officer, park_a):
    project = make_project(park=park_a)
    stale = project.version
    Project.objects.filter(pk=project.pk).update(version=stale + 1)

    response = login_as(investment_officer).post(
        _move_url(project), {"to_stage": "terminated", "reason": "撤资", "version": stale}
    )

    assert response.status_code == 409
    assert "已被他人修改" in response.content.decode()
    project.refresh_from_db()
    assert project.stage == Stage.NEGOTIATING


def test_another_parks_project_is_not_found_and_logged(login_as, other_park_officer, park_a):
    project = make_project(park=park_a, name="甲园保密项目")

    response = login_as(other_park_officer).get(_detail(project))

    assert response.status_code == 404 and "甲园保密项目" not in response.content.decode()
    assert SecurityEvent.objects.filter(target=f"pipeline.project:{project.pk}").exists()


def test_a_milestone_of_another_project_is_not_found_and_logged(
    login_as, investment_officer, park_a, park_b
):
    mine = make_project(park=park_a)
    theirs = make_milestone(make_project(park=park_b))

    response = login_as(investment_officer).post(
        reverse(
            "pipeline:milestone_done",
            kwargs={"project_id": mine.pk, "milestone_id": theirs.pk},
        ),
        {"done_on": timezone.localdate()},
    )

    assert response.status_code == 404
    assert Milestone.objects.get(pk=theirs.pk).done_on is None
    assert SecurityEvent.objects.filter(target=f"pipeline.milestone:{theirs.pk}").exists()


def test_leadership_reads_a_project_but_may_not_move_it(login_as, leadership, park_a):
    project = make_project(park=park_a, name="辖区项目")
    client = login_as(leadership)

    assert "辖区项目" in client.get(_detail(project)).content.decode()
    response = client.post(
        _move_url(project), {"to_stage": "terminated", "reason": "x", "version": 1}
    )

    assert response.status_code == 403


def test_creating_from_a_lead_converts_it_in_one_step(login_as, investment_officer, park_a):
    lead = make_lead(park=park_a, company="徐州示范科技有限公司")

    response = login_as(investment_officer).post(
        reverse("pipeline:create_from_lead", kwargs={"lead_id": lead.pk})
    )

    project = Project.objects.get(lead=lead)
    assert response.status_code == 302 and response["Location"] == _detail(project)
    lead.refresh_from_db()
    assert lead.status == Lead.Status.CONVERTED


def test_a_new_project_in_a_park_not_ones_own_is_refused_and_logged(
    login_as, investment_officer, park_b
):
    response = login_as(investment_officer).post(
        reverse("pipeline:new"),
        {"name": "项目", "investor_name": "公司", "park": park_b.pk, "source": "fair"},
    )

    assert response.status_code == 400 and not Project.objects.exists()
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.TAMPERED_FIELD).exists()


def test_a_new_project_starts_in_negotiation(login_as, investment_officer, park_a):
    response = login_as(investment_officer).post(
        reverse("pipeline:new"),
        {
            "name": "新能源电池项目",
            "investor_name": "某电池公司",
            "park": park_a.pk,
            "source": "fair",
            "agreed_investment_yi": "3",
        },
    )

    project = Project.objects.get()
    assert response.status_code == 302 and project.stage == Stage.NEGOTIATING


def test_the_export_writes_a_formula_like_name_as_text(login_as, investment_officer, park_a):
    import io

    from openpyxl import load_workbook

    make_project(park=park_a, name='=HYPERLINK("x")')

    response = login_as(investment_officer).get(reverse("pipeline:export"))

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    cell = sheet.cell(row=2, column=1)
    assert cell.value == '=HYPERLINK("x")' and cell.data_type == "s"


def test_the_alert_list_shows_open_alerts_of_visible_projects(
    login_as, investment_officer, park_a, park_b
):
    old = timezone.now() - timedelta(days=90)
    make_project(park=park_a, name="停滞的甲项目", last_activity_at=old)
    make_project(park=park_b, name="停滞的乙项目", last_activity_at=old)
    alerts_refresh()

    page = login_as(investment_officer).get(reverse("pipeline:alerts")).content.decode()

    assert "停滞的甲项目" in page and "停滞的乙项目" not in page

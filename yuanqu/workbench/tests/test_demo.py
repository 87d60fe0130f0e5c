"""The workbench demo: enterprises, a caseload of leads and projects, in every state, once."""

import io

import pytest

from yuanqu.accounts.models import Membership
from yuanqu.accounts.tests.factories import make_staff
from yuanqu.enterprises import credit_code
from yuanqu.enterprises.demo import load_demo as load_enterprises
from yuanqu.enterprises.models import Enterprise
from yuanqu.leads.models import Lead
from yuanqu.parks.tests.factories import make_park
from yuanqu.pipeline.demo import load_demo as load_projects
from yuanqu.pipeline.models import Project, ProjectAlert, Stage, StageChange
from yuanqu.workbench.demo import load_demo as load_leads

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_cast():
    home = make_park(name="徐州经济技术开发区", short_name="徐州经开区")
    make_park(name="徐州高新技术产业开发区", short_name="徐州高新区")
    make_staff(role=Membership.Role.SITE_ADMIN, username="demo_admin")
    make_staff(role=Membership.Role.PARK_MANAGER, park=home, username="demo_manager")
    make_staff(role=Membership.Role.INVESTMENT_OFFICER, park=home, username="demo_officer")
    return home


def _load_all() -> None:
    for load in (load_enterprises, load_leads, load_projects):
        load(stdout=io.StringIO())


def test_the_demo_loads_once(demo_cast):
    _load_all()
    counts = (Enterprise.objects.count(), Lead.objects.count(), Project.objects.count())

    _load_all()

    assert (Enterprise.objects.count(), Lead.objects.count(), Project.objects.count()) == counts
    assert counts[0] == 200 and counts[1] >= 55 and counts[2] == 40


def test_demo_enterprises_are_marked_and_have_valid_credit_codes(demo_cast):
    load_enterprises(stdout=io.StringIO())

    enterprises = Enterprise.objects.all()
    assert all(
        enterprise.is_sample and enterprise.name.startswith("示例") for enterprise in enterprises
    )
    assert all(credit_code.is_valid(enterprise.credit_code) for enterprise in enterprises)
    assert enterprises.filter(high_tech_certified_on__isnull=False).exists()
    assert enterprises.filter(above_scale_since__isnull=False).exists()


def test_demo_leads_and_projects_cover_every_status_and_stage(demo_cast):
    _load_all()

    assert set(Lead.objects.values_list("status", flat=True)) == set(Lead.Status.values)
    assert set(Project.objects.values_list("stage", flat=True)) == set(Stage.values)
    assert not Project.objects.filter(is_sample=False).exists()


def test_demo_projects_have_their_stage_history_and_some_alerts(demo_cast):
    _load_all()

    producing = Project.objects.filter(stage=Stage.PRODUCING).first()
    assert producing is not None
    assert list(
        StageChange.objects.filter(project=producing).values_list("to_stage", flat=True)
    ) == ["negotiating", "signed", "land", "started", "producing"]
    kinds = set(ProjectAlert.objects.filter(closed_on__isnull=True).values_list("kind", flat=True))
    assert {"stalled", "start_overdue"} <= kinds

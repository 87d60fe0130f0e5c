from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from yuanqu.accounts.tests.factories import make_lead
from yuanqu.leads.models import Lead, LeadEvent
from yuanqu.listings.tests.factories import make_carrier
from yuanqu.pipeline.models import Project, Stage, StageChange
from yuanqu.pipeline.services import (
    ProjectConflict,
    funding_entry_add,
    problem_update,
    project_create,
    project_create_from_lead,
    project_follow_up_add,
    project_move_to_stage,
    project_update,
)
from yuanqu.pipeline.tests.factories import make_problem, make_project

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _move(actor, project, to_stage, **evidence):
    reason = evidence.pop("reason", "")
    return project_move_to_stage(
        actor=actor,
        project=project,
        to_stage=to_stage,
        expected_version=project.version,
        evidence=evidence,
        reason=reason,
    )


def _errors(excinfo) -> dict:
    return excinfo.value.message_dict


def test_a_direct_project_starts_in_negotiation_with_its_first_history_row(
    park_a, investment_officer
):
    project = project_create(
        actor=investment_officer, park=park_a, name="高端轴承项目", investor_name="某轴承公司"
    )

    change = StageChange.objects.get(project=project)
    assert (project.stage, change.from_stage, change.to_stage) == ("negotiating", "", "negotiating")
    assert project.officer == investment_officer


def test_a_project_from_a_lead_carries_its_data_and_converts_the_lead(park_a, investment_officer):
    lead = make_lead(
        park=park_a, company="徐州某新材料公司", investment_wan=Decimal("20000"), jobs=80
    )

    project = project_create_from_lead(actor=investment_officer, lead=lead)

    lead.refresh_from_db()
    assert project.lead == lead and project.investor_name == "徐州某新材料公司"
    assert project.agreed_investment_yi == Decimal("2") and project.jobs == 80
    assert lead.status == Lead.Status.CONVERTED
    assert lead.events.filter(kind=LeadEvent.Kind.CONVERTED).exists()


def test_a_lead_converts_only_once(park_a, investment_officer):
    lead = make_lead(park=park_a)
    project_create_from_lead(actor=investment_officer, lead=lead)

    with pytest.raises(ValidationError):
        project_create_from_lead(actor=investment_officer, lead=lead)
    assert Project.objects.count() == 1


def test_signing_needs_the_agreed_investment(park_a, investment_officer):
    project = make_project(park=park_a)

    with pytest.raises(ValidationError) as excinfo:
        _move(investment_officer, project, Stage.SIGNED, effective_on=TODAY())

    assert "agreed_investment_yi" in _errors(excinfo)
    project.refresh_from_db()
    assert project.stage == Stage.NEGOTIATING and project.stage_changes.count() == 1


def test_signing_records_who_when_and_the_evidence(park_a, investment_officer):
    project = make_project(park=park_a)

    project = _move(
        investment_officer,
        project,
        Stage.SIGNED,
        effective_on=TODAY(),
        agreed_investment_yi=Decimal("12.5"),
    )

    change = project.stage_changes.last()
    assert project.stage == Stage.SIGNED and project.signed_on == TODAY()
    assert change.actor == investment_officer and change.evidence["agreed_investment_yi"] == "12.5"
    assert project.version == 2


@pytest.mark.parametrize("amount", ["0", "-3"])
def test_an_amount_not_above_zero_is_refused(park_a, investment_officer, amount):
    project = make_project(park=park_a)

    with pytest.raises(ValidationError) as excinfo:
        _move(
            investment_officer,
            project,
            Stage.SIGNED,
            effective_on=TODAY(),
            agreed_investment_yi=Decimal(amount),
        )

    assert "agreed_investment_yi" in _errors(excinfo)


def test_a_future_date_is_refused(park_a, investment_officer):
    project = make_project(park=park_a)

    with pytest.raises(ValidationError) as excinfo:
        _move(
            investment_officer,
            project,
            Stage.SIGNED,
            effective_on=TODAY() + timedelta(days=1),
            agreed_investment_yi=Decimal("3"),
        )

    assert "effective_on" in _errors(excinfo)


def test_starting_before_signing_is_refused(park_a, investment_officer):
    project = make_project(park=park_a, stage=Stage.LAND)
    assert project.signed_on is not None

    with pytest.raises(ValidationError) as excinfo:
        _move(
            investment_officer,
            project,
            Stage.STARTED,
            effective_on=project.signed_on - timedelta(days=1),
        )

    assert "effective_on" in _errors(excinfo)


def test_skipping_land_needs_the_land_data(park_a, investment_officer):
    project = make_project(park=park_a, stage=Stage.SIGNED, land_mode="", land_mu=None)

    with pytest.raises(ValidationError) as excinfo:
        _move(investment_officer, project, Stage.STARTED, effective_on=TODAY())

    assert "land_mu" in _errors(excinfo)


def test_skipping_land_with_its_data_sets_both_dates(park_a, investment_officer):
    project = make_project(park=park_a, stage=Stage.SIGNED)

    project = _move(
        investment_officer, project, Stage.STARTED, effective_on=TODAY(), land_mu=Decimal("80")
    )

    assert (project.land_on, project.started_on, project.land_mu) == (TODAY(), TODAY(), 80)


def test_a_rented_carrier_counts_as_land_when_it_is_linked(park_a, investment_officer):
    project = make_project(park=park_a, stage=Stage.SIGNED)
    carrier = make_carrier(park=park_a)

    project = _move(
        investment_officer,
        project,
        Stage.LAND,
        effective_on=TODAY(),
        land_mode=Project.LandMode.LEASE,
        carrier_id=carrier.pk,
    )

    assert project.stage == Stage.LAND and project.carrier == carrier


def test_a_rented_carrier_of_another_park_is_refused(park_a, park_b, investment_officer):
    project = make_project(park=park_a, stage=Stage.SIGNED)
    carrier = make_carrier(park=park_b)

    with pytest.raises(ValidationError) as excinfo:
        _move(
            investment_officer,
            project,
            Stage.LAND,
            effective_on=TODAY(),
            land_mode=Project.LandMode.LEASE,
            carrier_id=carrier.pk,
        )

    assert "carrier_id" in _errors(excinfo)


def test_going_back_needs_a_reason_and_clears_the_later_dates(park_a, investment_officer):
    project = make_project(park=park_a, stage=Stage.STARTED)
    with pytest.raises(ValidationError):
        _move(investment_officer, project, Stage.LAND)

    project = _move(investment_officer, project, Stage.LAND, reason="开工日期录入错误")

    assert project.stage == Stage.LAND and project.started_on is None and project.land_on


def test_termination_needs_a_reason_and_then_nothing_changes(park_a, investment_officer):
    project = make_project(park=park_a, stage=Stage.SIGNED)
    with pytest.raises(ValidationError):
        _move(investment_officer, project, Stage.TERMINATED)
    project = _move(investment_officer, project, Stage.TERMINATED, reason="企业资金链断裂")

    with pytest.raises(ValidationError):
        _move(investment_officer, project, Stage.LAND, effective_on=TODAY(), land_mu=Decimal("9"))
    assert project.terminated_reason == "企业资金链断裂"


def test_the_second_of_two_concurrent_changes_gets_a_conflict(park_a, investment_officer):
    project = make_project(park=park_a)
    seen_by_both = project.version
    project_update(
        actor=investment_officer, project=project, expected_version=seen_by_both, jobs=100
    )

    with pytest.raises(ProjectConflict):
        project_update(
            actor=investment_officer, project=project, expected_version=seen_by_both, jobs=200
        )
    project.refresh_from_db()
    assert project.jobs == 100


def test_an_officer_of_another_park_may_not_move_the_project(park_a, other_park_officer):
    project = make_project(park=park_a)

    with pytest.raises(PermissionDenied):
        _move(
            other_park_officer, project, Stage.SIGNED, effective_on=TODAY(), agreed_investment_yi=1
        )


def test_leadership_may_not_change_a_project(park_a, leadership):
    project = make_project(park=park_a)

    with pytest.raises(PermissionDenied):
        project_update(actor=leadership, project=project, expected_version=project.version, jobs=1)


def test_funds_arrive_only_after_signing(park_a, investment_officer):
    project = make_project(park=park_a)

    with pytest.raises(ValidationError) as excinfo:
        funding_entry_add(
            actor=investment_officer, project=project, received_on=TODAY(), amount_yi="1"
        )

    assert "received_on" in _errors(excinfo)


def test_a_funding_entry_counts_as_activity(park_a, investment_officer):
    project = make_project(park=park_a, stage=Stage.SIGNED, last_activity_at=None)

    funding_entry_add(actor=investment_officer, project=project, received_on=TODAY(), amount_yi="2")

    project.refresh_from_db()
    assert project.last_activity_at is not None and project.funding_entries.count() == 1


def test_resolving_a_problem_needs_its_resolution(park_a, investment_officer):
    problem = make_problem(make_project(park=park_a))

    with pytest.raises(ValidationError) as excinfo:
        problem_update(actor=investment_officer, problem=problem, status="resolved")

    assert "resolution" in _errors(excinfo)


def test_a_follow_up_in_the_future_is_refused(park_a, investment_officer):
    project = make_project(park=park_a)

    with pytest.raises(ValidationError) as excinfo:
        project_follow_up_add(
            actor=investment_officer,
            project=project,
            channel="visit",
            happened_at=timezone.now() + timedelta(hours=2),
            notes="走访",
        )

    assert "happened_at" in _errors(excinfo)


def test_an_invalid_investor_credit_code_is_refused(park_a, investment_officer):
    with pytest.raises(ValidationError) as excinfo:
        project_create(
            actor=investment_officer,
            park=park_a,
            name="项目",
            investor_name="某公司",
            investor_credit_code="91320300MA1234567X",
        )

    assert "investor_credit_code" in _errors(excinfo)


def test_production_links_the_parks_enterprise_by_its_credit_code(park_a, investment_officer):
    from yuanqu.enterprises.tests.factories import make_enterprise

    enterprise = make_enterprise(park=park_a)
    project = make_project(park=park_a, stage=Stage.STARTED)

    project = _move(
        investment_officer,
        project,
        Stage.PRODUCING,
        effective_on=TODAY(),
        enterprise_credit_code=enterprise.credit_code.lower(),
    )

    assert project.enterprise == enterprise
    assert project.stage_changes.last().evidence["enterprise_id"] == enterprise.pk


def test_production_refuses_an_enterprise_of_another_park(park_a, park_b, investment_officer):
    from yuanqu.enterprises.tests.factories import make_enterprise

    other = make_enterprise(park=park_b)
    project = make_project(park=park_a, stage=Stage.STARTED)

    with pytest.raises(ValidationError) as excinfo:
        _move(
            investment_officer,
            project,
            Stage.PRODUCING,
            effective_on=TODAY(),
            enterprise_credit_code=other.credit_code,
        )

    assert "enterprise_credit_code" in _errors(excinfo)

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from yuanqu.accounts.tests.factories import make_lead
from yuanqu.parks.models import Park
from yuanqu.pipeline.analytics import projects_behind, stage_analytics
from yuanqu.pipeline.models import Stage
from yuanqu.pipeline.tests.factories import make_funding, make_project

pytestmark = pytest.mark.django_db
START, END = date(2026, 1, 1), date(2026, 6, 30)


def _run(park):
    return stage_analytics(parks=Park.objects.filter(pk=park.pk), date_from=START, date_to=END)


def test_fulfilment_start_and_production_rates_of_projects_signed_in_the_period(park_a):
    # signed 2026-02-10 (met 2026-01-11, step 30 days); one stays signed, one reaches 开工
    make_project(park=park_a, stage=Stage.SIGNED, met_on=date(2026, 1, 11))
    make_project(park=park_a, stage=Stage.LAND, met_on=date(2026, 1, 11))
    make_project(park=park_a, stage=Stage.STARTED, met_on=date(2026, 1, 11))

    total = _run(park_a).total

    assert total.signed == 3
    assert (total.fulfilment_rate, total.start_rate, total.production_rate) == (
        Decimal("66.7"),
        Decimal("33.3"),
        Decimal("0.0"),
    )


def test_projects_signed_outside_the_period_do_not_count(park_a):
    make_project(park=park_a, stage=Stage.SIGNED, met_on=date(2025, 6, 1))

    total = _run(park_a).total

    assert total.signed == 0 and total.fulfilment_rate is None


def test_the_funding_rate_counts_money_received_by_the_period_end(park_a):
    project = make_project(
        park=park_a,
        stage=Stage.SIGNED,
        met_on=date(2026, 1, 11),
        agreed_investment_yi=Decimal("10"),
    )
    make_funding(project, amount_yi="2", received_on=date(2026, 3, 1))
    make_funding(project, amount_yi="5", received_on=date(2026, 7, 15))

    assert _run(park_a).total.funding_rate == Decimal("20.0")


def test_quick_start_is_the_share_started_within_the_setting_after_land(park_a, settings):
    settings.PROJECT_QUICK_START_DAYS = 30
    make_project(park=park_a, stage=Stage.STARTED, met_on=date(2026, 1, 1), step_days=20)
    make_project(park=park_a, stage=Stage.STARTED, met_on=date(2026, 1, 1), step_days=40)

    total = _run(park_a).total

    assert (total.land_in_period, total.quick_started, total.quick_start_rate) == (
        2,
        1,
        Decimal("50.0"),
    )


def test_median_days_from_talks_to_signing(park_a):
    make_project(park=park_a, stage=Stage.SIGNED, met_on=date(2026, 1, 1), step_days=10)
    make_project(park=park_a, stage=Stage.SIGNED, met_on=date(2026, 1, 1), step_days=30)

    assert _run(park_a).total.median("negotiating") == 20.0


def test_current_stage_counts_and_investment(park_a):
    make_project(park=park_a, stage=Stage.SIGNED, agreed_investment_yi=Decimal("3"))
    make_project(park=park_a, stage=Stage.SIGNED, agreed_investment_yi=Decimal("4.5"))

    stage = _run(park_a).total.stages[Stage.SIGNED]

    assert (stage.count, stage.investment_yi) == (2, Decimal("7.5"))


def test_lead_conversion_counts_leads_of_the_period_that_became_signed_projects(park_a):
    from yuanqu.leads.models import Lead

    converted = make_lead(park=park_a)
    make_lead(park=park_a)
    Lead.objects.update(created_at=datetime(2026, 2, 1, 12, tzinfo=UTC))
    make_project(park=park_a, stage=Stage.SIGNED, lead=converted, met_on=date(2026, 2, 1))

    total = _run(park_a).total

    assert (total.leads, total.leads_signed, total.lead_conversion_rate) == (2, 1, Decimal("50.0"))


def test_the_league_table_ranks_officers_by_signed_investment(
    park_a, park_manager, investment_officer
):
    make_project(park=park_a, stage=Stage.SIGNED, met_on=date(2026, 1, 11), officer=investment_officer,
                 agreed_investment_yi=Decimal("9"))  # fmt: skip
    make_project(park=park_a, stage=Stage.SIGNED, met_on=date(2026, 1, 11), officer=park_manager,
                 agreed_investment_yi=Decimal("2"))  # fmt: skip

    officers = _run(park_a).officers

    assert [officer.officer_id for officer in officers] == [investment_officer.pk, park_manager.pk]


def test_each_park_has_its_row_and_the_total_adds_them(park_a, park_b):
    make_project(park=park_a, stage=Stage.SIGNED, met_on=date(2026, 1, 11))
    make_project(park=park_b, stage=Stage.SIGNED, met_on=date(2026, 1, 11))

    result = stage_analytics(
        parks=Park.objects.filter(pk__in=[park_a.pk, park_b.pk]), date_from=START, date_to=END
    )

    assert [row.signed for row in result.rows] == [1, 1] and result.total.signed == 2


def test_the_projects_behind_a_figure_match_it(park_a):
    make_project(park=park_a, stage=Stage.SIGNED, met_on=date(2026, 1, 11))
    make_project(park=park_a, stage=Stage.LAND, met_on=date(2026, 1, 11))
    parks = Park.objects.filter(pk=park_a.pk)

    behind = projects_behind(metric="fulfilled", parks=parks, date_from=START, date_to=END)

    assert behind.count() == _run(park_a).total.fulfilled == 1


def test_the_query_count_does_not_grow_with_projects(park_a, investment_officer):
    make_project(
        park=park_a, stage=Stage.STARTED, met_on=date(2026, 1, 1), officer=investment_officer
    )
    with CaptureQueriesContext(connection) as few:
        _run(park_a)
    for offset in range(20):
        make_project(park=park_a, stage=Stage.STARTED, met_on=date(2026, 1, 1) + timedelta(days=offset),
                     officer=investment_officer)  # fmt: skip

    with CaptureQueriesContext(connection) as many:
        _run(park_a)

    assert len(many.captured_queries) == len(few.captured_queries)

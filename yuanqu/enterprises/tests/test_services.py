from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from yuanqu.accounts.models import SecurityEvent
from yuanqu.enterprises import services
from yuanqu.enterprises.models import CultivationTarget, Enterprise
from yuanqu.enterprises.tests.factories import make_credit_code, make_enterprise, make_target
from yuanqu.parks.tests.factories import make_industry

TODAY = date(2025, 6, 30)


def _data(park, **overrides):
    data = {
        "name": "徐州精工机械有限公司",
        "credit_code": make_credit_code(1),
        "park": park,
        "industry": None,
        "address": "杨山路 1 号",
    }
    data.update(overrides)
    return data


def _errors(raised: pytest.ExceptionInfo) -> dict[str, list[str]]:
    return raised.value.message_dict


# --- enterprise_create / enterprise_update ----------------------------------------------


def test_creating_an_enterprise_stores_the_normalised_credit_code(park_a, investment_officer):
    typed = " " + make_credit_code(1).lower() + " "

    enterprise = services.enterprise_create(
        actor=investment_officer, data=_data(park_a, credit_code=typed), today=TODAY
    )

    assert enterprise.credit_code == make_credit_code(1)
    assert enterprise.park == park_a


def test_a_credit_code_with_a_wrong_check_character_is_refused_and_nothing_saved(
    park_a, investment_officer
):
    good = make_credit_code(1)
    bad = good[:17] + ("0" if good[17] != "0" else "1")

    with pytest.raises(ValidationError) as raised:
        services.enterprise_create(
            actor=investment_officer, data=_data(park_a, credit_code=bad), today=TODAY
        )

    assert "校验位不正确" in _errors(raised)["credit_code"][0]
    assert not Enterprise.objects.exists()


def test_a_credit_code_already_registered_is_refused(park_a, investment_officer):
    make_enterprise(park=park_a, credit_code=make_credit_code(1))

    with pytest.raises(ValidationError) as raised:
        services.enterprise_create(actor=investment_officer, data=_data(park_a), today=TODAY)

    assert "已登记" in _errors(raised)["credit_code"][0]
    assert Enterprise.objects.count() == 1


def test_a_park_the_actor_may_not_edit_is_refused_and_logged(park_b, investment_officer):
    with pytest.raises(ValidationError) as raised:
        services.enterprise_create(actor=investment_officer, data=_data(park_b), today=TODAY)

    assert "无权" in _errors(raised)["park"][0]
    assert not Enterprise.objects.exists()
    event = SecurityEvent.objects.get()
    assert event.kind == SecurityEvent.Kind.TAMPERED_FIELD
    assert event.detail == f"park={park_b.pk}"


def test_an_above_scale_type_without_its_date_is_refused(park_a, investment_officer):
    with pytest.raises(ValidationError) as raised:
        services.enterprise_create(
            actor=investment_officer,
            data=_data(park_a, above_scale_type=Enterprise.AboveScaleType.INDUSTRY),
            today=TODAY,
        )

    assert "纳入日期" in _errors(raised)["above_scale_since"][0]


def test_a_specialised_date_without_its_level_is_refused(park_a, investment_officer):
    with pytest.raises(ValidationError) as raised:
        services.enterprise_create(
            actor=investment_officer,
            data=_data(park_a, specialised_since=date(2024, 1, 1)),
            today=TODAY,
        )

    assert "等级" in _errors(raised)["specialised_level"][0]


def test_a_certificate_expiring_before_certification_is_refused(park_a, investment_officer):
    with pytest.raises(ValidationError) as raised:
        services.enterprise_create(
            actor=investment_officer,
            data=_data(
                park_a,
                high_tech_certified_on=date(2024, 1, 1),
                high_tech_expires_on=date(2023, 12, 31),
            ),
            today=TODAY,
        )

    assert "晚于认定日期" in _errors(raised)["high_tech_expires_on"][0]


def test_a_flag_gained_in_the_future_is_refused(park_a, investment_officer):
    with pytest.raises(ValidationError) as raised:
        services.enterprise_create(
            actor=investment_officer,
            data=_data(park_a, gazelle_since=date(2025, 7, 1)),
            today=TODAY,
        )

    assert "不能晚于今天" in _errors(raised)["gazelle_since"][0]


def test_every_problem_of_a_form_is_reported_at_once(park_a, investment_officer):
    with pytest.raises(ValidationError) as raised:
        services.enterprise_create(
            actor=investment_officer,
            data=_data(park_a, name="", credit_code="123"),
            today=TODAY,
        )

    assert set(_errors(raised)) == {"name", "credit_code"}


def test_updating_an_enterprise_replaces_its_values(park_a, investment_officer):
    enterprise = make_enterprise(park=park_a)
    industry = make_industry("3514")

    services.enterprise_update(
        actor=investment_officer,
        enterprise=enterprise,
        data=_data(
            park_a,
            credit_code=enterprise.credit_code,
            industry=industry,
            high_tech_certified_on=date(2024, 12, 1),
            high_tech_certificate_no="GR202432001234",
        ),
        today=TODAY,
    )

    enterprise.refresh_from_db()
    assert enterprise.industry == industry
    assert enterprise.high_tech_certificate_no == "GR202432001234"


def test_moving_an_enterprise_to_a_park_the_actor_may_not_edit_changes_nothing(
    park_a, park_b, investment_officer
):
    enterprise = make_enterprise(park=park_a, name="原名")

    with pytest.raises(ValidationError):
        services.enterprise_update(
            actor=investment_officer,
            enterprise=enterprise,
            data=_data(park_b, name="新名", credit_code=enterprise.credit_code),
            today=TODAY,
        )

    enterprise.refresh_from_db()
    assert (enterprise.park, enterprise.name) == (park_a, "原名")


def test_an_update_may_keep_its_own_credit_code(park_a, investment_officer):
    enterprise = make_enterprise(park=park_a)

    services.enterprise_update(
        actor=investment_officer,
        enterprise=enterprise,
        data=_data(park_a, name="改名", credit_code=enterprise.credit_code),
        today=TODAY,
    )

    assert Enterprise.objects.get().name == "改名"


def test_a_saved_enterprise_is_findable_by_name_once_committed(
    park_a, investment_officer, django_capture_on_commit_callbacks
):
    from yuanqu.core import search

    with django_capture_on_commit_callbacks(execute=True):
        enterprise = services.enterprise_create(
            actor=investment_officer, data=_data(park_a, name="徐州精工机械有限公司"), today=TODAY
        )

    assert search.matching_ids(kind="enterprise", query="精工机械") == [enterprise.pk]


# --- targets -----------------------------------------------------------------------------


def test_a_park_manager_sets_the_targets_of_a_year(park_a, park_manager):
    services.targets_set(
        actor=park_manager,
        park=park_a,
        year=2025,
        targets={"high_tech_new": 30, "above_scale_new": 50},
        notes={"high_tech_new": "市定任务"},
    )

    saved = {t.kind: (t.target, t.note) for t in CultivationTarget.objects.all()}
    assert saved == {"high_tech_new": (30, "市定任务"), "above_scale_new": (50, "")}


def test_setting_a_target_again_replaces_it_and_none_removes_it(park_a, park_manager):
    make_target(park=park_a, year=2025, kind="high_tech_new", target=30)
    make_target(park=park_a, year=2025, kind="gazelle_new", target=2)

    services.targets_set(
        actor=park_manager,
        park=park_a,
        year=2025,
        targets={"high_tech_new": 40, "gazelle_new": None},
    )

    assert list(CultivationTarget.objects.values_list("kind", "target")) == [("high_tech_new", 40)]


def test_an_investment_officer_may_not_set_targets_and_is_logged(park_a, investment_officer):
    with pytest.raises(ValidationError) as raised:
        services.target_set(
            actor=investment_officer, park=park_a, year=2025, kind="high_tech_new", target=30
        )

    assert "无权" in _errors(raised)["park"][0]
    assert not CultivationTarget.objects.exists()
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.TAMPERED_FIELD).count() == 1


def test_a_negative_target_is_refused(park_a, park_manager):
    with pytest.raises(ValidationError) as raised:
        services.target_set(
            actor=park_manager, park=park_a, year=2025, kind="high_tech_new", target=-1
        )

    assert "high_tech_new" in _errors(raised)

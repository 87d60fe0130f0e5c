from __future__ import annotations

from django.urls import reverse

from yuanqu.enterprises.models import Enterprise
from yuanqu.enterprises.tests.factories import make_credit_code, make_enterprise


def test_the_admin_list_shows_only_the_users_parks(login_as, other_park_officer, park_a, park_b):
    make_enterprise(park=park_a, name="甲园企业")
    make_enterprise(park=park_b, name="乙园企业")

    response = login_as(other_park_officer).get(reverse("admin:enterprises_enterprise_changelist"))

    body = response.content.decode()
    assert "乙园企业" in body
    assert "甲园企业" not in body


def test_the_admin_refuses_a_credit_code_with_a_wrong_check_character(
    login_as, investment_officer, park_a
):
    good = make_credit_code(1)
    bad = good[:17] + ("0" if good[17] != "0" else "1")

    response = login_as(investment_officer).post(
        reverse("admin:enterprises_enterprise_add"),
        {"name": "徐州精工机械有限公司", "credit_code": bad, "park": park_a.pk},
    )

    assert response.status_code == 200
    assert "校验位不正确" in response.content.decode()
    assert not Enterprise.objects.exists()

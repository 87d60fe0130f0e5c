from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from yuanqu.accounts.models import PersonalDataAccess
from yuanqu.accounts.tests.factories import PASSWORD, make_lead, make_user, make_verified_device

pytestmark = pytest.mark.django_db


def _token(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


# --- login and throttling -------------------------------------------------------------


def test_login_page_is_in_chinese(client):
    response = client.get(reverse("accounts:login"))

    assert "工作人员登录" in response.content.decode()


def test_staff_can_log_in_with_their_password(client, investment_officer):
    response = client.post(
        reverse("accounts:login"), {"username": "investment_officer", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response.url == reverse("accounts:home")


def test_wrong_password_shows_a_clear_message(client, investment_officer):
    response = client.post(
        reverse("accounts:login"), {"username": "investment_officer", "password": "x"}
    )

    assert "用户名或密码不正确" in response.content.decode()


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3


def _fail(client: Client, username: str, ip: str = "10.0.0.1"):
    return client.post(
        reverse("accounts:login"), {"username": username, "password": "wrong"}, REMOTE_ADDR=ip
    )


def test_repeated_failures_lock_the_account_with_a_clear_message(
    client, investment_officer, axes_on
):
    for _attempt in range(3):
        _fail(client, "investment_officer")

    response = client.post(
        reverse("accounts:login"),
        {"username": "investment_officer", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.1",
    )

    assert response.status_code == 429
    assert "登录已暂时锁定" in response.content.decode()


def test_a_locked_account_stays_locked_from_another_ip(client, investment_officer, axes_on):
    for _attempt in range(3):
        _fail(client, "investment_officer", ip="10.0.0.1")

    response = client.post(
        reverse("accounts:login"),
        {"username": "investment_officer", "password": PASSWORD},
        REMOTE_ADDR="10.9.9.9",
    )

    assert response.status_code == 429


def test_an_ip_trying_many_accounts_is_locked(client, investment_officer, axes_on):
    for number in range(3):
        _fail(client, f"guess{number}", ip="10.0.0.7")

    response = client.post(
        reverse("accounts:login"),
        {"username": "investment_officer", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.7",
    )

    assert response.status_code == 429


def test_failures_below_the_limit_do_not_lock(client, investment_officer, axes_on):
    for _attempt in range(2):
        _fail(client, "investment_officer")

    response = client.post(
        reverse("accounts:login"),
        {"username": "investment_officer", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.1",
    )

    assert response.status_code == 302


def test_a_session_ends_after_the_configured_age(client, investment_officer, settings):
    settings.SESSION_COOKIE_AGE = 60
    client.post(reverse("accounts:login"), {"username": "investment_officer", "password": PASSWORD})

    assert client.session.get_expiry_age() == 60
    assert client.session.get_expire_at_browser_close()


# --- password reset ------------------------------------------------------------------


def test_password_reset_sends_an_email_with_a_link(client):
    make_user(username="wang", email="wang@example.com")

    client.post(reverse("accounts:password_reset"), {"email": "wang@example.com"})

    assert len(mail.outbox) == 1
    assert "/accounts/reset/" in mail.outbox[0].body


def test_password_reset_for_an_unknown_email_sends_nothing_and_says_the_same(client):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.com"})

    assert response.status_code == 302
    assert mail.outbox == []


# --- second factor -------------------------------------------------------------------


def test_site_admin_without_second_factor_is_sent_to_the_totp_page_by_the_admin(
    login_as, site_admin
):
    client = login_as(site_admin, otp=False)

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:otp"))


def test_site_admin_with_a_verified_device_opens_the_admin(login_as, site_admin):
    response = login_as(site_admin).get("/admin/")

    assert response.status_code == 200


def test_park_staff_open_the_admin_without_a_second_factor(login_as, investment_officer):
    response = login_as(investment_officer, otp=False).get("/admin/")

    assert response.status_code == 200


def test_totp_setup_page_shows_a_qr_code(login_as, site_admin):
    response = login_as(site_admin, otp=False).get(reverse("accounts:otp"))

    assert "<svg" in response.content.decode()


def test_a_correct_token_confirms_the_new_device_and_opens_the_admin(login_as, site_admin):
    client = login_as(site_admin, otp=False)
    client.get(reverse("accounts:otp"))
    device = TOTPDevice.objects.get(user=site_admin)

    client.post(reverse("accounts:otp"), {"token": _token(device), "next": "/admin/"})

    assert client.get("/admin/").status_code == 200


def test_a_wrong_token_is_refused(login_as, site_admin):
    client = login_as(site_admin, otp=False)
    device = make_verified_device(site_admin)
    wrong = f"{(int(_token(device)) + 1) % 1000000:06d}"

    response = client.post(reverse("accounts:otp"), {"token": wrong})

    assert "验证码不正确" in response.content.decode()


def test_the_totp_page_refuses_an_offsite_next_url(login_as, site_admin):
    client = login_as(site_admin, otp=False)
    device = make_verified_device(site_admin)

    response = client.post(
        reverse("accounts:otp"), {"token": _token(device), "next": "https://evil.example/"}
    )

    assert response.url == reverse("accounts:home")


def test_the_admin_login_page_sends_everyone_to_the_one_login_page(client):
    response = client.get("/admin/login/")

    assert response.url.startswith(reverse("accounts:login"))


# --- reveal page ---------------------------------------------------------------------


def test_reveal_page_shows_the_masked_mobile_first(login_as, investment_officer, park_a):
    lead = make_lead(park=park_a)

    response = login_as(investment_officer).get(reverse("accounts:lead_reveal", args=[lead.pk]))

    assert "138****1234" in response.content.decode()
    assert "13812341234" not in response.content.decode()


def test_reveal_page_shows_the_number_after_a_reason_and_logs_it(
    login_as, investment_officer, park_a
):
    lead = make_lead(park=park_a)

    response = login_as(investment_officer).post(
        reverse("accounts:lead_reveal", args=[lead.pk]), {"reason": "电话回访"}
    )

    assert "138 1234 1234" in response.content.decode()
    assert PersonalDataAccess.objects.filter(lead=lead).count() == 1


def test_reveal_page_is_never_cached(login_as, investment_officer, park_a):
    lead = make_lead(park=park_a)

    response = login_as(investment_officer).post(
        reverse("accounts:lead_reveal", args=[lead.pk]), {"reason": "电话回访"}
    )

    assert "no-store" in response["Cache-Control"]


def test_reveal_without_a_reason_shows_an_error_and_no_number(login_as, investment_officer, park_a):
    lead = make_lead(park=park_a)

    response = login_as(investment_officer).post(
        reverse("accounts:lead_reveal", args=[lead.pk]), {"reason": ""}
    )

    assert "请填写查看理由" in response.content.decode()
    assert "138 1234 1234" not in response.content.decode()


def test_leadership_posting_a_reveal_is_refused(login_as, leadership, park_a):
    lead = make_lead(park=park_a)

    response = login_as(leadership).post(
        reverse("accounts:lead_reveal", args=[lead.pk]), {"reason": "汇报"}
    )

    assert response.status_code == 403


def test_reveal_of_another_parks_lead_is_not_found(login_as, other_park_officer, park_a):
    lead = make_lead(park=park_a)

    response = login_as(other_park_officer).get(reverse("accounts:lead_reveal", args=[lead.pk]))

    assert response.status_code == 404


def test_reveal_page_refuses_put(login_as, investment_officer, park_a):
    lead = make_lead(park=park_a)

    response = login_as(investment_officer).put(reverse("accounts:lead_reveal", args=[lead.pk]))

    assert response.status_code == 405


# --- access log ----------------------------------------------------------------------


def test_access_log_lists_reveals_for_site_admins(login_as, site_admin, investment_officer, park_a):
    from yuanqu.accounts.pii import lead_mobile_reveal

    lead = make_lead(park=park_a)
    lead_mobile_reveal(user=investment_officer, lead=lead, reason="电话回访")

    response = login_as(site_admin).get(reverse("accounts:access_log"))

    assert "电话回访" in response.content.decode()
    assert lead.reference in response.content.decode()


def test_access_log_is_refused_to_park_managers(login_as, park_manager):
    response = login_as(park_manager).get(reverse("accounts:access_log"))

    assert response.status_code == 403


def test_home_page_lists_the_users_roles(login_as, investment_officer):
    response = login_as(investment_officer).get(reverse("accounts:home"))

    assert "招商专员" in response.content.decode()


def test_home_page_refuses_a_signed_in_user_without_a_role(login_as):
    response = login_as(make_user(), otp=False).get(reverse("accounts:home"))

    assert response.status_code == 403


def test_staff_who_opted_into_a_second_factor_must_pass_it(login_as, investment_officer):
    make_verified_device(investment_officer)

    response = login_as(investment_officer, otp=False).get(reverse("accounts:home"))

    assert response.url.startswith(reverse("accounts:otp"))


def test_staff_without_a_device_need_no_second_factor(login_as, investment_officer):
    response = login_as(investment_officer, otp=False).get(reverse("accounts:home"))

    assert response.status_code == 200

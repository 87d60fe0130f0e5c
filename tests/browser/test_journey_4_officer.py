"""Journey 4: a 招商专员 of 徐州经开区, on her phone, from a new lead to a project that starts,
and the 停滞 warning when she forgets it."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def cast(fast_passwords, park_a, park_b, investment_officer):
    from yuanqu.accounts.tests.factories import make_lead

    mine = make_lead(park=park_a, company="示例:徐州某液压件有限公司", mobile="+8613812345678",
                     need_text="液压件项目,想租5000平厂房", reference="XQ20261206-0001")  # fmt: skip
    make_lead(park=park_b, company="乙园的保密公司", reference="XQ20261206-0002")
    return mine


@pytest.fixture
def officer_page(browser, live_server, investment_officer, cast):
    from yuanqu.accounts.tests.factories import PASSWORD

    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN",
                                  is_mobile=True)  # fmt: skip
    context.set_default_timeout(8000)
    page = context.new_page()
    page.goto(live_server.url + "/accounts/login/?next=/workbench/")
    page.get_by_label("用户名").fill(investment_officer.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/workbench/$"))
    yield page
    context.close()


def _open(page, summary: str) -> None:
    page.locator("summary", has_text=summary).click()


def test_journey_4_from_a_new_lead_to_a_started_project(
    officer_page, live_server, cast, screenshot_dir
):
    from django.utils import timezone

    from yuanqu.accounts.models import PersonalDataAccess
    from yuanqu.pipeline.alerts import alerts_refresh
    from yuanqu.pipeline.models import Project

    page = officer_page
    today = timezone.localdate().isoformat()

    # Today's new leads of her park only, mobiles masked.
    page.get_by_role("link", name="全部新线索").click()
    page.wait_for_url(re.compile(r"/workbench/leads/"))
    assert page.get_by_text("示例:徐州某液压件有限公司").is_visible()
    assert page.get_by_text("138****5678").is_visible()
    assert page.get_by_text("乙园的保密公司").count() == 0

    # Unmask the mobile, with a reason; the access is logged.
    page.get_by_role("link", name="XQ20261206-0001").click()
    _open(page, "查看完整手机号")
    page.get_by_label("查看理由").fill("电话回访,确认面积")
    page.get_by_role("button", name="查看", exact=True).click()
    assert page.get_by_text("138 1234 5678").is_visible()
    assert PersonalDataAccess.objects.filter(lead=cast, reason="电话回访,确认面积").exists()

    # Log the call with the next date.
    page.goto(live_server.url + f"/workbench/leads/{cast.pk}/")
    _open(page, "记录跟进")
    page.locator("#follow_notes").fill("电话沟通,周四来园区看厂房")
    page.get_by_label("下次跟进日期").fill((timezone.localdate() + timedelta(days=3)).isoformat())
    page.get_by_role("button", name="保存").click()
    assert page.get_by_text("跟进已记录").is_visible()
    assert page.get_by_text("跟进中").first.is_visible()

    # Turn it into a project in one step.
    page.get_by_role("link", name="转为招商项目").click()
    page.get_by_role("button", name="确认转为项目").click()
    page.wait_for_url(re.compile(r"/workbench/projects/\d+/$"))
    project = Project.objects.get(lead=cast)

    # 在谈 → 签约 without the amount is refused beside the field, then with it accepted.
    _open(page, "变更阶段")
    page.get_by_label("目标阶段").select_option("signed")
    page.get_by_label("发生日期").fill(today)
    page.get_by_role("button", name="确认变更").click()
    assert page.get_by_text("签约需填写协议投资额(亿元)。").is_visible()
    page.get_by_label("协议投资(亿元)").fill("6.5")
    page.get_by_role("button", name="确认变更").click()
    assert page.get_by_text("阶段已变更为“签约”").is_visible()

    # 签约 → 拿地 (50 亩) → 开工.
    _open(page, "变更阶段")
    page.get_by_label("目标阶段").select_option("land")
    page.get_by_label("发生日期").fill(today)
    page.get_by_label("土地面积(亩)").fill("50")
    page.get_by_role("button", name="确认变更").click()
    assert page.get_by_text("阶段已变更为“拿地”").is_visible()
    _open(page, "变更阶段")
    page.get_by_label("目标阶段").select_option("started")
    page.get_by_label("发生日期").fill(today)
    page.get_by_role("button", name="确认变更").click()
    assert page.get_by_text("阶段已变更为“开工”").is_visible()
    assert page.get_by_text("拿地到开工").is_visible()
    page.screenshot(path=screenshot_dir / "journey4-project-phone.png", full_page=True)

    # On the board, under 开工.
    page.goto(live_server.url + "/workbench/projects/")
    started = page.locator("section", has=page.get_by_role("heading", name=re.compile("^开工")))
    assert started.get_by_role("link", name=project.name).is_visible()
    page.screenshot(path=screenshot_dir / "journey4-board-phone.png")

    # She forgets it for 40 days: the daily job raises 停滞 and the 预警 list shows it.
    Project.objects.filter(pk=project.pk).update(
        last_activity_at=timezone.now() - timedelta(days=40)
    )
    alerts_refresh()
    page.goto(live_server.url + "/workbench/projects/alerts/")
    row = page.locator("tr", has=page.get_by_role("link", name=project.name))
    assert row.get_by_text("停滞").is_visible()

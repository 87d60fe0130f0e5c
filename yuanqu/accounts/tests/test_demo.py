from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model

from yuanqu.accounts import gates
from yuanqu.accounts.demo import DEMO_PARK_NAME, DEMO_USERS, load_demo
from yuanqu.parks.tests.factories import make_park, make_region

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_park(db):
    return make_park(name=DEMO_PARK_NAME, region=make_region())


def test_demo_creates_one_user_per_role_when_debug_is_on(settings, demo_park):
    settings.DEBUG = True

    load_demo(stdout=StringIO())

    assert get_user_model().objects.filter(username__in=[u[0] for u in DEMO_USERS]).count() == len(
        DEMO_USERS
    )


def test_demo_creates_no_user_when_debug_is_off(settings, demo_park):
    settings.DEBUG = False

    load_demo(stdout=StringIO())

    assert not get_user_model().objects.exists()


def test_demo_twice_creates_nothing_twice(settings, demo_park):
    settings.DEBUG = True

    load_demo(stdout=StringIO())
    load_demo(stdout=StringIO())

    assert get_user_model().objects.count() == len(DEMO_USERS)


def test_demo_passwords_are_the_documented_ones(settings, demo_park):
    settings.DEBUG = True

    load_demo(stdout=StringIO())

    officer = get_user_model().objects.get(username="demo_officer")
    assert officer.check_password("Demo-officer-2026")


def test_demo_officer_works_for_the_real_park(settings, demo_park):
    settings.DEBUG = True

    load_demo(stdout=StringIO())

    officer = get_user_model().objects.get(username="demo_officer")
    assert list(gates.parks_for_user(officer)) == [demo_park]


def test_demo_skips_park_users_without_the_park(settings):
    settings.DEBUG = True
    make_region()
    out = StringIO()

    load_demo(stdout=out)

    assert not get_user_model().objects.filter(username="demo_officer").exists()
    assert "跳过 demo_officer" in out.getvalue()


def test_demo_accounts_are_documented():
    from pathlib import Path

    from django.conf import settings

    text = (Path(settings.BASE_DIR) / "docs" / "demo-accounts.md").read_text(encoding="utf-8")
    for username, password, _role, _scope in DEMO_USERS:
        assert f"`{username}` | `{password}`" in text

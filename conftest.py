"""The cast: named parks and users, one per role, shared by every app's tests.

park_a and park_b are two parks of 徐州市 (320300). park_manager and investment_officer work
for park A, other_park_officer for park B, leadership reads everything in 徐州市.
`login_as(user)` returns a Client signed in as that user (site admins with a verified TOTP
device, as the admin requires).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client


def pytest_sessionstart(session) -> None:
    """Compile a translation catalogue whose .po is newer than its .mo (as scripts/messages.sh
    does for make test), so a plain `pytest` after editing a .po tests the new texts."""
    import shutil
    import subprocess
    from pathlib import Path

    stale = [
        po
        for po in Path(__file__).parent.glob("locale/*/LC_MESSAGES/*.po")
        if not po.with_suffix(".mo").exists()
        or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime
    ]
    if shutil.which("msgfmt"):
        for po in stale:
            subprocess.run(["msgfmt", "-o", str(po.with_suffix(".mo")), str(po)], check=True)


@pytest.fixture(autouse=True)
def _no_catalogue_index_between_tests():
    """The carrier catalogue index lives in the process and follows a generation bumped on
    commit; a test's writes are rolled back, never committed, so no test may inherit another's
    index."""
    from yuanqu.listings import catalogue_index

    catalogue_index.forget()
    yield
    catalogue_index.forget()


@pytest.fixture
def park_a(db):
    from yuanqu.parks.tests.factories import make_park, make_region

    return make_park(
        name="甲园区", short_name="甲园", region=make_region(code="320312", name="铜山区")
    )


@pytest.fixture
def park_b(db):
    from yuanqu.parks.tests.factories import make_park, make_region

    return make_park(
        name="乙园区", short_name="乙园", region=make_region(code="320311", name="泉山区")
    )


@pytest.fixture
def site_admin(db):
    from yuanqu.accounts.models import Membership
    from yuanqu.accounts.tests.factories import make_staff

    return make_staff(role=Membership.Role.SITE_ADMIN, username="site_admin")


@pytest.fixture
def editor(db):
    from yuanqu.accounts.models import Membership
    from yuanqu.accounts.tests.factories import make_staff

    return make_staff(role=Membership.Role.EDITOR, username="editor")


@pytest.fixture
def park_manager(park_a):
    from yuanqu.accounts.models import Membership
    from yuanqu.accounts.tests.factories import make_staff

    return make_staff(role=Membership.Role.PARK_MANAGER, park=park_a, username="park_manager")


@pytest.fixture
def investment_officer(park_a):
    from yuanqu.accounts.models import Membership
    from yuanqu.accounts.tests.factories import make_staff

    return make_staff(
        role=Membership.Role.INVESTMENT_OFFICER, park=park_a, username="investment_officer"
    )


@pytest.fixture
def other_park_officer(park_b):
    from yuanqu.accounts.models import Membership
    from yuanqu.accounts.tests.factories import make_staff

    return make_staff(
        role=Membership.Role.INVESTMENT_OFFICER, park=park_b, username="other_park_officer"
    )


@pytest.fixture
def leadership(park_a, park_b):
    from yuanqu.accounts.models import Membership
    from yuanqu.accounts.tests.factories import make_staff
    from yuanqu.core.models import Region

    return make_staff(
        role=Membership.Role.LEADERSHIP,
        region=Region.objects.get(code="320300"),
        username="leadership",
    )


@pytest.fixture
def login_as(db) -> Callable[[Any], Client]:
    """login_as(user) → a Client signed in as user (with a verified TOTP device)."""
    from yuanqu.accounts.tests.factories import login

    def _login_as(user: Any, *, otp: bool = True) -> Client:
        return login(Client(), user, otp=otp)

    return _login_as


@pytest.fixture
def client_for(login_as):
    """Alias of login_as."""
    return login_as

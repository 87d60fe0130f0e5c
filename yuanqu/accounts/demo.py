"""Demo users, one per role, with the passwords documented in docs/demo-accounts.md.

Only when DEBUG is on: these passwords are public. Idempotent: existing users are left as
they are (their passwords too)."""

from __future__ import annotations

from typing import Any, TextIO

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from yuanqu.accounts.models import Membership
from yuanqu.accounts.services import membership_grant
from yuanqu.core.models import Region
from yuanqu.parks.models import Park

DEMO_PARK_NAME = "徐州经济技术开发区"
DEMO_REGION_CODE = "320300"  # 徐州市

# (username, password, role, scope) — keep in step with docs/demo-accounts.md.
DEMO_USERS: list[tuple[str, str, str, str]] = [
    ("demo_admin", "Demo-admin-2026", Membership.Role.SITE_ADMIN, ""),
    ("demo_editor", "Demo-editor-2026", Membership.Role.EDITOR, ""),
    ("demo_manager", "Demo-manager-2026", Membership.Role.PARK_MANAGER, "park"),
    ("demo_officer", "Demo-officer-2026", Membership.Role.INVESTMENT_OFFICER, "park"),
    ("demo_leader", "Demo-leader-2026", Membership.Role.LEADERSHIP, "region"),
]


def load_demo(*, stdout: TextIO) -> None:
    if not settings.DEBUG:
        stdout.write("accounts: DEBUG 未开启,跳过演示账户(其密码是公开的)。\n")
        return
    park = Park.objects.filter(name=DEMO_PARK_NAME).first()
    region = Region.objects.filter(code=DEMO_REGION_CODE).first()
    created = 0
    with transaction.atomic():
        for username, password, role, scope in DEMO_USERS:
            if scope == "park" and park is None:
                stdout.write(f"accounts: 未找到园区“{DEMO_PARK_NAME}”,跳过 {username}。\n")
                continue
            if scope == "region" and region is None:
                stdout.write(f"accounts: 未找到区划 {DEMO_REGION_CODE},跳过 {username}。\n")
                continue
            user, was_created = _demo_user(
                username, password, superuser=role == Membership.Role.SITE_ADMIN
            )
            created += int(was_created)
            membership_grant(
                user=user,
                role=role,
                park=park if scope == "park" else None,
                region=region if scope == "region" else None,
            )
    stdout.write(f"accounts: 演示账户就绪(新建 {created} 个),密码见 docs/demo-accounts.md。\n")


def _demo_user(username: str, password: str, *, superuser: bool) -> tuple[Any, bool]:
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"email": f"{username}@example.com", "is_staff": True, "is_superuser": superuser},
    )
    if created:
        user.set_password(password)
        user.save(update_fields=["password"])
    return user, created

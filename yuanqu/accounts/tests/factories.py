"""Plain factory functions for users with roles, and for signing them in (with OTP)."""

from __future__ import annotations

import itertools
from typing import Any

from django.contrib.auth import get_user_model
from django.test import Client

from yuanqu.accounts.models import Membership
from yuanqu.accounts.services import membership_grant
from yuanqu.core.models import Region
from yuanqu.parks.models import Park

_sequence = itertools.count(1)
PASSWORD = "correct-horse-battery-staple-1"


def make_user(*, username: str | None = None, password: str = PASSWORD, **fields: Any) -> Any:
    User = get_user_model()
    username = username or f"user{next(_sequence)}"
    fields.setdefault("email", f"{username}@example.com")
    return User.objects.create_user(username=username, password=password, **fields)


def make_staff(
    *,
    role: str,
    park: Park | None = None,
    region: Region | None = None,
    username: str | None = None,
    **fields: Any,
) -> Any:
    """A user holding one role; site admins are superusers too (they run every admin page)."""
    if role == Membership.Role.SITE_ADMIN:
        fields.setdefault("is_superuser", True)
    user = make_user(username=username, is_staff=True, **fields)
    membership_grant(user=user, role=role, park=park, region=region)
    return user


def make_verified_device(user: Any) -> Any:
    """A confirmed TOTP device for the user (what the setup page creates)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _created = TOTPDevice.objects.get_or_create(
        user=user, name="test", defaults={"confirmed": True}
    )
    return device


def login(client: Client, user: Any, *, otp: bool = True) -> Client:
    """Sign the user in; with otp=True the session also carries a verified TOTP device."""
    client.force_login(user)
    if otp:
        from django_otp import DEVICE_ID_SESSION_KEY

        device = make_verified_device(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def make_lead(*, park: Park | None = None, **fields: Any) -> Any:
    """A minimal Lead row (the leads app owns intake; these tests need only the row)."""
    from yuanqu.leads.models import Lead

    number = next(_sequence)
    fields.setdefault("company", "徐州测试机械有限公司")
    fields.setdefault("contact_name", "张三")
    fields.setdefault("mobile", "+8613812341234")
    fields.setdefault("need_text", "想租5000平厂房,层高8米")
    return Lead.objects.create(
        reference=fields.pop("reference", f"T{number:08d}"),
        idempotency_key=fields.pop("idempotency_key", f"test-{number}"),
        kind=fields.pop("kind", Lead.Kind.FACTORY),
        deal=fields.pop("deal", Lead.Deal.RENT),
        park=park,
        **fields,
    )

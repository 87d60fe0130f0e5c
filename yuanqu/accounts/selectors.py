"""Reads for accounts pages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from yuanqu.accounts.models import Membership, PersonalDataAccess


def membership_list_for_user(*, user: Any) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("park", "region")


def personal_data_access_list() -> QuerySet[PersonalDataAccess]:
    return PersonalDataAccess.objects.select_related("user").order_by("-at")


def user_has_confirmed_device(*, user: Any) -> bool:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()

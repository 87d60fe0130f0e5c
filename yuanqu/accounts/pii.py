"""Personal data helpers: masking, and the one logged way to see a lead's mobile."""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING, Any

import phonenumbers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from yuanqu.accounts.gates import (
    can_reveal_mobile,
    client_ip,
    lead_queryset_for_user,
    record_security_event,
)
from yuanqu.accounts.models import PersonalDataAccess, SecurityEvent

if TYPE_CHECKING:
    from yuanqu.leads.models import Lead

MASK = "****"
REASON_MAX_LENGTH = 200


def national_number(e164: str) -> str:
    """The national significant number of an E.164 mobile ("+8613812341234" → "13812341234")."""
    value = "".join((e164 or "").split()).replace("-", "")
    if not value:
        return ""
    if value.startswith("+86"):
        return value[3:]
    try:
        parsed = phonenumbers.parse(value, None if value.startswith("+") else "CN")
    except phonenumbers.NumberParseException:
        return "".join(character for character in value if character.isdigit())
    return str(phonenumbers.national_significant_number(parsed))


def normalise_mobile(raw: str) -> str:
    """A mainland mobile typed any common way (full-width digits, spaces, +86) → E.164."""
    text = unicodedata.normalize("NFKC", raw or "")
    text = re.sub(r"[\s\-()()]", "", text)
    if not text:
        raise ValidationError(_("请填写手机号。"), code="required")
    try:
        number = phonenumbers.parse(text, "CN")
    except phonenumbers.NumberParseException:
        raise ValidationError(
            _("手机号格式不对,请填写 11 位中国大陆手机号。"), code="invalid"
        ) from None
    number_type = phonenumbers.number_type(number)
    if (
        number.country_code != 86
        or not phonenumbers.is_valid_number(number)
        or number_type
        not in (
            phonenumbers.PhoneNumberType.MOBILE,
            phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
        )
    ):
        raise ValidationError(_("请填写有效的中国大陆手机号(11 位,1 开头)。"), code="invalid")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def mask_mobile(e164: str) -> str:
    """ "+8613812341234" → "138****1234": first three and last four digits stay visible."""
    digits = national_number(e164)
    if not digits:
        return ""
    if len(digits) <= 4:
        return MASK
    if len(digits) < 8:
        return MASK + digits[-2:]
    return digits[:3] + MASK + digits[-4:]


def display_mobile(e164: str) -> str:
    """ "+8613812341234" → "138 1234 1234" (unmasked; only after lead_mobile_reveal)."""
    digits = national_number(e164)
    if len(digits) == 11:
        return f"{digits[:3]} {digits[3:7]} {digits[7:]}"
    return e164


def mobile_for(user: Any, lead: Lead) -> str:
    """What a staff page shows in place of the mobile: always masked. Unmasking is the
    explicit, logged lead_mobile_reveal."""
    return mask_mobile(lead.mobile)


def lead_mobile_reveal(
    *, user: Any, lead: Lead, reason: str, request: HttpRequest | None = None
) -> str:
    """Return the lead's mobile in E.164 after writing an access-log row.

    Raises PermissionDenied without the unmask permission for the lead's park, and
    ValidationError when the reason is empty.
    """
    visible = lead_queryset_for_user(user).filter(pk=lead.pk).exists()
    if not visible or not can_reveal_mobile(user, lead):
        record_security_event(
            user=user,
            kind=SecurityEvent.Kind.REVEAL_REFUSED,
            target=f"leads.lead:{lead.pk}",
            request=request,
        )
        raise PermissionDenied(_("您没有查看该线索手机号的权限。"))
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError(_("请填写查看理由。"), code="reason_required")
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            _("查看理由不能超过 %(limit)s 个字。") % {"limit": REASON_MAX_LENGTH},
            code="reason_too_long",
        )
    with transaction.atomic():
        PersonalDataAccess.objects.create(
            user=user,
            lead=lead,
            lead_reference=lead.reference,
            field="mobile",
            reason=reason,
            ip_address=client_ip(request),
        )
    return lead.mobile

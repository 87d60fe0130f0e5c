"""Personal access tokens: made, found and revoked here only.

A token is `yq_` + 40 random URL-safe characters; its row holds the first 12 characters (to
find it) and a SHA-256 of the whole (to check it: a random 240-bit secret needs no slow
hash). Comparison is constant-time."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta
from typing import Any

from django.utils import timezone

from yuanqu.api.models import AccessToken

PREFIX_LENGTH = 12
# last_used_at is written at most this often per token: a busy client does not write per call.
LAST_USED_RESOLUTION = timedelta(minutes=1)
EXPIRY_CHOICES_DAYS = (30, 90, 180, 365)


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def token_create(*, user: Any, name: str, scope: str, days: int) -> tuple[AccessToken, str]:
    """The new token's row and the token itself (shown to the user once, never stored)."""
    raw = "yq_" + secrets.token_urlsafe(30)
    token = AccessToken.objects.create(
        user=user,
        name=name.strip()[:60],
        prefix=raw[:PREFIX_LENGTH],
        token_hash=_digest(raw),
        scope=scope,
        expires_at=timezone.now() + timedelta(days=days),
    )
    return token, raw


def token_revoke(*, user: Any, token_id: int) -> AccessToken | None:
    token = AccessToken.objects.filter(pk=token_id, user=user, revoked_at=None).first()
    if token is not None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def token_authenticate(raw: str, *, now: Any = None) -> AccessToken | None:
    """The usable token for this secret (and its active user), or None."""
    if not raw or len(raw) > 100:
        return None
    token = AccessToken.objects.select_related("user").filter(prefix=raw[:PREFIX_LENGTH]).first()
    if token is None or not hmac.compare_digest(token.token_hash, _digest(raw)):
        return None
    now = now or timezone.now()
    if not token.is_usable(now=now) or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def tokens_for_user(user: Any) -> list[AccessToken]:
    return list(AccessToken.objects.filter(user=user))

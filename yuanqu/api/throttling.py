"""Rate limits per client address (and, with tokens, per token), answered with 429 and
Retry-After in the error shape (errors.install)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.throttling import AnonRateThrottle, AuthRateThrottle

from yuanqu.accounts import gates


class _RateFromSetting:
    """The rate named by `setting` (e.g. "120/m"), read on every request so a change of the
    setting needs no restart of the throttle; clients counted by the site's own address."""

    setting = ""

    def allow_request(self: Any, request: HttpRequest) -> bool:
        wanted = getattr(settings, self.setting)
        if self.rate != wanted:
            self.rate = wanted
            self.num_requests, self.duration = self.parse_rate(wanted)
        return super().allow_request(request)  # type: ignore[misc]  # the throttle class it is mixed into

    def get_ident(self, request: HttpRequest) -> str | None:
        # Not ninja's default, which believes any X-Forwarded-For a client sends: the address
        # the rest of the site uses (REMOTE_ADDR, or the one TRUSTED_PROXY_COUNT proxies saw).
        return gates.client_ip(request)


class AnonymousRate(_RateFromSetting, AnonRateThrottle):
    """API_ANON_RATE per client address."""

    setting = "API_ANON_RATE"

    def __init__(self) -> None:
        super().__init__(settings.API_ANON_RATE)


class TokenRate(_RateFromSetting, AuthRateThrottle):
    """API_TOKEN_RATE per personal access token."""

    setting = "API_TOKEN_RATE"

    def __init__(self) -> None:
        super().__init__(settings.API_TOKEN_RATE)

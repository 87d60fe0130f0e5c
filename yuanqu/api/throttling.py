"""Rate limits per client address (and, with tokens, per token), answered with 429 and
Retry-After in the error shape (errors.install)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from ninja.throttling import AnonRateThrottle, AuthRateThrottle

from yuanqu.accounts import gates


class AnonymousRate(AnonRateThrottle):
    """API_ANON_RATE per client address (e.g. "120/m"), read on every request so a change of
    the setting needs no restart of the throttle."""

    def __init__(self) -> None:
        super().__init__(settings.API_ANON_RATE)

    def allow_request(self, request: HttpRequest) -> bool:
        if self.rate != settings.API_ANON_RATE:
            self.rate = settings.API_ANON_RATE
            self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_ident(self, request: HttpRequest) -> str | None:
        # Not ninja's default, which believes any X-Forwarded-For a client sends: the address
        # the rest of the site uses (REMOTE_ADDR, or the one TRUSTED_PROXY_COUNT proxies saw).
        return gates.client_ip(request)


class TokenRate(AuthRateThrottle):
    """API_TOKEN_RATE per personal access token (e.g. "600/m"), read on every request."""

    def __init__(self) -> None:
        super().__init__(settings.API_TOKEN_RATE)

    def allow_request(self, request: HttpRequest) -> bool:
        if self.rate != settings.API_TOKEN_RATE:
            self.rate = settings.API_TOKEN_RATE
            self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_ident(self, request: HttpRequest) -> str | None:
        return gates.client_ip(request)

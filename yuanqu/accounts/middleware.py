"""Middleware of the accounts app."""

from __future__ import annotations

from typing import Any

from auditlog.middleware import AuditlogMiddleware

from yuanqu.accounts import gates


class ClientAddressAuditlogMiddleware(AuditlogMiddleware):
    """django-auditlog's middleware with the client address the rest of the site uses
    (TRUSTED_PROXY_COUNT): its own takes the first X-Forwarded-For entry, which any client
    can write, so a forged address would stand in the audit trail."""

    @staticmethod
    def _get_remote_addr(request: Any) -> str | None:
        return gates.client_ip(request)

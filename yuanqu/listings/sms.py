"""A pluggable SMS backend (setting SMS_BACKEND, a dotted path to a class with `send`).

The default logs the message with the mobile masked, so no deployment sends texts by surprise
and no log holds a full number. A real provider plugs in by writing one class.
"""

from __future__ import annotations

import logging
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class SmsBackend(Protocol):
    def send(self, *, mobile: str, message: str) -> None: ...


def masked(mobile: str) -> str:
    from yuanqu.accounts.pii import mask_mobile

    return mask_mobile(mobile)


class LoggingBackend:
    """Writes each text to the log with the mobile masked (138****1234)."""

    def send(self, *, mobile: str, message: str) -> None:
        logger.info("SMS to %s: %s", masked(mobile), message)


class LocmemBackend:
    """Keeps texts in `LocmemBackend.outbox` (for tests and local runs)."""

    outbox: list[tuple[str, str]] = []

    def send(self, *, mobile: str, message: str) -> None:
        LocmemBackend.outbox.append((mobile, message))


def get_backend() -> SmsBackend:
    return import_string(settings.SMS_BACKEND)()


def send_sms(*, mobile: str, message: str) -> None:
    get_backend().send(mobile=mobile, message=message)

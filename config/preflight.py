"""Start-up guard: configuration mistakes end in one clear line naming the variable.

A bad DATABASE_URL or an unreachable Redis otherwise surfaces as a long traceback from
deep inside a driver; people running `make run` should see what to fix instead.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from django.core.exceptions import ImproperlyConfigured

# Commands that serve traffic or run jobs; they must not start on a broken configuration.
SERVING_COMMANDS = {"runserver", "db_worker", "run_scheduler", "migrate"}


def check_services() -> None:
    """Raise ImproperlyConfigured when the configured database or Redis cannot be reached."""
    from django.conf import settings
    from django.db import connection

    try:
        connection.ensure_connection()
    except Exception as error:
        raise ImproperlyConfigured(
            f"DATABASE_URL: cannot connect to the database ({error.__class__.__name__}: "
            f"{str(error).strip().splitlines()[0] if str(error).strip() else 'no detail'})."
        ) from None
    if settings.REDIS_URL:
        import redis

        try:
            redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2).ping()
        except Exception as error:
            raise ImproperlyConfigured(
                f"REDIS_URL: cannot reach Redis ({error.__class__.__name__})."
            ) from None


def run_or_explain(argv: Sequence[str]) -> None:
    from django.core.management import execute_from_command_line

    try:
        import django

        django.setup()
        if len(argv) > 1 and argv[1] in SERVING_COMMANDS:
            check_services()
    except ImproperlyConfigured as error:
        sys.stderr.write(f"配置错误 (configuration error): {error}\n")
        raise SystemExit(2) from None
    execute_from_command_line(list(argv))

"""Read replicas (docs/SCALING.md): with DATABASE_REPLICA_URLS set, the public read pages of
anonymous visitors read from a PostgreSQL streaming replica; everything else — every write,
every request with a session cookie (staff, a visitor who has just compared or submitted),
the need form and its results, the workbench, the admin, token API calls — stays on the
primary, so nobody who has just written reads a replica that may lag behind.

The decision is made once per request, after URL resolution (`ReplicaReadsMiddleware`),
and held in a context variable the router reads; outside a request (jobs, the worker,
management commands) every read goes to the primary.

Replica lag: for REPLICA_LAG_GRACE_SECONDS after a change to public content (an article
saved, the catalogue changed) every request reads the primary. Several caches are keyed by
a counter in the (shared) cache that the change bumps: a page rendered from a replica that
has not replayed the change yet would otherwise be stored under the new counter and stay
stale until its expiry."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

# The pages a replica may serve: URL names (namespace:name) of read-only public views.
PUBLIC_READ_VIEWS = frozenset(
    {
        "news:home", "news:search", "news:list", "news:list_page", "news:feed",
        "news:category", "news:category_page", "news:category_feed", "news:article",
        "news:article_slug", "news:qr", "news:sitemap", "news:robots",
        "parks:list", "parks:detail",
        "listings:search", "listings:map_points", "listings:detail",
    }
)  # fmt: skip
# Public API reads: GET under this prefix without an Authorization header (a token's
# calls act as its user and record its last use, on the primary).
PUBLIC_API_PREFIX = "/api/v1/"
# Tables a public page may touch that must always be read from the primary: sessions and
# accounts (read-your-writes for logins), tokens, the task queue and the audit trail.
PRIMARY_ONLY_APPS = frozenset(
    {
        "sessions", "auth", "accounts", "axes", "otp_static", "otp_totp", "django_otp",
        "api", "django_tasks_database", "auditlog", "admin",
    }
)  # fmt: skip

CHANGED_KEY = "replicas:public-content-changed-at"

_read_alias: ContextVar[str | None] = ContextVar("yuanqu_read_alias", default=None)


def replica_aliases() -> list[str]:
    return list(getattr(settings, "DATABASE_REPLICAS", []))


def read_alias() -> str | None:
    """The replica this request reads from, or None for the primary."""
    return _read_alias.get()


def public_content_changed() -> None:
    """Call once a change to what public pages show has committed."""
    grace = getattr(settings, "REPLICA_LAG_GRACE_SECONDS", 0)
    if replica_aliases() and grace:
        cache.set(CHANGED_KEY, time.time(), grace)


def _changed_within_grace() -> bool:
    changed = cache.get(CHANGED_KEY)
    grace = getattr(settings, "REPLICA_LAG_GRACE_SECONDS", 0)
    return changed is not None and time.time() - float(changed) < grace


def may_read_from_replica(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False  # may have just written (a login, a comparison, a submission)
    if request.path.startswith(PUBLIC_API_PREFIX):
        return "Authorization" not in request.headers  # case-insensitive
    match = getattr(request, "resolver_match", None)
    return match is not None and match.view_name in PUBLIC_READ_VIEWS


class ReplicaReadsMiddleware:
    """Sends an eligible request's reads to one replica, chosen at random per request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _read_alias.set(None)
        try:
            return self.get_response(request)
        finally:
            _read_alias.reset(token)

    def process_view(
        self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any
    ) -> None:
        aliases = replica_aliases()
        if aliases and may_read_from_replica(request) and not _changed_within_grace():
            _read_alias.set(random.choice(aliases))


class ReplicaRouter:
    """Reads go to the request's replica when the middleware chose one; writes, migrations
    and everything outside such a request go to the primary ("default")."""

    def db_for_read(self, model: type, **hints: Any) -> str | None:
        alias = _read_alias.get()
        if alias is None or model._meta.app_label in PRIMARY_ONLY_APPS:  # type: ignore[attr-defined]
            return "default"
        return alias

    def db_for_write(self, model: type, **hints: Any) -> str:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the replicas hold the primary's rows

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == "default"

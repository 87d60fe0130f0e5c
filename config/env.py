"""Reading configuration from environment variables, in one place.

Every setting the deployment may change is read here with a safe default, so a fresh
checkout runs on SQLite and local memory. A malformed value stops start-up with one line
naming the variable (ImproperlyConfigured), never a traceback deep inside a library.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use 1/0, true/false).")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name}={raw!r} must be at least {minimum}.")
    return value


def env_float(name: str, default: float, *, minimum: float, maximum: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a number.") from None
    if not minimum <= value <= maximum:
        raise ImproperlyConfigured(f"{name}={raw!r} must be between {minimum:g} and {maximum:g}.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def database_from_url(url: str, *, base_dir: Path) -> dict:
    """Turn DATABASE_URL into a Django DATABASES entry (sqlite:///path or postgres://…)."""
    parsed = urlparse(url)
    scheme = parsed.scheme.lower()
    if scheme == "sqlite":
        # sqlite:///relative/path or sqlite:////absolute/path
        raw_path = unquote(parsed.path)
        if not raw_path or raw_path == "/":
            raise ImproperlyConfigured(f"DATABASE_URL={url!r} names no SQLite file.")
        path = Path(raw_path[1:])  # sqlite:///var/db → var/db; sqlite:////srv/db → /srv/db
        return sqlite_database(path if path.is_absolute() else base_dir / path)
    if scheme in {"postgres", "postgresql", "pgsql"}:
        if not parsed.path.strip("/"):
            raise ImproperlyConfigured(f"DATABASE_URL={redact(url)!r} names no database.")
        try:
            port = parsed.port
        except ValueError:
            raise ImproperlyConfigured(
                f"DATABASE_URL={redact(url)!r} has a malformed port."
            ) from None
        options = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.strip("/")),
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
        }
    raise ImproperlyConfigured(
        f"DATABASE_URL={redact(url)!r}: unsupported scheme {scheme!r} (use sqlite:/// or postgres://)."
    )


def replica_database(url: str, *, base_dir: Path) -> dict:
    """A read replica's entry: PostgreSQL only (SQLite has no replicas); in tests it mirrors
    the primary, so the suite runs with replicas configured too."""
    entry = database_from_url(url, base_dir=base_dir)
    if entry["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_REPLICA_URLS must name PostgreSQL databases.")
    return {**entry, "TEST": {"MIRROR": "default"}}


def sqlite_database(path: Path) -> dict:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        # Keep the connection across requests: opening one (and running the PRAGMAs) cost a
        # gunicorn worker ~7 ms of CPU per request (docs/bench/matching.md).
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
        # IMMEDIATE takes the write lock at BEGIN, so two writers queue on the busy timeout
        # instead of failing with "database is locked" half-way through a transaction.
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL;"
                "PRAGMA synchronous=NORMAL;"
                "PRAGMA busy_timeout=20000;"
                "PRAGMA foreign_keys=ON;"
                # Reads straight from the mapped file: a 1,853-row candidate scan 6.5 → 3.8 ms.
                "PRAGMA mmap_size=268435456;"
            ),
        },
    }


def redact(url: str) -> str:
    parsed = urlparse(url)
    if parsed.password:
        return url.replace(f":{parsed.password}@", ":***@")
    return url


def cache_from_redis_url(url: str) -> dict:
    parsed = urlparse(url)
    if parsed.scheme not in {"redis", "rediss", "unix"}:
        raise ImproperlyConfigured(f"REDIS_URL={redact(url)!r}: use redis://host:port/db.")
    return {
        # Pages keep serving while Redis is down (yuanqu/core/cache.py); a hung Redis costs
        # half a second per command at most, not a stuck worker.
        "BACKEND": "yuanqu.core.cache.ResilientRedisCache",
        "LOCATION": url,
        "KEY_PREFIX": "yuanqu",
        "TIMEOUT": 300,
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }


def tile_source(tile_url: str) -> str:
    """The CSP source for a Leaflet tile URL template: https://{s}.tile.x.org/… → https://*.tile.x.org."""
    parsed = urlparse(tile_url.replace("{s}", "s"))
    if parsed.scheme not in {"http", "https"} or not parsed.hostname:
        raise ImproperlyConfigured(f"MAP_TILE_URL={tile_url!r} is not an http(s) URL template.")
    host = parsed.netloc.replace("s.", "*.", 1) if "{s}" in tile_url else parsed.netloc
    return f"{parsed.scheme}://{host}"

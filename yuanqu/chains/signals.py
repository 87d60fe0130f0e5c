"""The templates' version: bumped when a chain, a link, a park's choice of chains or a staff
correction of a placing is saved or deleted (the admin, the loader), so cached coverage built on the old ones is not served.
Registry, pipeline and lead changes are seen through a fingerprint of those tables instead
(`selectors.data_fingerprint`): their imports write in bulk, without signals."""

from __future__ import annotations

import time
from typing import Any

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

VERSION_KEY = "chains:template-version"


def template_version() -> int:
    # Started from the clock, so a version lost from the cache never comes back as an old
    # value that cached coverage was built under.
    cache.add(VERSION_KEY, time.time_ns() // 1000, timeout=None)
    return int(cache.get(VERSION_KEY) or 0)


def bump(**_kwargs: Any) -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # evicted meanwhile: any new value leaves the old entries unread
        cache.set(VERSION_KEY, time.time_ns() // 1000, timeout=None)


def connect() -> None:
    from yuanqu.chains.models import Chain, ChainLink, LinkOverride, ParkChain

    for model in (Chain, ChainLink, ParkChain, LinkOverride):
        post_save.connect(bump, sender=model, dispatch_uid=f"chains-{model.__name__}-saved")
        post_delete.connect(bump, sender=model, dispatch_uid=f"chains-{model.__name__}-deleted")

"""Periodic jobs: a registry, period keys, and a runner that runs each job once per period.

Apps declare jobs in `<app>/jobs.py`:

    @periodic_job("listings.freshness", every="daily")
    def freshness(*, period_key: str) -> str: ...

`run_scheduler` (a management command started beside the task worker) wakes every tick and
calls `run_due_jobs`. A JobRun row with a unique (job, period) key is claimed before the job
runs, so two schedulers, a restart or a re-run in the same period never repeat a job. A job
that fails keeps its row as FAILED and is retried on the next tick of the same period.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from django.apps import apps
from django.db import IntegrityError, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

Every = Literal["hourly", "daily", "weekly"]
JobFunction = Callable[..., str | None]


@dataclass(frozen=True)
class JobSpec:
    name: str
    every: Every
    function: JobFunction


_registry: dict[str, JobSpec] = {}


def periodic_job(name: str, *, every: Every) -> Callable[[JobFunction], JobFunction]:
    if every not in ("hourly", "daily", "weekly"):
        raise ValueError(f"unknown period {every!r}")

    def register(function: JobFunction) -> JobFunction:
        _registry[name] = JobSpec(name=name, every=every, function=function)
        return function

    return register


def period_key(every: Every, moment: datetime) -> str:
    """The period a moment falls in, in local time: 2026-11-25T08, 2026-11-25 or 2026-W48."""
    local = timezone.localtime(moment)
    if every == "hourly":
        return local.strftime("%Y-%m-%dT%H")
    if every == "daily":
        return local.strftime("%Y-%m-%d")
    year, week, _ = local.isocalendar()
    return f"{year}-W{week:02d}"


def discover_jobs() -> dict[str, JobSpec]:
    """Import `jobs` of every yuanqu app so their decorators register."""
    for config in apps.get_app_configs():
        if config.name.startswith("yuanqu."):
            try:
                importlib.import_module(f"{config.name}.jobs")
            except ModuleNotFoundError as error:
                if error.name != f"{config.name}.jobs":
                    raise
    return dict(_registry)


@dataclass(frozen=True)
class JobOutcome:
    name: str
    period_key: str
    status: str
    summary: str


def run_due_jobs(*, now: datetime | None = None, only: str | None = None) -> list[JobOutcome]:
    from yuanqu.core.models import JobRun

    now = now or timezone.now()
    outcomes = []
    for spec in sorted(discover_jobs().values(), key=lambda spec: spec.name):
        if only and spec.name != only:
            continue
        key = period_key(spec.every, now)
        run = _claim(JobRun, spec.name, key, now)
        if run is None:
            continue
        try:
            summary = spec.function(period_key=key) or ""
        except Exception as error:
            logger.exception("periodic job %s failed for %s", spec.name, key)
            run.status, run.summary = (
                JobRun.Status.FAILED,
                f"{error.__class__.__name__}: {error}"[:500],
            )
        else:
            run.status, run.summary = JobRun.Status.SUCCEEDED, str(summary)[:500]
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "summary", "finished_at"])
        outcomes.append(JobOutcome(spec.name, key, run.status, run.summary))
    return outcomes


def _claim(job_run_model, name: str, key: str, now: datetime):
    """Claim (job, period); a FAILED run of the same period is claimed again, others are not."""
    try:
        with transaction.atomic():
            return job_run_model.objects.create(
                job_name=name, period_key=key, status=job_run_model.Status.RUNNING, started_at=now
            )
    except IntegrityError:
        pass
    retried = job_run_model.objects.filter(
        job_name=name, period_key=key, status=job_run_model.Status.FAILED
    ).update(status=job_run_model.Status.RUNNING, started_at=now, finished_at=None)
    if retried:
        return job_run_model.objects.get(job_name=name, period_key=key)
    return None

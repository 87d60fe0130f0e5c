from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from yuanqu.core import scheduler
from yuanqu.core.models import JobRun

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def counting_job():
    """Register a job that counts its calls; unregistered afterwards."""
    calls: list[str] = []

    @scheduler.periodic_job("tests.counting", every="daily")
    def job(*, period_key: str) -> str:
        calls.append(period_key)
        return f"call {len(calls)}"

    yield calls
    scheduler._registry.pop("tests.counting", None)


@pytest.fixture
def failing_then_passing_job():
    state = {"fail": True, "calls": 0}

    @scheduler.periodic_job("tests.flaky", every="hourly")
    def job(*, period_key: str) -> str:
        state["calls"] += 1
        if state["fail"]:
            raise RuntimeError("upstream down")
        return "ok"

    yield state
    scheduler._registry.pop("tests.flaky", None)


def test_period_keys_follow_local_time():
    moment = datetime(2026, 11, 24, 16, 30, tzinfo=ZoneInfo("UTC"))  # 00:30 on the 25th in Shanghai

    assert scheduler.period_key("hourly", moment) == "2026-11-25T00"
    assert scheduler.period_key("daily", moment) == "2026-11-25"
    assert scheduler.period_key("weekly", moment) == "2026-W48"


@pytest.mark.django_db
def test_a_daily_job_runs_once_per_day(counting_job):
    morning = datetime(2026, 11, 25, 9, 0, tzinfo=SHANGHAI)
    evening = datetime(2026, 11, 25, 21, 0, tzinfo=SHANGHAI)

    scheduler.run_due_jobs(now=morning, only="tests.counting")
    scheduler.run_due_jobs(now=evening, only="tests.counting")

    assert counting_job == ["2026-11-25"]


@pytest.mark.django_db
def test_a_daily_job_runs_again_the_next_day(counting_job):
    scheduler.run_due_jobs(now=datetime(2026, 11, 25, 9, tzinfo=SHANGHAI), only="tests.counting")
    scheduler.run_due_jobs(now=datetime(2026, 11, 26, 9, tzinfo=SHANGHAI), only="tests.counting")

    assert counting_job == ["2026-11-25", "2026-11-26"]


@pytest.mark.django_db
def test_a_failed_job_is_recorded_and_retried_in_the_same_period(failing_then_passing_job):
    moment = datetime(2026, 11, 25, 9, 5, tzinfo=SHANGHAI)

    first = scheduler.run_due_jobs(now=moment, only="tests.flaky")
    failing_then_passing_job["fail"] = False
    second = scheduler.run_due_jobs(now=moment, only="tests.flaky")
    third = scheduler.run_due_jobs(now=moment, only="tests.flaky")

    assert [outcome.status for outcome in first] == ["failed"]
    assert "upstream down" in first[0].summary
    assert [outcome.status for outcome in second] == ["succeeded"]
    assert third == []
    assert JobRun.objects.get(job_name="tests.flaky").status == JobRun.Status.SUCCEEDED


def test_an_unknown_period_is_refused():
    with pytest.raises(ValueError):
        scheduler.periodic_job("tests.bad", every="monthly")  # type: ignore[arg-type]


def test_discovery_registers_the_apps_jobs():
    assert "core.prune_task_results" in scheduler.discover_jobs()

from yuanqu.core.scheduler import periodic_job


@periodic_job("workbench.daily_digest", every="daily")
def daily_digest(*, period_key: str) -> str:
    """Each officer's 每日待办 (safe to run again the same day: one digest per officer)."""
    from yuanqu.workbench.digest import send_daily_digests

    return f"sent {send_daily_digests()} digests"

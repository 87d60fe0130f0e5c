from yuanqu.core.scheduler import periodic_job


@periodic_job("pipeline.alerts", every="daily")
def refresh_alerts(*, period_key: str) -> str:
    """Raise and close the projects' 预警 for today (safe to run again the same day)."""
    from yuanqu.pipeline.alerts import alerts_refresh

    raised, closed = alerts_refresh()
    return f"raised {raised}, closed {closed} project alerts"

from yuanqu.core.scheduler import periodic_job


@periodic_job("chains.completeness", every="daily")
def record_completeness(*, period_key: str) -> str:
    """This month's chain completeness per park (safe to run again the same day)."""
    from yuanqu.chains.services import completeness_record

    return f"{completeness_record()} chain completeness rows written"

from yuanqu.core.scheduler import periodic_job


@periodic_job("leads.requeue_notifications", every="hourly")
def requeue_notifications(*, period_key: str) -> str:
    """Safety net behind the task's own retries: nothing due is left unsent."""
    from yuanqu.leads.services import lead_notifications_requeue

    count = lead_notifications_requeue()
    return f"re-enqueued {count} lead notifications"

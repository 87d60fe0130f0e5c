from django_tasks import task


@task()
def lead_notify_staff(lead_id: int) -> str:
    """Tell the matched parks' staff about a new lead (retries itself with back-off)."""
    from yuanqu.leads.services import lead_notification_attempt

    return lead_notification_attempt(lead_id=lead_id)

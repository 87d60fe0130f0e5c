from django_tasks import task


@task()
def flag_leads_for_carrier(carrier_id: int) -> str:
    """Queue-able form of matching.services.leads_flag_for_carrier (e.g. on publish)."""
    from yuanqu.matching.services import leads_flag_for_carrier

    return f"flagged {leads_flag_for_carrier(carrier_id=carrier_id)} leads"

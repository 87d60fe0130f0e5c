from django_tasks import task


@task()
def carrier_published(carrier_id: int) -> str:
    """A carrier went public: tell matching saved searches, then let matching flag leads."""
    # Imported here: matching imports listings, so a module-level import would be circular.
    from yuanqu.listings.saved_searches import saved_search_notify_for_carrier
    from yuanqu.matching.services import leads_flag_for_carrier

    notified = saved_search_notify_for_carrier(carrier_id=carrier_id)
    flagged = leads_flag_for_carrier(carrier_id=carrier_id)
    return f"carrier {carrier_id}: {notified} saved searches; leads flagged: {flagged}"


@task()
def saved_search_send_verification(saved_search_id: int) -> str:
    from yuanqu.listings.saved_searches import saved_search_send_verification_now

    saved_search_send_verification_now(saved_search_id=saved_search_id)
    return f"saved search {saved_search_id}: verification sent"

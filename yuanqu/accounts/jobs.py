"""Periodic jobs of accounts: personal-data retention."""

from __future__ import annotations

from yuanqu.accounts.services import leads_anonymise_expired
from yuanqu.core.scheduler import periodic_job


@periodic_job("accounts.anonymise_expired_leads", every="daily")
def anonymise_expired_leads(*, period_key: str) -> str:
    count = leads_anonymise_expired()
    return f"anonymised {count} expired leads"

"""The lead entries of the full-text index (`core.search` kind "lead"): title = the company,
body = the need as typed, its use, industry and reference. Holds personal data, so an entry
goes when the lead's personal data is erased. Refreshed once the writing transaction commits."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.db import transaction

from yuanqu.core import search
from yuanqu.leads.models import Lead

KIND = "lead"


def lead_document(lead: Lead) -> search.Document:
    """Needs `industry` loaded (select_related) to stay one query per batch."""
    parts = [
        lead.need_text,
        lead.intended_use,
        lead.industry.name if lead.industry_id and lead.industry else "",
        lead.reference,
    ]
    return search.Document(
        object_id=lead.pk, title=lead.company, body="\n".join(part for part in parts if part)
    )


def _documents(ids: Iterable[int] | None) -> Iterator[search.Document]:
    queryset = Lead.objects.select_related("industry").filter(anonymised_at__isnull=True)
    if ids is not None:
        queryset = queryset.filter(pk__in=sorted(set(ids)))
    for lead in queryset.order_by("pk").iterator(chunk_size=1000):
        yield lead_document(lead)


def leads_index(*, lead_ids: Iterable[int]) -> int:
    """Add or refresh these leads' entries; erased or deleted leads are removed."""
    wanted = set(lead_ids)
    count = search.index_documents(kind=KIND, documents=_documents(wanted))
    present = set(
        Lead.objects.filter(pk__in=sorted(wanted), anonymised_at__isnull=True).values_list(
            "pk", flat=True
        )
    )
    for missing in wanted - present:
        search.remove_document(kind=KIND, object_id=missing)
    return count


def index_stored_lead(lead: Lead) -> None:
    """Write the entry of a lead the caller has just saved, from the instance itself: the
    submission path would otherwise read the lead back (with its match snapshot) through a
    server-side cursor and check it is still there (≈ 6 ms of CPU per submission)."""
    search.index_documents(kind=KIND, documents=[lead_document(lead)])


def leads_index_on_commit(*, lead_ids: Iterable[int]) -> None:
    ids = sorted(set(lead_ids))
    if ids:
        transaction.on_commit(lambda: leads_index(lead_ids=ids))


def leads_reindex_all() -> int:
    search.clear_index(kind=KIND)
    return search.index_documents(kind=KIND, documents=_documents(None))

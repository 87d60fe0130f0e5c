"""The enterprise entries of the full-text index (`core.search` kind "enterprise"): title = the
enterprise name, body = credit code, address, industry and park. Services refresh entries once
their transaction commits, so a rolled-back import leaves the index untouched."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.db import transaction

from yuanqu.core import search
from yuanqu.enterprises.models import Enterprise

KIND = "enterprise"


def enterprise_document(enterprise: Enterprise) -> search.Document:
    """Needs `park` and `industry` loaded (select_related) to stay one query per batch."""
    parts = [
        enterprise.credit_code,
        enterprise.address,
        enterprise.industry.name if enterprise.industry_id and enterprise.industry else "",
        enterprise.park.name,
    ]
    return search.Document(
        object_id=enterprise.pk,
        title=enterprise.name,
        body="\n".join(part for part in parts if part),
    )


def _documents(ids: Iterable[int] | None) -> Iterator[search.Document]:
    queryset = Enterprise.objects.select_related("park", "industry").order_by("pk")
    if ids is not None:
        queryset = queryset.filter(pk__in=sorted(set(ids)))
    for enterprise in queryset.iterator(chunk_size=1000):
        yield enterprise_document(enterprise)


def enterprises_index(*, enterprise_ids: Iterable[int]) -> int:
    """Add or refresh the entries of these enterprises; ids no longer present are removed."""
    wanted = set(enterprise_ids)
    count = search.index_documents(kind=KIND, documents=_documents(wanted))
    present = set(Enterprise.objects.filter(pk__in=sorted(wanted)).values_list("pk", flat=True))
    for missing in wanted - present:
        search.remove_document(kind=KIND, object_id=missing)
    return count


def enterprises_index_on_commit(*, enterprise_ids: Iterable[int]) -> None:
    ids = sorted(set(enterprise_ids))
    if ids:
        transaction.on_commit(lambda: enterprises_index(enterprise_ids=ids))


def enterprises_reindex_all() -> int:
    """Rebuild the whole kind (after a bulk load or a lost index)."""
    search.clear_index(kind=KIND)
    return search.index_documents(kind=KIND, documents=_documents(None))

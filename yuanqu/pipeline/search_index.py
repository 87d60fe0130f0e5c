"""The project entries of the full-text index (`core.search` kind "project"): title = the
project name, body = investor, credit code, industry, park and land parcel. Refreshed once the
writing transaction commits, so a rolled-back change leaves the index untouched."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.db import transaction

from yuanqu.core import search
from yuanqu.pipeline.models import Project

KIND = "project"


def project_document(project: Project) -> search.Document:
    """Needs `park` and `industry` loaded (select_related) to stay one query per batch."""
    parts = [
        project.investor_name,
        project.investor_credit_code,
        project.industry.name if project.industry_id and project.industry else "",
        project.park.name,
        project.land_parcel,
        project.leader_name,
    ]
    return search.Document(
        object_id=project.pk, title=project.name, body="\n".join(part for part in parts if part)
    )


def _documents(ids: Iterable[int] | None) -> Iterator[search.Document]:
    queryset = Project.objects.select_related("park", "industry").order_by("pk")
    if ids is not None:
        queryset = queryset.filter(pk__in=sorted(set(ids)))
    for project in queryset.iterator(chunk_size=1000):
        yield project_document(project)


def projects_index(*, project_ids: Iterable[int]) -> int:
    """Add or refresh these projects' entries; ids no longer present are removed."""
    wanted = set(project_ids)
    count = search.index_documents(kind=KIND, documents=_documents(wanted))
    present = set(Project.objects.filter(pk__in=sorted(wanted)).values_list("pk", flat=True))
    for missing in wanted - present:
        search.remove_document(kind=KIND, object_id=missing)
    return count


def projects_index_on_commit(*, project_ids: Iterable[int]) -> None:
    ids = sorted(set(project_ids))
    if ids:
        transaction.on_commit(lambda: projects_index(project_ids=ids))


def projects_reindex_all() -> int:
    search.clear_index(kind=KIND)
    return search.index_documents(kind=KIND, documents=_documents(None))

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from yuanqu.core.scheduler import periodic_job


@periodic_job("core.prune_task_results", every="daily")
def prune_task_results(*, period_key: str) -> str:
    """Finished task results are only diagnostics; keep the queue table small."""
    from django_tasks_db.models import DBTaskResult

    cutoff = timezone.now() - timedelta(days=settings.TASK_RESULT_RETENTION_DAYS)
    deleted, _ = DBTaskResult.objects.finished().filter(finished_at__lte=cutoff).delete()
    return f"deleted {deleted} finished task results older than {cutoff:%Y-%m-%d}"

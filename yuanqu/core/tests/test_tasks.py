import pytest
from django.core.management import call_command
from django_tasks import TaskResultStatus

from yuanqu.core.tasks import worker_ping


@pytest.mark.django_db(transaction=True)
def test_a_queued_task_is_run_by_the_database_worker():
    result = worker_ping.enqueue("token-123")
    assert result.status == TaskResultStatus.READY

    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)

    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == "token-123"

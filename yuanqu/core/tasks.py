from django_tasks import task


@task()
def worker_ping(token: str) -> str:
    """Echo a token back; `manage.py worker_check` uses it to prove a worker is consuming."""
    return token

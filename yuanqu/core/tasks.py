from django_tasks import task


@task()
def worker_ping(token: str) -> str:
    """Echo a token back; `manage.py worker_check` uses it to prove a worker is consuming."""
    return token


@task()
def purge_freed_storage_later() -> None:
    """`storage.purge_freed_storage` off the request: a VACUUM rewrites the whole file."""
    from yuanqu.core.storage import purge_freed_storage

    purge_freed_storage()

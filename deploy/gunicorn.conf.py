"""gunicorn settings for yuanqu (`gunicorn -c deploy/gunicorn.conf.py config.wsgi`).

Sync workers: the views are short and CPU-bound (catalogue index, matching); one worker per
core plus one keeps both cores busy while one waits on the database.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() + 1))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
max_requests = 5000  # recycle workers slowly (the in-process caches rebuild on their own)
max_requests_jitter = 500
limit_request_line = 8190
limit_request_field_size = 8190
# nginx on the same host is the only proxy; Django reads the client address with
# TRUSTED_PROXY_COUNT=1 from the X-Forwarded-For nginx sets.
forwarded_allow_ips = "127.0.0.1"
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "warning")

"""Faults under load (issue 14): the long runs of `make bench`. Not a test; figures go to
docs/bench/faults.md and the README. Each run makes its own database and takes it down again.

    .venv/bin/python bench/faults.py needs --database postgresql --restart-at 30
    .venv/bin/python bench/faults.py needs --database sqlite
    .venv/bin/python bench/faults.py worker-kill

`needs`: 64 client threads post the need form for 60 s to gunicorn (2 sync workers), each
following its answer to the results page (the receipt: 需求编号 on the page); one in ten
posts twice with the same key (a double tap). With `--restart-at`, the PostgreSQL server (a
private cluster made with initdb on a loopback port, so nothing else on the machine is
touched) is restarted that many seconds in. Afterwards: confirmed (receipt shown), stored
(a row for the key, receipt or not), lost (a receipt without a row), duplicated, and the
answers that were not a receipt: a clear Chinese error page, or anything else (a traceback,
an English or empty page, a dropped connection). The server's log is searched for
"database is locked" (SQLite) and tracebacks.

`worker-kill`: a real `db_worker` process sends the new-lead notice (e-mail to the park's
staff and a WeCom-style webhook to a receiver in this process that holds its answer for 5 s);
the worker is killed with SIGKILL while it waits. The notice is still pending, the periodic
job re-enqueues it (run with the clock 11 minutes on, its stale-pending rule), a second
worker sends it; the receiver and the e-mail log show whether the repeat carried the same
idempotency key (webhook header, e-mail Message-ID) and how many distinct notices arrived.

`worker-throughput` (capacity, not a fault; for docs/SCALING.md): needs posted for 20 s with
no worker running queue their notices; one `db_worker` process then sends them all.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import http.server
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
PG_PORT, WEB_PORT, HOOK_PORT = 18210, 8320, 8321


class PrivateCluster:
    """A throw-away PostgreSQL cluster on a loopback port (initdb; as user postgres when
    run as root, since PostgreSQL refuses to run as root)."""

    def __init__(self, work: Path) -> None:
        self.bin = sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1]
        self.data = work / "pg"
        self.log = work / "pg.log"
        work.chmod(0o755)
        self.data.mkdir()
        if os.geteuid() == 0:
            shutil.chown(self.data, "postgres")
            self.log.touch()
            shutil.chown(self.log, "postgres")
        self._as_postgres("initdb", "-D", str(self.data), "-A", "trust", "-U", "yuanqu",
                          "-E", "UTF8", "--locale=C.UTF-8")  # fmt: skip
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write(f"listen_addresses = '127.0.0.1'\nport = {PG_PORT}\n")
            conf.write(f"unix_socket_directories = '{self.data}'\nmax_connections = 200\n")
        self.pg_ctl("start")
        subprocess.run(
            ["psql", "-X", "-q", "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "yuanqu",
             "-d", "postgres", "-c", "CREATE DATABASE yuanqu"],
            check=True,
        )  # fmt: skip
        self.url = f"postgres://yuanqu@127.0.0.1:{PG_PORT}/yuanqu"

    def _as_postgres(self, program: str, *args: str) -> None:
        command = [str(self.bin / program), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)

    def pg_ctl(self, action: str) -> float:
        started = time.monotonic()
        self._as_postgres("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-m", "fast",
                          "-w", action)  # fmt: skip
        return time.monotonic() - started

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.pg_ctl("stop")


def prepare_database(args: argparse.Namespace, work: Path) -> PrivateCluster | None:
    """Point this process (and the servers it starts) at a fresh database with bench data."""
    cluster = None
    if args.database == "postgresql":
        cluster = PrivateCluster(work)
        os.environ["DATABASE_URL"] = cluster.url
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ["YUANQU_VAR_DIR"] = str(work / "var")
    (work / "var").mkdir()
    import bench_matching  # sets the server environment (no rate limits, DEBUG off)

    bench_matching.setup(carriers=args.carriers, parks=args.parks)
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    return cluster


def start_gunicorn(work: Path) -> tuple[subprocess.Popen, Path]:
    import bench_matching

    log = work / "gunicorn.log"
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "config.wsgi:application", "--workers", "2",
         "--bind", f"127.0.0.1:{WEB_PORT}", "--timeout", "60", "--log-level", "warning"],
        cwd=ROOT, env={**os.environ, "DEBUG": "0", "LOG_LEVEL": "WARNING"},
        stdout=log.open("w"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    for _ in range(150):
        try:
            if bench_matching._request(WEB_PORT, "GET", "/needs/new/")[0] == 200:
                return server, log
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not answer")


def needs(args: argparse.Namespace) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="bench-faults-"))
    cluster = prepare_database(args, work)
    import bench_matching
    from django.db import connection

    connection.close()
    server, log = start_gunicorn(work)
    restart: dict[str, Any] = {}
    try:
        if args.restart_at and cluster is not None:

            def restart_database() -> None:
                time.sleep(args.restart_at)
                restart["at_s"] = args.restart_at
                restart["took_s"] = round(cluster.pg_ctl("restart"), 2)

            threading.Thread(target=restart_database, daemon=True).start()
        result = bench_matching.submission_load(
            port=WEB_PORT, seconds=args.seconds, clients=args.clients
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    server_log = log.read_text(encoding="utf-8", errors="replace")
    report = {
        "database": args.database,
        "clients": args.clients,
        "seconds": args.seconds,
        "restart": restart or None,
        **{key: value for key, value in result.items() if key != "failures"},
        "server_log_database_locked": server_log.count("database is locked"),
        "server_log_tracebacks": server_log.count("Traceback"),
        "failure_samples": result["failures"],
    }
    if cluster is not None:
        cluster.stop()
    shutil.rmtree(work, ignore_errors=True)
    return report


class HookReceiver(http.server.BaseHTTPRequestHandler):
    """A webhook receiver that holds its first answer (the worker is killed meanwhile) and
    records every delivery's Idempotency-Key."""

    deliveries: list[str] = []
    hold_first_seconds = 5.0

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        type(self).deliveries.append(self.headers.get("Idempotency-Key", ""))
        if len(type(self).deliveries) == 1:
            time.sleep(self.hold_first_seconds)
        body = b'{"errcode": 0}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


def worker_kill(args: argparse.Namespace) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="bench-faults-"))
    notice_environment()
    cluster = prepare_database(args, work)
    from datetime import timedelta

    from django.db import connection
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from yuanqu.leads.models import Lead, LeadNotification
    from yuanqu.leads.services import lead_notifications_requeue

    receiver = notice_receivers()

    # One need through the real form on a real server; its notice is enqueued on commit.
    connection.close()
    server, _log = start_gunicorn(work)
    try:
        import bench_matching

        submitted = bench_matching.submission_load(port=WEB_PORT, seconds=1, clients=1)
    finally:
        server.terminate()
        server.wait(timeout=30)
    lead = Lead.objects.order_by("pk").first()
    assert lead is not None and submitted["accepted"] >= 1, submitted
    leads = Lead.objects.count()

    first, first_log = start_worker(work, "first")
    deadline = time.monotonic() + 60
    while not HookReceiver.deliveries and time.monotonic() < deadline:
        time.sleep(0.1)
    assert HookReceiver.deliveries, "the first worker never called the webhook"
    time.sleep(0.5)  # inside the held answer: the e-mail is out, the webhook waits
    first.send_signal(signal.SIGKILL)
    first.wait()
    pending_after_kill = LeadNotification.objects.filter(
        status=LeadNotification.Status.PENDING
    ).count()
    stuck_running = DBTaskResult.objects.filter(status="RUNNING").count()
    requeued = lead_notifications_requeue(now=timezone.now() + timedelta(minutes=11))
    connection.close()
    second, second_log = start_worker(work, "second")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if LeadNotification.objects.filter(status=LeadNotification.Status.SENT).count() == leads:
            break
        time.sleep(0.3)
    second.send_signal(signal.SIGTERM)
    second.wait(timeout=30)
    receiver.shutdown()
    mails = [
        match
        for path in (first_log, second_log)
        for match in re.findall(r"^Message-ID: (.+)$", path.read_text(errors="replace"), re.M)
    ]
    report = {
        "database": args.database,
        "leads": leads,
        "webhook_deliveries": len(HookReceiver.deliveries),
        "webhook_distinct_keys": len(set(HookReceiver.deliveries)),
        "emails_sent": len(mails),
        "email_distinct_message_ids": len(set(mails)),
        "notifications_pending_after_kill": pending_after_kill,
        "task_rows_left_running_by_the_killed_worker": stuck_running,
        "requeued_by_the_periodic_job": requeued,
        "notifications_sent": LeadNotification.objects.filter(
            status=LeadNotification.Status.SENT
        ).count(),
    }
    connection.close()
    if cluster is not None:
        cluster.stop()
    shutil.rmtree(work, ignore_errors=True)
    return report


def notice_environment() -> None:
    """New-lead notices go by WeCom-style webhook to this process and by e-mail to the log."""
    os.environ.update(
        {
            "LEAD_WEBHOOK_BACKEND": "yuanqu.leads.notifications.WeComWebhookBackend",
            "LEAD_WEBHOOK_URL": f"http://127.0.0.1:{HOOK_PORT}/hook",
            "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
        }
    )


def notice_receivers() -> http.server.ThreadingHTTPServer:
    """Every park gets a manager with an e-mail address (so each notice goes by e-mail too);
    the webhook receiver starts serving. Call after prepare_database."""
    from django.contrib.auth import get_user_model

    from yuanqu.accounts.models import Membership
    from yuanqu.accounts.services import membership_grant
    from yuanqu.parks.models import Park

    User = get_user_model()
    for park in Park.objects.all():
        user = User.objects.create_user(
            username=f"faults_manager_{park.pk}", email=f"manager{park.pk}@example.com",
            is_staff=True,
        )  # fmt: skip
        membership_grant(user=user, role=Membership.Role.PARK_MANAGER, park=park)
    receiver = http.server.ThreadingHTTPServer(("127.0.0.1", HOOK_PORT), HookReceiver)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    return receiver


def start_worker(work: Path, name: str) -> tuple[subprocess.Popen, Path]:
    output = work / f"{name}.log"
    process = subprocess.Popen(
        [str(ROOT / ".venv/bin/python"), "manage.py", "db_worker", "--no-startup-delay",
         "--interval", "0.2", "--worker-id", name],
        cwd=ROOT, env={**os.environ, "DEBUG": "0", "PYTHONUNBUFFERED": "1"},
        stdout=output.open("w"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    return process, output


def worker_throughput(args: argparse.Namespace) -> dict[str, Any]:
    """Needs are posted through the real form with no worker running, so their notices
    queue up; then one db_worker starts and the clock runs until every notice is sent (an
    e-mail to the park's staff and a webhook call each): notices per second for one worker
    process, the figure docs/SCALING.md sizes task nodes by."""
    work = Path(tempfile.mkdtemp(prefix="bench-faults-"))
    notice_environment()
    cluster = prepare_database(args, work)
    from django.db import connection

    from yuanqu.leads.models import LeadNotification

    HookReceiver.hold_first_seconds = 0.0
    receiver = notice_receivers()
    connection.close()
    server, _log = start_gunicorn(work)
    try:
        import bench_matching

        submitted = bench_matching.submission_load(port=WEB_PORT, seconds=args.seconds, clients=4)
    finally:
        server.terminate()
        server.wait(timeout=30)
    notices = LeadNotification.objects.count()
    connection.close()
    started = time.monotonic()
    worker, worker_log = start_worker(work, "throughput")
    sent = 0
    while time.monotonic() - started < 600:
        sent = LeadNotification.objects.filter(status=LeadNotification.Status.SENT).count()
        connection.close()
        if sent >= notices:
            break
        time.sleep(0.2)
    seconds = time.monotonic() - started
    worker.send_signal(signal.SIGTERM)
    worker.wait(timeout=30)
    receiver.shutdown()
    mails = re.findall(r"^Message-ID: ", worker_log.read_text(errors="replace"), re.M)
    report = {
        "database": args.database,
        "needs_accepted": submitted["accepted"],
        "notices": notices,
        "notices_sent": sent,
        "seconds_incl_worker_start": round(seconds, 1),
        "notices_per_second": round(sent / seconds, 1),
        "webhook_deliveries": len(HookReceiver.deliveries),
        "emails_sent": len(mails),
    }
    if cluster is not None:
        cluster.stop()
    shutil.rmtree(work, ignore_errors=True)
    return report


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    runs = {"needs": needs, "worker-kill": worker_kill, "worker-throughput": worker_throughput}
    for name in runs:
        command = sub.add_parser(name)
        command.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
        command.add_argument("--carriers", type=int, default=5000)
        command.add_argument("--parks", type=int, default=50)
        if name == "needs":
            command.add_argument("--clients", type=int, default=64)
            command.add_argument("--restart-at", type=float, default=0.0)
        if name in {"needs", "worker-throughput"}:
            command.add_argument("--seconds", type=int, default=60 if name == "needs" else 20)
    args = parser.parse_args()
    report = runs[args.command](args)
    print(json.dumps(report, ensure_ascii=False, indent=2))
    name = f"{args.command}-{args.database}" + (
        "-restart" if getattr(args, "restart_at", 0) else ""
    )
    print(f"results: {save(name, report)}")


def save(name: str, report: dict[str, Any]) -> Path:
    """Into bench/results/<date>-faults.json, one entry per kind of run (the README's fault
    table is written from the newest of these files by `bench/scenarios.py readme`)."""
    folder = ROOT / "bench" / "results"
    folder.mkdir(exist_ok=True)
    target = folder / f"{datetime.datetime.now(datetime.UTC).date().isoformat()}-faults.json"
    day = json.loads(target.read_text(encoding="utf-8")) if target.exists() else {}
    day[name] = {"at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"), **report}
    target.write_text(json.dumps(day, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return target


if __name__ == "__main__":
    main()

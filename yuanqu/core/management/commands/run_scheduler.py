import signal
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from yuanqu.core.scheduler import discover_jobs, run_due_jobs


class Command(BaseCommand):
    help = "运行定时任务调度器:每个周期内每个任务只运行一次。"

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run due jobs once and exit")
        parser.add_argument("--job", help="only this job name")
        parser.add_argument("--list", action="store_true", help="list registered jobs and exit")

    def handle(self, *args, once=False, job=None, list=False, **options):
        if list:
            for spec in sorted(discover_jobs().values(), key=lambda spec: spec.name):
                self.stdout.write(f"{spec.name}\t{spec.every}")
            return
        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        jobs = discover_jobs()
        self.stdout.write(
            f"scheduler: {len(jobs)} periodic jobs, tick {settings.SCHEDULER_TICK_SECONDS}s"
        )
        while True:
            for outcome in run_due_jobs(only=job):
                self.stdout.write(
                    f"{outcome.name} [{outcome.period_key}] {outcome.status}: {outcome.summary}"
                )
            if once or stopping:
                return
            deadline = time.monotonic() + settings.SCHEDULER_TICK_SECONDS
            while not stopping and time.monotonic() < deadline:
                time.sleep(0.5)
            if stopping:
                return

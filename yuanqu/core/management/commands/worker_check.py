import time
import uuid

from django.core.management.base import BaseCommand, CommandError

from yuanqu.core.tasks import worker_ping


class Command(BaseCommand):
    help = "排入一个测试任务并等待任务进程完成它,用于确认后台任务进程在运行。"

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=float, default=15.0)

    def handle(self, *args, timeout: float, **options):
        token = uuid.uuid4().hex
        result = worker_ping.enqueue(token)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            result.refresh()
            if result.is_finished:
                if result.return_value == token:
                    self.stdout.write(self.style.SUCCESS("worker ok"))
                    return
                raise CommandError(f"worker finished the ping with status {result.status}")
            time.sleep(0.2)
        raise CommandError(f"no worker finished the ping within {timeout:g}s")

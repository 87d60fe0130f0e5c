import importlib

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

# Order matters: reference data, then people, then what they publish.
DEMO_MODULES = [
    "yuanqu.accounts.demo",
    "yuanqu.parks.demo",
    "yuanqu.listings.demo",
    "yuanqu.news.demo",
    "yuanqu.leads.demo",
    "yuanqu.enterprises.demo",
    "yuanqu.workbench.demo",
    "yuanqu.pipeline.demo",
    "yuanqu.indicators.demo",
    "yuanqu.chains.demo",
]


class Command(BaseCommand):
    help = "加载真实参考数据和演示内容(可重复运行,不会重复创建)。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--skip-reference", action="store_true", help="do not (re)load reference data"
        )

    def handle(self, *args, skip_reference: bool = False, **options):
        if not skip_reference:
            call_command("load_reference_data", stdout=self.stdout, stderr=self.stderr)
        for module_name in DEMO_MODULES:
            try:
                module = importlib.import_module(module_name)
            except ModuleNotFoundError as error:
                if error.name != module_name:
                    raise
                continue
            module.load_demo(stdout=self.stdout)
        if not settings.DEBUG:
            self.stdout.write("DEBUG is off: demo accounts were not created.")

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from yuanqu.indicators import services
from yuanqu.indicators.models import ImportBatch


class Command(BaseCommand):
    help = "导入园区指标工作簿(本平台模板或统计局月报格式):全部正确才导入,重复导入不变。"

    def add_arguments(self, parser):
        parser.add_argument("path", help="工作簿路径(.xlsx)")

    def handle(self, *args, path: str, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"找不到文件:{path}")
        with file.open("rb") as upload:
            report = services.import_workbook(
                upload=upload, actor=None, source=ImportBatch.Source.COMMAND, filename=file.name
            )
        for line in report.lines():
            self.stdout.write(line)
        if not report.ok:
            raise CommandError(f"{file.name}:未导入(共 {len(report.errors)} 处问题)")

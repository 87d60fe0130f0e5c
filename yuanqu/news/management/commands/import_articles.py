from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from yuanqu.news.importer import import_path


class Command(BaseCommand):
    help = "导入旧站保存的文章页(HTML 或文本)和 WordPress WXR 导出文件。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("paths", nargs="+", help="文件路径")
        parser.add_argument(
            "--as-of",
            dest="as_of",
            help="相对日期(如“10个月前”)的参照日,YYYY-MM-DD,默认今天",
        )

    def handle(self, *args, **options) -> None:
        as_of = timezone.localdate()
        if options["as_of"]:
            try:
                as_of = date.fromisoformat(options["as_of"])
            except ValueError:
                raise CommandError("--as-of 需要 YYYY-MM-DD 格式的日期") from None
        refused = 0
        for raw_path in options["paths"]:
            report = import_path(Path(raw_path), as_of=as_of)
            refused += report.refused
            style = self.style.ERROR if report.refused else self.style.SUCCESS
            self.stdout.write(style(report.line()))
        total = len(options["paths"])
        self.stdout.write(f"{total - refused} 个文件已导入,{refused} 个被拒绝。")

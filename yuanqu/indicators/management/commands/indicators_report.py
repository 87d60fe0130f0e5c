import json
import sys

from django.core.management.base import BaseCommand, CommandError

from yuanqu.indicators import exports, selectors


class Command(BaseCommand):
    help = "输出某月各园区各指标的派生数据(完成率、时序进度、双过半、贡献度、排名等)。"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--month", type=int, required=True)
        parser.add_argument("--format", choices=("json", "xlsx"), default="json")
        parser.add_argument("--output", help="输出文件(默认:json 写到标准输出)")

    def handle(self, *args, year: int, month: int, format: str, output: str | None, **options):
        if not 1 <= month <= 12:
            raise CommandError("月份应在 1–12 之间")
        if not 2000 <= year <= 2100:
            raise CommandError("年份应在 2000–2100 之间")
        report = selectors.month_report(year=year, month=month)
        if format == "json":
            text = json.dumps(report.as_json(), ensure_ascii=False, indent=1)
            if output:
                with open(output, "w", encoding="utf-8") as file:
                    file.write(text)
            else:
                self.stdout.write(text)
            return
        if not output:
            raise CommandError("xlsx 格式需要 --output 文件路径")
        with open(output, "wb") as file:
            file.write(exports.report_workbook_bytes(report))
        sys.stderr.write(f"已写入 {output}\n")

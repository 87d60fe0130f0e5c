"""Load the industry-chain templates (chains/data/*.csv or the files given)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yuanqu.chains import loader


class Command(BaseCommand):
    help = "加载产业链模板(可重复运行)。任何文件有误则什么都不写入,并指出文件、行号和原因。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="*", type=Path, help="模板文件;默认 chains/data/*.csv")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = loader.load_templates(options["paths"] or None)
        except loader.TemplateRefused as refused:
            raise CommandError("chain templates refused:\n" + "\n".join(refused.problems)) from None
        self.stdout.write(report.summary())

"""Load the reference data (regions, townships, industries, parks) from the repository's CSVs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yuanqu.core import reference


class Command(BaseCommand):
    help = (
        "加载参考数据:行政区划(GB/T 2260)、乡镇街道、国民经济行业(GB/T 4754-2017)和园区。"
        "可重复运行;任何文件有误则该文件整体不写入,并指出文件、行号和原因。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--regions", type=Path, default=reference.DEFAULT_REGIONS_PATH)
        parser.add_argument("--townships", type=Path, default=reference.DEFAULT_TOWNSHIPS_PATH)
        parser.add_argument("--industries", type=Path, default=reference.DEFAULT_INDUSTRIES_PATH)
        parser.add_argument("--parks", type=Path, default=reference.DEFAULT_PARKS_PATH)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            results = reference.load_all(
                regions=options["regions"],
                townships=options["townships"],
                industries=options["industries"],
                parks=options["parks"],
            )
        except reference.ReferenceDataError as error:
            # Files before the bad one stay loaded (each file is its own transaction);
            # the bad file and the ones after it changed nothing.
            raise CommandError(f"reference data refused:\n{error}") from None
        for result in results:
            self.stdout.write(result.summary())

"""manage.py restore ARCHIVE --yes: put a backup's database and media files back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yuanqu.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "从备份恢复数据库和上传的文件(会覆盖当前数据),恢复后逐表核对行数、逐个核对文件。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument("--yes", action="store_true", help="确认覆盖当前数据")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["yes"]:
            raise CommandError("恢复会覆盖当前的数据库和上传文件;确认请加 --yes")
        try:
            manifest = backup_restore(options["archive"])
        except BackupError as error:
            raise CommandError(str(error)) from None
        rows = sum(manifest.tables.values())
        self.stdout.write(
            f"restored {len(manifest.tables)} tables, {rows} rows, {len(manifest.files)} files"
        )

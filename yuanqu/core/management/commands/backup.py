"""manage.py backup [--to DIR]: the database and the media files in one archive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from yuanqu.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "备份数据库和上传的文件(SQLite 在线备份,PostgreSQL 用 pg_dump),生成一个 .tar.gz。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--to", type=Path, default=Path(settings.VAR_DIR) / "backups")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            archive = backup_create(options["to"])
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(str(archive))

"""Individuals' rights (PIPL): export or delete everything held about one mobile number.

manage.py personal_data export --mobile 13812341234
manage.py personal_data delete --mobile 13812341234 [--yes]
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yuanqu.accounts.personal_data import mobile_variants
from yuanqu.accounts.services import personal_data_erase, personal_data_export


class Command(BaseCommand):
    help = "导出或删除某手机号对应的全部个人信息(个人信息权利请求)。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["export", "delete"])
        parser.add_argument(
            "--mobile", required=True, help="手机号,如 13812341234 或 +8613812341234"
        )
        parser.add_argument("--yes", action="store_true", help="删除时不再确认")

    def handle(self, *args: Any, action: str, mobile: str, yes: bool, **options: Any) -> None:
        if not mobile_variants(mobile):
            raise CommandError("手机号无效。")
        if action == "export":
            data = personal_data_export(mobile=mobile)
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        if not yes and options.get("interactive", True) and self.stdin_is_tty():
            answer = input("将删除该手机号及对应姓名的全部个人信息,且不可恢复。输入 yes 继续:")
            if answer.strip().lower() != "yes":
                raise CommandError("已取消。")
        changed = personal_data_erase(mobile=mobile)
        self.stdout.write(self.style.SUCCESS(f"已删除个人信息,涉及 {changed} 条记录。"))

    @staticmethod
    def stdin_is_tty() -> bool:
        import sys

        return sys.stdin.isatty()

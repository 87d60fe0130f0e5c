"""Bulk check of the free-text parser: one message per line in, one JSON object per line out.

    printf '求租厂房5000平左右,经开区\n' | python manage.py parse_text --as need

Every output object has the same keys; a field the text does not state is null (empty lists
too). `deal` is written as the trade says it: 租/购/先租后买 for needs, 出租/出售/先租后买 for ads.
Numbers are JSON numbers (areas and prices rounded to 2 places). Empty input lines give an
all-null object, so output line N always answers input line N.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yuanqu.matching.parsing import parse_text

DEAL_LABELS = {
    "need": {"rent": "租", "buy": "购", "rent_to_buy": "先租后买"},
    "ad": {"rent": "出租", "sale": "出售", "rent_to_buy": "先租后买"},
}


def row_for_output(parsed: dict[str, Any], as_: str) -> dict[str, Any]:
    row = {key: (None if value == [] else value) for key, value in parsed.items()}
    if row["deal"] is not None:
        row["deal"] = DEAL_LABELS[as_][row["deal"]]
    return row


class Command(BaseCommand):
    help = "Parse free-text needs or ads from stdin, one per line, into JSON lines."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as", dest="as_", choices=("need", "ad"), required=True)
        parser.add_argument(
            "--today",
            help="date the messages were written (YYYY-MM-DD), for 年底前/三个月内; default today",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        as_ = options["as_"]
        today = None
        if options.get("today"):
            try:
                today = date.fromisoformat(options["today"])
            except ValueError as error:
                raise CommandError(f"--today must be YYYY-MM-DD: {error}") from None
        for line in sys.stdin:
            text = line.rstrip("\r\n").lstrip("\ufeff")
            parsed = parse_text(text, as_=as_, today=today).as_dict()
            self.stdout.write(json.dumps(row_for_output(parsed, as_), ensure_ascii=False))

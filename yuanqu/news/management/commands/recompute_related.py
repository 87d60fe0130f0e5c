import time

from django.core.management.base import BaseCommand

from yuanqu.news.related import related_recompute_all


class Command(BaseCommand):
    help = "重新计算全部已发布资讯的相关文章(并重建词频统计)。"

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()
        count = related_recompute_all()
        self.stdout.write(
            f"{count} 篇资讯的相关文章已重新计算,用时 {time.perf_counter() - started:.1f} 秒。"
        )

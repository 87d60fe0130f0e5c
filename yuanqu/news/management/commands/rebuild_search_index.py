import time

from django.core.management.base import BaseCommand

from yuanqu.core import search
from yuanqu.listings.models import Carrier
from yuanqu.news import signals
from yuanqu.news.models import Article
from yuanqu.parks.models import Park


class Command(BaseCommand):
    help = "重建站内搜索索引(资讯、园区、载体、线索、项目、企业)。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--kind", choices=search.KINDS, action="append", help="只重建某一类")

    def handle(self, *args, **options) -> None:
        kinds = options["kind"] or list(search.KINDS)
        for kind in kinds:
            started = time.perf_counter()
            search.clear_index(kind=kind)
            if kind == "article":
                documents = (
                    signals.article_document(article)
                    for article in Article.objects.filter(status=Article.Status.PUBLISHED)
                    .exclude(published_at=None)
                    .iterator(chunk_size=1000)
                )
                count = search.index_documents(kind=kind, documents=documents)
            elif kind == "park":
                documents = (
                    signals.park_document(park)
                    for park in Park.objects.filter(is_active=True).iterator(chunk_size=1000)
                )
                count = search.index_documents(kind=kind, documents=documents)
            elif kind == "lead":
                from yuanqu.leads.search_index import leads_reindex_all

                count = leads_reindex_all()
            elif kind == "project":
                from yuanqu.pipeline.search_index import projects_reindex_all

                count = projects_reindex_all()
            elif kind == "enterprise":
                from yuanqu.enterprises.search_index import enterprises_reindex_all

                count = enterprises_reindex_all()
            else:
                count = 0
                for carrier in Carrier.objects.all().iterator(chunk_size=1000):
                    signals.index_carrier(carrier)
                    count += 1
            elapsed = time.perf_counter() - started
            self.stdout.write(f"{kind}: {count} 条,用时 {elapsed:.1f} 秒")
        search.optimize()

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "yuanqu.news"
    verbose_name = _("资讯")

    def ready(self) -> None:
        from yuanqu.news import signals

        signals.connect()

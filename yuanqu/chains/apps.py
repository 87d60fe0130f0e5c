from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChainsConfig(AppConfig):
    name = "yuanqu.chains"
    verbose_name = _("产业链图谱")

    def ready(self) -> None:
        from yuanqu.chains import signals

        signals.connect()

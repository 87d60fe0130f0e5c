from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ListingsConfig(AppConfig):
    name = "yuanqu.listings"
    verbose_name = _("载体")

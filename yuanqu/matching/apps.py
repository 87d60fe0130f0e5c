from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "yuanqu.matching"
    verbose_name = _("需求匹配")

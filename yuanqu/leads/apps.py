from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LeadsConfig(AppConfig):
    name = "yuanqu.leads"
    verbose_name = _("需求线索")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkbenchConfig(AppConfig):
    name = "yuanqu.workbench"
    verbose_name = _("招商工作台")

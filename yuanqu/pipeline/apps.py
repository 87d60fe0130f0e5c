from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PipelineConfig(AppConfig):
    name = "yuanqu.pipeline"
    verbose_name = _("招商项目")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default = True
    name = "yuanqu.accounts"
    verbose_name = _("账户与权限")

    def ready(self) -> None:
        from yuanqu.accounts import audit, personal_data

        audit.register_models()
        personal_data.register_lead()

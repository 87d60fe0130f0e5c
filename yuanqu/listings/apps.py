from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ListingsConfig(AppConfig):
    name = "yuanqu.listings"
    verbose_name = _("载体")

    def ready(self) -> None:
        # Saved searches hold a mobile or an e-mail: individuals' export and erasure reach them.
        from yuanqu.accounts.personal_data import register

        register(
            "listings.SavedSearch",
            mobile_fields=["mobile"],
            erase_fields=["email", "mobile", "consent_ip"],
            delete_rows=True,  # a subscription means nothing without its address (accounts)
            export_fields=[
                "label",
                "channel",
                "frequency",
                "status",
                "consent_version",
                "consent_at",
                "created_at",
            ],
        )

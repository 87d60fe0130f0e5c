from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ListingsConfig(AppConfig):
    name = "yuanqu.listings"
    verbose_name = _("载体")

    def ready(self) -> None:
        from django.core.signals import request_finished, request_started
        from django.db.models.signals import post_delete, post_save

        from yuanqu.core.models import Region
        from yuanqu.listings import catalogue_index
        from yuanqu.parks.models import Park

        # The catalogue generation is read once per request (see catalogue_index).
        request_started.connect(catalogue_index.request_began, dispatch_uid="catalogue_began")
        request_finished.connect(catalogue_index.request_ended, dispatch_uid="catalogue_ended")
        # Carrier writes bump it through the services (and the admin); park and district
        # edits (names and visibility of facet options) have no service to do it.
        for model in (Park, Region):
            post_save.connect(catalogue_index.changed_on_commit, sender=model)
            post_delete.connect(catalogue_index.changed_on_commit, sender=model)

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

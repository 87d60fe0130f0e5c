from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LeadsConfig(AppConfig):
    name = "yuanqu.leads"
    verbose_name = _("需求线索")

    def ready(self) -> None:
        try:
            from yuanqu.accounts import personal_data
        except ImportError:  # the accounts app is optional for this app's own tests
            return
        # Submissions keep the need as typed (it may quote names or numbers) and the IP.
        personal_data.register(
            "leads.LeadSubmission",
            link_field="lead",
            erase_fields=["ip", "data"],
            export_fields=["idempotency_key", "created_at", "merged", "data"],
        )

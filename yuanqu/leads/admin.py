"""Lead admin: scoped to the user's parks, mobile always masked, unmasking only through the
logged "查看手机号" page with a stated reason."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from yuanqu.accounts import gates
from yuanqu.accounts.admin_mixins import ParkScopedAdminMixin
from yuanqu.accounts.forms import RevealForm
from yuanqu.accounts.pii import mask_mobile
from yuanqu.leads.models import Lead


class NewCarrierFlagFilter(admin.SimpleListFilter):
    """The leads a newly published carrier fits, not yet looked at on the lead's page."""

    title = _("新载体提醒")
    parameter_name = "new_carriers"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("unseen", _("有未查看的新载体"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "unseen":
            return queryset.filter(unseen_flags__gt=0)
        return queryset


@admin.register(Lead)
class LeadAdmin(ParkScopedAdminMixin, admin.ModelAdmin):
    park_field = "park"
    list_display = [
        "reference",
        "company",
        "contact_name",
        "masked_mobile",
        "kind",
        "deal",
        "park",
        "status",
        "new_carriers",
        "created_at",
    ]
    # RelatedOnlyFieldListFilter lists only the parks of leads the user may see.
    list_filter = [
        NewCarrierFlagFilter,
        "status",
        "kind",
        "deal",
        ("park", admin.RelatedOnlyFieldListFilter),
    ]
    # Never search by mobile: matching digits would unmask the number piece by piece.
    search_fields = ["reference", "company"]
    list_select_related = ["park"]
    date_hierarchy = "created_at"
    # Personal fields are shown, not edited here; the mobile only masked.
    exclude = ["mobile", "regions", "parks"]
    readonly_fields = [
        "reference",
        "masked_mobile",
        "company",
        "contact_name",
        "need_text",
        "consent_version",
        "consent_at",
        "consent_ip",
        "source_page",
        "anonymised_at",
        "idempotency_key",
    ]
    raw_id_fields = ["industry", "owner"]
    actions = ["erase_personal_data"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # Counted in the list's own query: one column, no query per row.
        return (
            super()
            .get_queryset(request)
            .annotate(
                unseen_flags=Count("carrier_flags", filter=Q(carrier_flags__seen_at__isnull=True))
            )
        )

    @admin.display(description=_("新载体"), ordering="unseen_flags")
    def new_carriers(self, obj: Lead) -> str:
        """Unseen flags, linked to the staff page that lists them (and marks them seen)."""
        count = getattr(obj, "unseen_flags", 0)
        if not count:
            return "—"
        url = reverse("inbox:detail", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("%(count)s 个新载体") % {"count": count})

    @admin.display(description=_("手机号"))
    def masked_mobile(self, obj: Lead) -> str:
        """Masked, without the reveal link (get_list_display swaps in the per-user column)."""
        return mask_mobile(obj.mobile) or "—"

    def _masked_mobile_for(self, request: HttpRequest) -> Any:
        """A column/field showing the masked mobile, with a "查看" link where allowed."""
        user = request.user

        @admin.display(description=_("手机号"))
        def masked_mobile(obj: Lead) -> str:
            masked = mask_mobile(obj.mobile)
            if not masked:
                return "—"
            if obj.pk and gates.can_reveal_mobile(user, obj):
                url = reverse("admin:leads_lead_reveal", args=[obj.pk])
                return format_html('{} <a href="{}">{}</a>', masked, url, _("查看"))
            return masked

        return masked_mobile

    def get_list_display(self, request: HttpRequest) -> list[Any]:
        column = self._masked_mobile_for(request)
        return [
            column if item == "masked_mobile" else item
            for item in super().get_list_display(request)
        ]

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict | None = None,
    ) -> HttpResponse:
        # The "查看手机号" button in the object tools, only where the user may unmask.
        extra_context = dict(extra_context or {})
        lead = self.get_object(request, object_id)
        if lead is not None and lead.mobile and gates.can_reveal_mobile(request.user, lead):
            extra_context["reveal_url"] = reverse("admin:leads_lead_reveal", args=[lead.pk])
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self) -> list:
        urls = super().get_urls()
        return [
            path(
                "<int:object_id>/reveal/",
                self.admin_site.admin_view(self.reveal_view),
                name="leads_lead_reveal",
            ),
            *urls,
        ]

    def reveal_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        """Ask for a reason, log the access, then show the number (never in a URL)."""
        lead = gates.lead_for_user_or_404(request.user, object_id)
        form = RevealForm(request.POST or None)
        revealed = ""
        if request.method == "POST":
            revealed = form.reveal(request=request, lead=lead)
        elif not gates.can_reveal_mobile(request.user, lead):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": lead,
            "title": _("查看手机号"),
            "form": form,
            "masked": mask_mobile(lead.mobile),
            "revealed": revealed,
            "lead": lead,
        }
        response = TemplateResponse(request, "admin/leads/lead/reveal.html", context)
        response["Cache-Control"] = "no-store"
        return response

    @admin.action(description=_("按手机号删除个人信息(个人权利请求)"))
    def erase_personal_data(self, request: HttpRequest, queryset: QuerySet) -> None:
        from yuanqu.accounts.services import personal_data_erase

        if not gates.is_site_admin(request.user):
            raise PermissionDenied
        mobiles = sorted({lead.mobile for lead in queryset if lead.mobile})
        changed = sum(personal_data_erase(mobile=mobile, user=request.user) for mobile in mobiles)
        self.message_user(
            request,
            _("已删除 %(people)d 人的个人信息,涉及 %(rows)d 条记录。")
            % {"people": len(mobiles), "rows": changed},
            messages.SUCCESS,
        )

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        # Leads come in through the need form (leads.services.lead_submit: consent,
        # de-duplication, matching), never typed into the admin.
        return False

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        if not gates.is_site_admin(request.user):
            actions.pop("erase_personal_data", None)
        return actions

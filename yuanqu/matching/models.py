from django.db import models
from django.utils.translation import gettext_lazy as _


class LeadCarrierFlag(models.Model):
    """A newly published carrier that fits an open lead well, flagged for the lead's owner."""

    lead = models.ForeignKey(
        "leads.Lead",
        verbose_name=_("需求线索"),
        on_delete=models.CASCADE,
        related_name="carrier_flags",
    )
    carrier = models.ForeignKey(
        "listings.Carrier",
        verbose_name=_("载体"),
        on_delete=models.CASCADE,
        related_name="lead_flags",
    )
    score = models.DecimalField(_("匹配分"), max_digits=5, decimal_places=1)
    reasons = models.JSONField(_("理由"), default=list, blank=True)
    created_at = models.DateTimeField(_("标记时间"), auto_now_add=True)
    seen_at = models.DateTimeField(_("查看时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("新载体提醒")
        verbose_name_plural = _("新载体提醒")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["lead", "carrier"], name="lead_carrier_flag_unique")
        ]

    def __str__(self) -> str:
        return f"{self.lead_id}→{self.carrier_id}"

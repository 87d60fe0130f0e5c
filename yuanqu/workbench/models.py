from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DailyDigest(models.Model):
    """The officer's daily digest: one row per officer per day, claimed before sending, so a
    re-run of the job (a retry, a second scheduler) never sends it twice."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        on_delete=models.CASCADE,
        related_name="daily_digests",
    )
    day = models.DateField(_("日期"))
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    summary = models.JSONField(_("内容摘要"), default=dict, blank=True)

    class Meta:
        verbose_name = _("每日待办摘要")
        verbose_name_plural = _("每日待办摘要")
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="daily_digest_one_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.day}"

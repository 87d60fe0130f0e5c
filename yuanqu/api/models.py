from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AccessToken(models.Model):
    """A personal access token: the API acts as its user would in the workbench. Only a hash
    is kept; the token itself is shown once, when it is made."""

    class Scope(models.TextChoices):
        READ = "read", _("只读")
        READ_WRITE = "read_write", _("读写")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="access_tokens",
    )
    name = models.CharField(_("用途"), max_length=60)
    # The first characters of the token, to find its row and to tell tokens apart on the page.
    prefix = models.CharField(_("前缀"), max_length=12, unique=True)
    token_hash = models.CharField(_("摘要"), max_length=64)
    scope = models.CharField(_("权限"), max_length=12, choices=Scope.choices)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("到期时间"))
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("访问令牌")
        verbose_name_plural = _("访问令牌")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"

    def is_usable(self, *, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yuanqu.core.models import Region, TimeStampedModel
from yuanqu.parks.models import Park


class Membership(TimeStampedModel):
    """One role a staff user holds, scoped to a park, a region or (site-wide roles) nothing.

    Scoping comes from these rows, not from Django groups: a user may be 招商专员 of one park
    and park manager of another, and the gates in gates.py read exactly these rows.
    """

    class Role(models.TextChoices):
        SITE_ADMIN = "site_admin", _("站点管理员")
        EDITOR = "editor", _("编辑")
        PARK_MANAGER = "park_manager", _("园区管理员")
        INVESTMENT_OFFICER = "investment_officer", _("招商专员")
        LEADERSHIP = "leadership", _("领导(只读)")

    # Which roles need which scope; checked by the constraints below.
    PARK_ROLES = frozenset({Role.PARK_MANAGER, Role.INVESTMENT_OFFICER})
    REGION_ROLES = frozenset({Role.LEADERSHIP})
    SITE_ROLES = frozenset({Role.SITE_ADMIN, Role.EDITOR})
    # Park roles that may change the park's carriers and leads.
    CONTENT_EDIT_ROLES = frozenset({Role.PARK_MANAGER, Role.INVESTMENT_OFFICER})
    # Park roles that may change the park's own profile (name, policies, contacts).
    PROFILE_EDIT_ROLES = frozenset({Role.PARK_MANAGER})
    # Park roles that may unmask a lead's mobile (each reveal is logged).
    REVEAL_ROLES = frozenset({Role.PARK_MANAGER, Role.INVESTMENT_OFFICER})
    # Park roles that hand leads and projects to officers (an officer may only take one).
    ASSIGN_ROLES = frozenset({Role.PARK_MANAGER})
    # Park roles that see the park's stage analytics and league table (leadership always may,
    # over its region).
    ANALYTICS_ROLES = frozenset({Role.PARK_MANAGER})

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    park = models.ForeignKey(
        Park,
        verbose_name=_("园区"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("区域"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="memberships",
    )

    class Meta:
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")
        ordering = ["user_id", "role"]
        constraints = [
            models.CheckConstraint(
                name="membership_scope_matches_role",
                condition=(
                    Q(
                        role__in=["park_manager", "investment_officer"],
                        park__isnull=False,
                        region__isnull=True,
                    )
                    | Q(role="leadership", park__isnull=True, region__isnull=False)
                    | Q(role__in=["site_admin", "editor"], park__isnull=True, region__isnull=True)
                ),
                violation_error_message=_(
                    "园区角色须指定园区,领导角色须指定区域,站点角色两者都不指定。"
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "role", "park", "region"], name="membership_unique_scope"
            ),
        ]

    def __str__(self) -> str:
        scope = self.park or self.region
        return f"{self.get_role_display()} · {scope}" if scope else str(self.get_role_display())


class PersonalDataAccess(models.Model):
    """One unmasking of a lead's mobile: who, when, which lead and the stated reason (PIPL)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("查看人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="personal_data_accesses",
    )
    lead = models.ForeignKey(
        "leads.Lead",
        verbose_name=_("需求线索"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="personal_data_accesses",
    )
    # Kept as text so the log stays readable when the lead is deleted later.
    lead_reference = models.CharField(_("线索编号"), max_length=20)
    field = models.CharField(_("字段"), max_length=30, default="mobile")
    reason = models.CharField(_("查看理由"), max_length=200)
    ip_address = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    at = models.DateTimeField(_("查看时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("个人信息查看记录")
        verbose_name_plural = _("个人信息查看记录")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.lead_reference} · {self.at:%Y-%m-%d %H:%M}"


class SecurityEvent(models.Model):
    """A refused or suspicious action (forged id, tampered field, another park's object)."""

    class Kind(models.TextChoices):
        FORBIDDEN_OBJECT = "forbidden_object", _("越权访问对象")
        TAMPERED_FIELD = "tampered_field", _("篡改表单字段")
        REVEAL_REFUSED = "reveal_refused", _("拒绝查看个人信息")
        PERSONAL_DATA_REQUEST = "personal_data_request", _("个人信息权利请求")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="security_events",
    )
    kind = models.CharField(_("类型"), max_length=30, choices=Kind.choices)
    # Model label and primary key only: never personal data in the log.
    target = models.CharField(_("对象"), max_length=100, blank=True)
    detail = models.CharField(_("说明"), max_length=300, blank=True)
    path = models.CharField(_("路径"), max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("安全事件")
        verbose_name_plural = _("安全事件")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.target}"

"""招商 projects: from 在谈 to 投产 (or 终止), with a dated stage history, funds received,
milestones, problems, follow-ups and the alerts the daily job raises.

The stage and its dates change only through `pipeline.services.project_move_to_stage`,
which records a StageChange row (who, when, evidence) in the same transaction.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yuanqu.core.models import Industry, TimeStampedModel
from yuanqu.leads.models import FollowUp
from yuanqu.listings.models import Carrier
from yuanqu.parks.models import Park


class Stage(models.TextChoices):
    NEGOTIATING = "negotiating", _("在谈")
    SIGNED = "signed", _("签约")
    LAND = "land", _("拿地")
    STARTED = "started", _("开工")
    PRODUCING = "producing", _("投产")
    TERMINATED = "terminated", _("终止")


# The forward order of the live stages; 终止 stands outside it.
STAGE_ORDER: tuple[str, ...] = (
    Stage.NEGOTIATING,
    Stage.SIGNED,
    Stage.LAND,
    Stage.STARTED,
    Stage.PRODUCING,
)


class Project(TimeStampedModel):
    class Source(models.TextChoices):
        LEAD = "lead", _("需求线索")
        FAIR = "fair", _("招商会/展会")
        VISIT = "visit", _("走访/拜访")
        REFERRAL = "referral", _("中介/推介")
        OTHER = "other", _("其他")

    class KeyLevel(models.TextChoices):
        NONE = "", _("否")
        CITY = "city", _("市级重点")
        PROVINCE = "province", _("省级重点")

    class LandMode(models.TextChoices):
        GRANT = "grant", _("出让土地")
        LEASE = "lease", _("租赁载体")

    name = models.CharField(_("项目名称"), max_length=100)
    investor_name = models.CharField(_("投资方"), max_length=100)
    investor_credit_code = models.CharField(_("投资方统一社会信用代码"), max_length=18, blank=True)
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices)
    lead = models.OneToOneField(
        "leads.Lead",
        verbose_name=_("来源线索"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="project",
    )
    industry = models.ForeignKey(
        Industry, verbose_name=_("行业"), null=True, blank=True, on_delete=models.PROTECT
    )
    park = models.ForeignKey(
        Park, verbose_name=_("落户园区"), on_delete=models.PROTECT, related_name="projects"
    )
    carrier_kind = models.CharField(
        _("载体类型"), max_length=12, choices=Carrier.Kind.choices, blank=True
    )
    area_m2 = models.DecimalField(
        _("需求面积(㎡)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    carrier = models.ForeignKey(
        Carrier,
        verbose_name=_("载体"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
    )
    land_parcel = models.CharField(_("地块"), max_length=100, blank=True)
    land_mode = models.CharField(_("用地方式"), max_length=8, choices=LandMode.choices, blank=True)
    land_mu = models.DecimalField(
        _("土地面积(亩)"), max_digits=10, decimal_places=2, null=True, blank=True
    )

    agreed_investment_yi = models.DecimalField(
        _("协议投资(亿元)"), max_digits=12, decimal_places=4, null=True, blank=True
    )
    expected_output_wan = models.DecimalField(
        _("预计年产值(万元)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    expected_tax_wan = models.DecimalField(
        _("预计年税收(万元)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    jobs = models.PositiveIntegerField(_("就业人数"), null=True, blank=True)
    key_level = models.CharField(
        _("重点项目"), max_length=10, choices=KeyLevel.choices, blank=True, default=""
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("负责人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
    )
    leader_name = models.CharField(_("包挂领导"), max_length=50, blank=True)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("投产企业"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
    )

    stage = models.CharField(
        _("阶段"), max_length=12, choices=Stage.choices, default=Stage.NEGOTIATING
    )
    signed_on = models.DateField(_("签约日期"), null=True, blank=True)
    planned_start_on = models.DateField(_("约定开工日期"), null=True, blank=True)
    land_on = models.DateField(_("拿地日期"), null=True, blank=True)
    started_on = models.DateField(_("开工日期"), null=True, blank=True)
    producing_on = models.DateField(_("投产日期"), null=True, blank=True)
    terminated_on = models.DateField(_("终止日期"), null=True, blank=True)
    terminated_reason = models.CharField(_("终止原因"), max_length=200, blank=True)
    stage_changed_at = models.DateTimeField(_("阶段变更时间"), null=True, blank=True)
    # A follow-up, a stage change or a funding entry: what the 停滞 alert measures against.
    last_activity_at = models.DateTimeField(_("最近动态时间"), null=True, blank=True)
    # Optimistic concurrency: every write checks and bumps it, so two officers editing at
    # once cannot overwrite each other silently.
    version = models.PositiveIntegerField(_("版本"), default=1)
    is_sample = models.BooleanField(
        _("示例数据"), default=False, help_text=_("演示用的生成数据,页面上会标明。")
    )

    class Meta:
        verbose_name = _("招商项目")
        verbose_name_plural = _("招商项目")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["park", "stage"]),
            models.Index(fields=["stage", "last_activity_at"]),
            models.Index(fields=["officer", "stage"]),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_live(self) -> bool:
        return self.stage != Stage.TERMINATED


class StageChange(models.Model):
    """One move of a project between stages: the history every analytics figure is read from."""

    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="stage_changes"
    )
    from_stage = models.CharField(_("原阶段"), max_length=12, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("新阶段"), max_length=12, choices=Stage.choices)
    # The date the stage was reached (签约日期, 拿地日期 …), entered after the fact if need be.
    effective_on = models.DateField(_("发生日期"))
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    evidence = models.JSONField(_("依据"), default=dict, blank=True)
    reason = models.CharField(_("原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("阶段变更")
        verbose_name_plural = _("阶段变更")
        ordering = ["recorded_at", "id"]
        indexes = [
            models.Index(fields=["project", "recorded_at"]),
            models.Index(fields=["to_stage", "effective_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.project_id}:{self.from_stage}→{self.to_stage}"


class FundingEntry(models.Model):
    """Money actually received (到位资金) on a date; 资金到位率 is their sum over 协议投资."""

    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="funding_entries"
    )
    received_on = models.DateField(_("到位日期"))
    amount_yi = models.DecimalField(_("到位资金(亿元)"), max_digits=12, decimal_places=4)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("到位资金")
        verbose_name_plural = _("到位资金")
        ordering = ["received_on", "id"]

    def __str__(self) -> str:
        return f"{self.project_id}:{self.received_on}:{self.amount_yi}"


class Milestone(models.Model):
    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField(_("节点"), max_length=100)
    due_on = models.DateField(_("计划完成日期"))
    done_on = models.DateField(_("实际完成日期"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("项目节点")
        verbose_name_plural = _("项目节点")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["done_on", "due_on"])]

    def __str__(self) -> str:
        return self.title


class Problem(models.Model):
    """困难问题: what blocks a project, the department that must solve it, and how it ended."""

    class Status(models.TextChoices):
        OPEN = "open", _("待办")
        COORDINATING = "coordinating", _("协调中")
        RESOLVED = "resolved", _("已解决")

    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="problems"
    )
    description = models.TextField(_("问题描述"), max_length=2000)
    department = models.CharField(_("责任部门"), max_length=100)
    status = models.CharField(_("状态"), max_length=14, choices=Status.choices, default=Status.OPEN)
    resolution = models.TextField(_("解决情况"), max_length=2000, blank=True)
    raised_on = models.DateField(_("提出日期"))
    resolved_on = models.DateField(_("解决日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("困难问题")
        verbose_name_plural = _("困难问题")
        ordering = ["raised_on", "id"]
        indexes = [models.Index(fields=["status", "raised_on"])]

    def __str__(self) -> str:
        return self.description[:30]


class ProjectFollowUp(models.Model):
    """A visit, call or meeting about a project (the 停滞 alert counts these as activity)."""

    Channel = FollowUp.Channel

    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="follow_ups"
    )
    channel = models.CharField(_("方式"), max_length=10, choices=Channel.choices)
    happened_at = models.DateTimeField(_("跟进时间"))
    notes = models.TextField(_("记录"), max_length=2000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="project_follow_ups",
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("项目跟进")
        verbose_name_plural = _("项目跟进")
        ordering = ["-happened_at", "-id"]

    def __str__(self) -> str:
        return f"{self.project_id}:{self.happened_at:%Y-%m-%d}"


class ProjectAlert(models.Model):
    """An open warning on a project (预警), raised and closed by the daily alerts job.

    `subject` names what the alert is about inside the project ("" for the project itself,
    "milestone:12", "problem:7"), so the job can be re-run any number of times a day and
    keeps one open row per cause.
    """

    class Kind(models.TextChoices):
        STALLED = "stalled", _("停滞")
        START_OVERDUE = "start_overdue", _("超时限未开工")
        MILESTONE_OVERDUE = "milestone_overdue", _("节点逾期")
        PROBLEM_OVERDUE = "problem_overdue", _("问题久未解决")

    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="alerts"
    )
    kind = models.CharField(_("预警类型"), max_length=20, choices=Kind.choices)
    subject = models.CharField(_("对象"), max_length=40, blank=True)
    detail = models.CharField(_("说明"), max_length=200, blank=True)
    raised_on = models.DateField(_("预警日期"))
    closed_on = models.DateField(_("解除日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("项目预警")
        verbose_name_plural = _("项目预警")
        ordering = ["-raised_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "kind", "subject"],
                condition=Q(closed_on__isnull=True),
                name="project_alert_one_open_per_cause",
            )
        ]
        indexes = [models.Index(fields=["closed_on", "kind"])]

    def __str__(self) -> str:
        return f"{self.project_id}:{self.kind}"

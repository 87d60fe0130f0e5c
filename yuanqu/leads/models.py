import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yuanqu.core.models import Industry, Region, TimeStampedModel
from yuanqu.listings.models import Carrier
from yuanqu.parks.models import Park


class Lead(TimeStampedModel):
    """A need submitted by an enterprise (需求): personal data lives only in the marked fields."""

    # A need asks for the same kinds of carrier, and the same fire classes, that carriers offer.
    Kind = Carrier.Kind
    FireHazard = Carrier.FireHazard

    class Deal(models.TextChoices):
        RENT = "rent", _("租")
        BUY = "buy", _("购")
        RENT_TO_BUY = "rent_to_buy", _("先租后买")

    class Timing(models.TextChoices):
        WITHIN_3_MONTHS = "1-3m", _("1–3 个月")
        WITHIN_6_MONTHS = "3-6m", _("3–6 个月")
        WITHIN_1_YEAR = "1y", _("1 年内")
        WITHIN_2_YEARS = "2y", _("2 年内")

    class BudgetUnit(models.TextChoices):
        YUAN_M2_DAY = "yuan_m2_day", _("元/㎡·天")
        YUAN_M2_MONTH = "yuan_m2_month", _("元/㎡·月")
        YUAN_MONTH = "yuan_month", _("元/月(总租金)")
        WAN_TOTAL = "wan_total", _("万元(总价)")
        WAN_PER_MU = "wan_per_mu", _("万元/亩")

    class Status(models.TextChoices):
        NEW = "new", _("新线索")
        FOLLOWING = "following", _("跟进中")
        CONVERTED = "converted", _("已转项目")
        INVALID = "invalid", _("无效")
        WITHDRAWN = "withdrawn", _("已撤回")

    reference = models.CharField(_("编号"), max_length=20, unique=True)
    access_token = models.UUIDField(_("查看令牌"), default=uuid.uuid4, unique=True, editable=False)
    idempotency_key = models.CharField(_("提交键"), max_length=64, unique=True)

    # Personal data (PIPL): masked for staff without permission, erased by retention.
    company = models.CharField(_("公司名称"), max_length=100, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    mobile = models.CharField(_("手机号"), max_length=20, blank=True, help_text=_("E.164 格式"))
    need_text = models.TextField(_("需求原文"), blank=True)

    kind = models.CharField(_("载体类型"), max_length=12, choices=Kind.choices)
    deal = models.CharField(_("方式"), max_length=12, choices=Deal.choices)
    intended_use = models.CharField(_("用途"), max_length=200, blank=True)
    industry = models.ForeignKey(
        Industry, verbose_name=_("行业"), null=True, blank=True, on_delete=models.PROTECT
    )
    area_min_m2 = models.DecimalField(
        _("最小面积(㎡)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    area_max_m2 = models.DecimalField(
        _("最大面积(㎡)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    regions = models.ManyToManyField(Region, verbose_name=_("意向区县"), blank=True)
    parks = models.ManyToManyField(
        Park, verbose_name=_("意向园区"), blank=True, related_name="wanted_by_leads"
    )
    # The park that owns the lead in the staff inbox; scoping for park staff follows it.
    park = models.ForeignKey(
        Park,
        verbose_name=_("负责园区"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="leads",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("跟进人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="leads",
    )
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.NEW)
    timing = models.CharField(_("用地时间"), max_length=8, choices=Timing.choices, blank=True)
    investment_wan = models.DecimalField(
        _("预计投资(万元)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    annual_tax_wan = models.DecimalField(
        _("预计年税收(万元)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    jobs = models.PositiveIntegerField(_("就业人数"), null=True, blank=True)

    # What matching needs beyond the first screen (all optional).
    budget_value = models.DecimalField(
        _("预算"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    budget_unit = models.CharField(
        _("预算单位"), max_length=16, choices=BudgetUnit.choices, blank=True
    )
    insist_location = models.BooleanField(
        _("只看意向区县/园区"),
        default=False,
        help_text=_("勾选后,只匹配所选区县或园区内的载体。"),
    )
    power_kva = models.PositiveIntegerField(_("用电(kVA)"), null=True, blank=True)
    height_m = models.DecimalField(
        _("层高(m)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    load_t_m2 = models.DecimalField(
        _("承重(t/㎡)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    crane_t = models.DecimalField(
        _("行车(t)"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    eia_required = models.BooleanField(_("需要可环评"), default=False)
    fire_hazard_class = models.CharField(
        _("生产火灾危险性类别"), max_length=1, choices=FireHazard.choices, blank=True
    )

    consent_version = models.CharField(_("同意的隐私声明版本"), max_length=20, blank=True)
    consent_at = models.DateTimeField(_("同意时间"), null=True, blank=True)
    consent_ip = models.GenericIPAddressField(_("同意时 IP"), null=True, blank=True)
    source_page = models.CharField(_("来源页面"), max_length=300, blank=True)
    source_carrier_id = models.PositiveBigIntegerField(_("来源载体"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("匿名化时间"), null=True, blank=True)

    # De-duplication: the same mobile with the same need inside LEAD_MERGE_WINDOW_HOURS
    # merges into this lead (see leads.services.lead_submit).
    need_fingerprint = models.CharField(_("需求指纹"), max_length=64, blank=True)
    submission_count = models.PositiveIntegerField(_("提交次数"), default=1)
    last_submitted_at = models.DateTimeField(_("最近提交时间"), null=True, blank=True)

    # What the person saw right after submitting (scores and reasons), so staff see the same.
    match_snapshot = models.JSONField(_("匹配结果快照"), null=True, blank=True)
    matched_at = models.DateTimeField(_("匹配时间"), null=True, blank=True)

    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)

    # The workbench (staff side): assignment, follow-up rhythm, invalidation and merging.
    assigned_at = models.DateTimeField(_("分配时间"), null=True, blank=True)
    last_activity_at = models.DateTimeField(_("最近跟进时间"), null=True, blank=True)
    next_follow_up_on = models.DateField(_("下次跟进日期"), null=True, blank=True)
    invalid_reason = models.CharField(_("无效原因"), max_length=200, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("已合并到"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_leads",
    )
    deletion_requested_at = models.DateTimeField(_("申请删除时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("需求线索")
        verbose_name_plural = _("需求线索")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["park", "status", "created_at"]),
            models.Index(fields=["mobile", "created_at"]),
            models.Index(fields=["mobile", "need_fingerprint", "last_submitted_at"]),
            models.Index(fields=["park", "last_activity_at"]),
            models.Index(fields=["owner", "next_follow_up_on"]),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        """Still wanted: not withdrawn, closed, converted or anonymised."""
        return self.anonymised_at is None and self.status in {
            self.Status.NEW,
            self.Status.FOLLOWING,
        }


class LeadSubmission(models.Model):
    """One accepted submission of the need form; its key makes retries idempotent.

    A lead has one row per submission: the first one, and each later one merged into it.
    Holds personal data (the submitted need text and IP) and is erased with the lead.
    """

    lead = models.ForeignKey(
        Lead, verbose_name=_("需求线索"), on_delete=models.CASCADE, related_name="submissions"
    )
    idempotency_key = models.CharField(_("提交键"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    ip = models.GenericIPAddressField(_("IP"), null=True, blank=True)
    merged = models.BooleanField(_("合并到已有线索"), default=False)
    data = models.JSONField(_("提交内容"), default=dict, null=True, blank=True)

    class Meta:
        verbose_name = _("需求提交")
        verbose_name_plural = _("需求提交")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.lead_id}:{self.created_at:%Y-%m-%d %H:%M}"


class LeadEvent(models.Model):
    """The history of a lead: submissions, merges, matches, withdrawal, deletion requests."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("提交")
        MERGED = "merged", _("重复提交已合并")
        MATCHED = "matched", _("已匹配")
        REMATCHED = "rematched", _("重新匹配")
        NOTIFIED = "notified", _("已通知园区")
        NOTIFY_FAILED = "notify_failed", _("通知失败")
        WITHDRAWN = "withdrawn", _("本人撤回")
        DELETION_REQUESTED = "deletion_requested", _("本人申请删除")
        CARRIER_FLAGGED = "carrier_flagged", _("新载体适合")
        ASSIGNED = "assigned", _("分配跟进人")
        FOLLOWED_UP = "followed_up", _("跟进")
        STATUS_CHANGED = "status_changed", _("状态变更")
        INVALIDATED = "invalidated", _("标记无效")
        REOPENED = "reopened", _("重新打开")
        MERGED_FROM = "merged_from", _("合并其他线索")
        MERGED_INTO = "merged_into", _("合并到其他线索")
        CONVERTED = "converted", _("转为招商项目")
        MOBILE_REVEALED = "mobile_revealed", _("查看手机号")

    lead = models.ForeignKey(
        Lead, verbose_name=_("需求线索"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("事件"), max_length=20, choices=Kind.choices)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("说明"), max_length=300, blank=True)
    data = models.JSONField(_("数据"), default=dict, blank=True)

    class Meta:
        verbose_name = _("线索历史")
        verbose_name_plural = _("线索历史")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["lead", "created_at"])]

    def __str__(self) -> str:
        return f"{self.lead_id}:{self.kind}"


class FollowUp(models.Model):
    """One contact with the enterprise behind a lead: a call, visit, WeChat message, meeting."""

    class Channel(models.TextChoices):
        CALL = "call", _("电话")
        VISIT = "visit", _("走访")
        WECHAT = "wechat", _("微信")
        MEETING = "meeting", _("会谈")

    class Outcome(models.TextChoices):
        INTERESTED = "interested", _("有意向")
        CONTINUE = "continue", _("需继续跟进")
        NO_NEED = "no_need", _("暂无需求")
        UNREACHABLE = "unreachable", _("未联系上")

    lead = models.ForeignKey(
        Lead, verbose_name=_("需求线索"), on_delete=models.CASCADE, related_name="follow_ups"
    )
    channel = models.CharField(_("方式"), max_length=10, choices=Channel.choices)
    happened_at = models.DateTimeField(_("跟进时间"))
    notes = models.TextField(_("记录"), max_length=2000)
    outcome = models.CharField(_("结果"), max_length=12, choices=Outcome.choices)
    next_follow_up_on = models.DateField(_("下次跟进日期"), null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="lead_follow_ups",
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("线索跟进")
        verbose_name_plural = _("线索跟进")
        ordering = ["-happened_at", "-id"]
        indexes = [models.Index(fields=["lead", "happened_at"])]

    def __str__(self) -> str:
        return f"{self.lead_id}:{self.channel}:{self.happened_at:%Y-%m-%d}"


class LeadNotification(models.Model):
    """Telling the matched parks' staff about a new lead; retried with back-off until sent.

    The row is written in the same transaction as the lead, so a crash between commit and
    enqueue loses nothing: the periodic job re-enqueues rows that are due.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("失败待重试")
        GAVE_UP = "gave_up", _("多次失败已放弃")

    lead = models.OneToOneField(
        Lead, verbose_name=_("需求线索"), on_delete=models.CASCADE, related_name="notification"
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试"), null=True, blank=True)
    last_error = models.CharField(_("最近错误"), max_length=300, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    recipient_count = models.PositiveIntegerField(_("收件人数"), default=0)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("线索通知")
        verbose_name_plural = _("线索通知")
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.lead_id}:{self.status}"


class ReferenceSequence(models.Model):
    """Per-day counter behind reference numbers such as XQ20261125-0001."""

    day = models.DateField(_("日期"), unique=True)
    last = models.PositiveIntegerField(_("已用序号"), default=0)

    class Meta:
        verbose_name = _("编号序列")
        verbose_name_plural = _("编号序列")

    def __str__(self) -> str:
        return f"{self.day}:{self.last}"

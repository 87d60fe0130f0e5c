import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yuanqu.core.models import Industry, Region, TimeStampedModel
from yuanqu.parks.models import Park


class Lead(TimeStampedModel):
    """A need submitted by an enterprise (需求): personal data lives only in the marked fields."""

    class Kind(models.TextChoices):
        FACTORY = "factory", _("厂房")
        LAND = "land", _("土地")
        OFFICE = "office", _("写字楼")
        WAREHOUSE = "warehouse", _("仓库")

    class Deal(models.TextChoices):
        RENT = "rent", _("租")
        BUY = "buy", _("购")
        RENT_TO_BUY = "rent_to_buy", _("先租后买")

    class Timing(models.TextChoices):
        WITHIN_3_MONTHS = "1-3m", _("1–3 个月")
        WITHIN_6_MONTHS = "3-6m", _("3–6 个月")
        WITHIN_1_YEAR = "1y", _("1 年内")
        WITHIN_2_YEARS = "2y", _("2 年内")

    class Status(models.TextChoices):
        NEW = "new", _("新线索")
        CONTACTED = "contacted", _("已联系")
        QUALIFIED = "qualified", _("有效需求")
        CONVERTED = "converted", _("已转项目")
        CLOSED = "closed", _("已关闭")
        WITHDRAWN = "withdrawn", _("本人撤回")

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

    consent_version = models.CharField(_("同意的隐私声明版本"), max_length=20, blank=True)
    consent_at = models.DateTimeField(_("同意时间"), null=True, blank=True)
    consent_ip = models.GenericIPAddressField(_("同意时 IP"), null=True, blank=True)
    source_page = models.CharField(_("来源页面"), max_length=300, blank=True)
    anonymised_at = models.DateTimeField(_("匿名化时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("需求线索")
        verbose_name_plural = _("需求线索")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["park", "status", "created_at"]),
            models.Index(fields=["mobile", "created_at"]),
        ]

    def __str__(self) -> str:
        return self.reference

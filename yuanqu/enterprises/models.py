"""The enterprise registry: enterprises in each park with their cultivation flags, and the
parks' yearly cultivation targets. A flag is "held" when its date is set; the date is when
it was gained, which is what yearly progress counts."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from yuanqu.core.models import Industry, TimeStampedModel
from yuanqu.parks.models import Park


class Enterprise(TimeStampedModel):
    class AboveScaleType(models.TextChoices):
        INDUSTRY = "industry", _("规上工业")
        TRADE = "trade", _("限上批零住餐")
        CONSTRUCTION = "construction", _("资质内建筑业")
        SERVICES = "services", _("规上服务业")

    class SpecialisedLevel(models.TextChoices):
        CITY = "city", _("市级专精特新")
        PROVINCE = "province", _("省级专精特新")
        LITTLE_GIANT = "little_giant", _("国家级专精特新“小巨人”")

    name = models.CharField(_("企业名称"), max_length=100)
    # GB 32100-2015: 18 characters, the last a check character (validated in services/forms).
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    park = models.ForeignKey(
        Park, verbose_name=_("所在园区"), on_delete=models.PROTECT, related_name="enterprises"
    )
    industry = models.ForeignKey(
        Industry, verbose_name=_("行业"), null=True, blank=True, on_delete=models.PROTECT
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)

    high_tech_certified_on = models.DateField(_("高新技术企业认定日期"), null=True, blank=True)
    high_tech_certificate_no = models.CharField(_("高企证书编号"), max_length=40, blank=True)
    high_tech_expires_on = models.DateField(_("高企证书有效期至"), null=True, blank=True)
    tech_sme_since = models.DateField(
        _("科技型中小企业入库日期"),
        null=True,
        blank=True,
        help_text=_("“小升高”统计:先入库科技型中小企业,后认定高企。"),
    )
    above_scale_type = models.CharField(
        _("四上类型"), max_length=12, choices=AboveScaleType.choices, blank=True
    )
    above_scale_since = models.DateField(_("纳入四上日期"), null=True, blank=True)
    specialised_level = models.CharField(
        _("专精特新等级"), max_length=12, choices=SpecialisedLevel.choices, blank=True
    )
    specialised_since = models.DateField(_("专精特新认定日期"), null=True, blank=True)
    gazelle_since = models.DateField(_("瞪羚企业认定日期"), null=True, blank=True)
    unicorn_since = models.DateField(_("独角兽企业认定日期"), null=True, blank=True)

    is_sample = models.BooleanField(
        _("示例数据"), default=False, help_text=_("演示用的生成数据,页面上会标明。")
    )

    class Meta:
        verbose_name = _("企业")
        verbose_name_plural = _("企业")
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["park", "name"]),
            models.Index(fields=["park", "high_tech_certified_on"]),
            models.Index(fields=["park", "above_scale_since"]),
            models.Index(fields=["park", "specialised_since"]),
        ]

    def __str__(self) -> str:
        return self.name


class CultivationTarget(models.Model):
    """A park's target for one year: 新增高企 30, 新增四上 50, 小升高 10 …"""

    class Kind(models.TextChoices):
        HIGH_TECH_NEW = "high_tech_new", _("新增高新技术企业")
        ABOVE_SCALE_NEW = "above_scale_new", _("新增四上企业")
        SPECIALISED_NEW = "specialised_new", _("新增专精特新企业")
        SMALL_TO_HIGH = "small_to_high", _("小升高(科技型中小企业认定为高企)")
        GAZELLE_NEW = "gazelle_new", _("新增瞪羚企业")

    park = models.ForeignKey(
        Park,
        verbose_name=_("园区"),
        on_delete=models.CASCADE,
        related_name="cultivation_targets",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    kind = models.CharField(_("指标"), max_length=20, choices=Kind.choices)
    target = models.PositiveIntegerField(_("目标数"))
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("培育目标")
        verbose_name_plural = _("培育目标")
        ordering = ["park_id", "-year", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["park", "year", "kind"], name="cultivation_target_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.park_id}:{self.year}:{self.kind}"

"""Park indicators: the statistics office's monthly figures per park and for the city, annual
targets, and every revision of either.

The city total is a row of its own (``park`` is null), never a sum of parks: the parks do not
cover the city. Values are what the sheet says: 1–N月累计 for cumulative indicators, the
month-end figure for point-in-time ones; a published growth rate is kept as published.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yuanqu.parks.models import Park


class Indicator(models.Model):
    class Kind(models.TextChoices):
        CUMULATIVE = "cumulative", _("1–N月累计")
        POINT = "point", _("期末时点数")

    class RegistryCount(models.TextChoices):
        """Which count of the enterprise registry stands in for the statistics office's."""

        NONE = "", _("无")
        HIGH_TECH = "high_tech", _("高新技术企业数")
        ABOVE_SCALE_INDUSTRY = "above_scale_industry", _("规上工业企业数")
        NEW_ABOVE_SCALE = "new_above_scale", _("新增四上企业数")

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=40, unique=True)
    aliases = models.CharField(
        _("别名"),
        max_length=200,
        blank=True,
        help_text=_("统计表中可能出现的其他写法,用顿号或逗号分隔,如“规模以上工业总产值”。"),
    )
    unit = models.CharField(_("单位"), max_length=20)
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    precision = models.PositiveSmallIntegerField(_("小数位数"), default=2)
    higher_is_better = models.BooleanField(_("越大越好"), default=True)
    growth_only = models.BooleanField(
        _("只发布增速"), default=False, help_text=_("如规上工业增加值:统计局只发布同比增长率。")
    )
    allow_negative = models.BooleanField(_("可为负数"), default=False)
    registry_count = models.CharField(
        _("对应企业库统计"), max_length=24, choices=RegistryCount.choices, blank=True
    )
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("指标")
        verbose_name_plural = _("指标")
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.name

    def names(self) -> list[str]:
        """The name and its aliases: the header texts that mean this indicator."""
        extra = self.aliases.replace("、", ",").replace(",", ",").split(",")
        return [self.name, *(alias.strip() for alias in extra if alias.strip())]


class ImportBatch(models.Model):
    """One import that changed something (an import that changes nothing leaves no row)."""

    class Source(models.TextChoices):
        UPLOAD = "upload", _("网页上传")
        COMMAND = "command", _("命令行")
        API = "api", _("接口")
        DEMO = "demo", _("示例数据")

    source = models.CharField(_("来源"), max_length=10, choices=Source.choices)
    filename = models.CharField(_("文件名"), max_length=200, blank=True)
    sha256 = models.CharField(_("文件摘要"), max_length=64, blank=True)
    layout = models.CharField(_("格式"), max_length=20, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("导入时间"), auto_now_add=True)
    summary = models.JSONField(_("变更摘要"), default=dict, blank=True)

    class Meta:
        verbose_name = _("指标导入")
        verbose_name_plural = _("指标导入")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.filename}"


class IndicatorValue(models.Model):
    park = models.ForeignKey(
        Park,
        verbose_name=_("园区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indicator_values",
        help_text=_("留空表示全市合计。"),
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("指标"), on_delete=models.PROTECT, related_name="values"
    )
    year = models.PositiveSmallIntegerField(_("年份"))
    month = models.PositiveSmallIntegerField(_("月份"))
    value = models.DecimalField(_("数值"), max_digits=18, decimal_places=4, null=True, blank=True)
    yoy_pct = models.DecimalField(
        _("公布的同比增长(%)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    is_sample = models.BooleanField(_("示例数据"), default=False)
    batch = models.ForeignKey(
        ImportBatch,
        verbose_name=_("最近导入"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("指标月度值")
        verbose_name_plural = _("指标月度值")
        ordering = ["year", "month", "indicator__sort_order", "park_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["park", "indicator", "year", "month"],
                condition=Q(park__isnull=False),
                name="indicator_value_one_per_park_month",
            ),
            models.UniqueConstraint(
                fields=["indicator", "year", "month"],
                condition=Q(park__isnull=True),
                name="indicator_value_one_city_row_per_month",
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12), name="indicator_value_month_1_12"
            ),
        ]
        indexes = [models.Index(fields=["year", "month"])]

    def __str__(self) -> str:
        return f"{self.park or '全市'} {self.indicator} {self.year}-{self.month:02d}"


class Target(models.Model):
    class Kind(models.TextChoices):
        ABSOLUTE = "absolute", _("总量目标")
        GROWTH = "growth", _("增速目标(%)")

    park = models.ForeignKey(
        Park,
        verbose_name=_("园区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indicator_targets",
        help_text=_("留空表示全市目标。"),
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("指标"), on_delete=models.PROTECT, related_name="targets"
    )
    year = models.PositiveSmallIntegerField(_("年份"))
    kind = models.CharField(_("目标类型"), max_length=10, choices=Kind.choices)
    value = models.DecimalField(_("目标值"), max_digits=18, decimal_places=4)
    is_sample = models.BooleanField(_("示例数据"), default=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("年度目标")
        verbose_name_plural = _("年度目标")
        ordering = ["year", "indicator__sort_order", "park_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["park", "indicator", "year"],
                condition=Q(park__isnull=False),
                name="indicator_target_one_per_park_year",
            ),
            models.UniqueConstraint(
                fields=["indicator", "year"],
                condition=Q(park__isnull=True),
                name="indicator_target_one_city_per_year",
            ),
            models.CheckConstraint(condition=~Q(value=0), name="indicator_target_not_zero"),
        ]

    def __str__(self) -> str:
        return f"{self.park or '全市'} {self.indicator} {self.year}"


class Revision(models.Model):
    """One change of a stored value or target: who, when, old and new."""

    class Field(models.TextChoices):
        VALUE = "value", _("数值")
        YOY = "yoy_pct", _("同比增长")
        TARGET = "target", _("目标值")
        TARGET_KIND = "target_kind", _("目标类型")

    park = models.ForeignKey(
        Park, verbose_name=_("园区"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("指标"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年份"))
    month = models.PositiveSmallIntegerField(_("月份"), null=True, blank=True)
    field = models.CharField(_("字段"), max_length=12, choices=Field.choices)
    old = models.CharField(_("原值"), max_length=40, blank=True)
    new = models.CharField(_("新值"), max_length=40, blank=True)
    batch = models.ForeignKey(
        ImportBatch, verbose_name=_("导入"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="revisions",
    )  # fmt: skip
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    changed_at = models.DateTimeField(_("修改时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("修订记录")
        verbose_name_plural = _("修订记录")
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["park", "indicator", "year", "month"])]

    def __str__(self) -> str:
        return f"{self.indicator} {self.year}-{self.month}: {self.old} → {self.new}"

from django.db import models
from django.utils.translation import gettext_lazy as _

from yuanqu.core.names import english_name


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


class Region(models.Model):
    """An administrative division (GB/T 2260 code; townships use the 9-digit NBS code)."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("省级")
        PREFECTURE = "prefecture", _("地级")
        COUNTY = "county", _("县级")
        TOWNSHIP = "township", _("乡级")

    code = models.CharField(_("区划代码"), max_length=12, primary_key=True)
    name = models.CharField(_("名称"), max_length=50)
    level = models.CharField(_("级别"), max_length=12, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(
        _("经度"), max_digits=9, decimal_places=6, null=True, blank=True
    )

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]
        indexes = [models.Index(fields=["parent", "level"])]

    def __str__(self) -> str:
        return self.name

    @property
    def local_name(self) -> str:
        """The name in the page's language (English where `core.names` has one)."""
        return english_name("region", self.code) or self.name


class Industry(models.Model):
    """A GB/T 4754-2017 class: 门类 (A–T), 大类 (2 digits), 中类 (3), 小类 (4)."""

    class Level(models.IntegerChoices):
        SECTION = 1, _("门类")
        DIVISION = 2, _("大类")
        GROUP = 3, _("中类")
        CLASS = 4, _("小类")

    code = models.CharField(_("行业代码"), max_length=4, primary_key=True)
    name = models.CharField(_("名称"), max_length=100)
    level = models.PositiveSmallIntegerField(_("层级"), choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    section = models.CharField(_("门类"), max_length=1)
    scope_note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("国民经济行业")
        verbose_name_plural = _("国民经济行业")
        ordering = ["code"]
        indexes = [models.Index(fields=["level", "section"])]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def lineage_codes(self) -> list[str]:
        """Codes from the section down to this class, e.g. ['C', '35', '351', '3514']."""
        codes = [self.section]
        for length in (2, 3, 4):
            if self.code[0].isdigit() and len(self.code) >= length:
                codes.append(self.code[:length])
        return codes


class JobRun(models.Model):
    """One run of a periodic job for one period; the unique key makes each period run once."""

    class Status(models.TextChoices):
        RUNNING = "running", _("运行中")
        SUCCEEDED = "succeeded", _("成功")
        FAILED = "failed", _("失败")

    job_name = models.CharField(_("任务"), max_length=100)
    period_key = models.CharField(_("周期"), max_length=20)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices)
    summary = models.CharField(_("结果"), max_length=500, blank=True)
    started_at = models.DateTimeField(_("开始时间"))
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("定时任务记录")
        verbose_name_plural = _("定时任务记录")
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["job_name", "period_key"], name="jobrun_once_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.job_name} {self.period_key}"

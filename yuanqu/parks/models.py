from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from yuanqu.core.models import Industry, Region, TimeStampedModel
from yuanqu.core.names import english_name


class Park(TimeStampedModel):
    """A development zone (开发区) or a park (园区) inside one."""

    class Level(models.TextChoices):
        NATIONAL = "national", _("国家级")
        PROVINCIAL = "provincial", _("省级")
        CITY = "city", _("市级")
        OTHER = "other", _("其他")

    class Kind(models.TextChoices):
        ECONOMIC = "etdz", _("经济技术开发区")
        HIGH_TECH = "htz", _("高新技术产业开发区")
        INDUSTRIAL = "industrial", _("工业园区")
        ECONOMIC_ZONE = "economic", _("经济开发区")
        SPECIALISED = "specialised", _("特色园区")
        OTHER = "other", _("其他")

    name = models.CharField(_("名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=30, blank=True)
    slug = models.SlugField(_("网址标识"), max_length=120, unique=True, allow_unicode=False)
    level = models.CharField(_("级别"), max_length=12, choices=Level.choices)
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("所在区县"), on_delete=models.PROTECT, related_name="parks"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("所属开发区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sub_parks",
    )
    statistical_code = models.CharField(
        _("统计用代码"),
        max_length=12,
        blank=True,
        help_text=_("国家统计局统计用区划代码,如 320371;不是行政区划代码。"),
    )
    leading_industries = models.ManyToManyField(
        Industry, verbose_name=_("主导产业"), blank=True, related_name="parks"
    )
    industry_note = models.CharField(_("主导产业说明"), max_length=300, blank=True)
    established = models.CharField(_("设立与升级"), max_length=200, blank=True)
    area_km2 = models.DecimalField(
        _("规划面积(平方公里)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    industrial_land_mu = models.DecimalField(
        _("已供工业用地(亩)"),
        max_digits=10,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("计算亩均税收和投资强度用;未知则不计算。"),
    )
    investment_intensity_wan_per_mu = models.DecimalField(
        _("投资强度门槛(万元/亩)"), max_digits=8, decimal_places=1, null=True, blank=True
    )
    tax_per_mu_wan = models.DecimalField(
        _("亩均税收门槛(万元/亩)"), max_digits=8, decimal_places=1, null=True, blank=True
    )
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(
        _("经度"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    coord_source = models.CharField(
        _("坐标来源"),
        max_length=60,
        blank=True,
        help_text=_("region:<区划代码> 表示借用所在区县的中心点,并非园区实际位置;实测点写明来源。"),
    )
    description = models.TextField(_("简介"), blank=True)
    policies_html = models.TextField(_("政策(已净化 HTML)"), blank=True)
    contact_phone = models.CharField(_("办公电话"), max_length=40, blank=True)
    contact_address = models.CharField(_("办公地址"), max_length=200, blank=True)
    sources = models.TextField(_("资料来源"), blank=True, help_text=_("每行一个来源网址。"))
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("园区")
        verbose_name_plural = _("园区")
        ordering = ["name"]
        indexes = [models.Index(fields=["region", "is_active"])]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return park_label(self.slug, self.name, self.short_name)

    @property
    def local_name(self) -> str:
        """The full name in the page's language (English where `core.names` has one)."""
        return english_name("park", self.slug) or self.name

    @property
    def point_is_region_centre(self) -> bool:
        """The map point is the host region's centre, not the park's own location."""
        return self.coord_source.startswith("region:")

    def get_absolute_url(self) -> str:
        return reverse("parks:detail", args=[self.slug])


def park_label(slug: str, name: str, short_name: str) -> str:
    """A park's short label: its English name on English pages, else its short name or name
    (`Park.display_name`, and the search filters, which read these columns without a model)."""
    return english_name("park", slug) or short_name or name

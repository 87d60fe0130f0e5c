from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yuanqu.core.models import Region, TimeStampedModel
from yuanqu.parks.models import Park


class Carrier(TimeStampedModel):
    """A property offered to enterprises (载体): factory, land, office or warehouse."""

    class Kind(models.TextChoices):
        FACTORY = "factory", _("厂房")
        LAND = "land", _("土地")
        OFFICE = "office", _("写字楼")
        WAREHOUSE = "warehouse", _("仓库")

    class Deal(models.TextChoices):
        RENT = "rent", _("出租")
        SALE = "sale", _("出售")
        RENT_TO_BUY = "rent_to_buy", _("先租后买")

    class Status(models.TextChoices):
        AVAILABLE = "available", _("可租售")
        RESERVED = "reserved", _("已预定")
        TAKEN = "taken", _("已租售")
        WITHDRAWN = "withdrawn", _("下架")

    class PriceUnit(models.TextChoices):
        YUAN_M2_DAY = "yuan_m2_day", _("元/㎡·天")
        YUAN_M2_MONTH = "yuan_m2_month", _("元/㎡·月")
        YUAN_MONTH = "yuan_month", _("元/月")
        WAN_TOTAL = "wan_total", _("万元")
        WAN_PER_MU = "wan_per_mu", _("万元/亩")

    class TitleDeed(models.TextChoices):
        INDEPENDENT = "independent", _("独立产证")
        DIVISIBLE = "divisible", _("可分割产证")
        LAND_ONLY = "land_only", _("仅土地证")
        NONE = "none", _("无产证")

    class FireHazard(models.TextChoices):
        A = "A", _("甲类")
        B = "B", _("乙类")
        C = "C", _("丙类")
        D = "D", _("丁类")
        E = "E", _("戊类")

    class FireResistance(models.IntegerChoices):
        ONE = 1, _("一级")
        TWO = 2, _("二级")
        THREE = 3, _("三级")
        FOUR = 4, _("四级")

    title = models.CharField(_("标题"), max_length=120)
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    deal = models.CharField(_("交易方式"), max_length=12, choices=Deal.choices)
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.AVAILABLE
    )
    park = models.ForeignKey(
        Park, verbose_name=_("所属园区"), on_delete=models.PROTECT, related_name="carriers"
    )
    region = models.ForeignKey(
        Region, verbose_name=_("所在区县"), on_delete=models.PROTECT, related_name="carriers"
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    # WGS-84; a GCJ-02 shift is applied only for tile providers that need it.
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)

    building_area_m2 = models.DecimalField(
        _("建筑面积(㎡)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    land_area_m2 = models.DecimalField(
        _("占地面积(㎡)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    floors = models.PositiveSmallIntegerField(_("层数"), null=True, blank=True)
    floor_number = models.SmallIntegerField(_("所在楼层"), null=True, blank=True)
    height_m = models.DecimalField(_("层高(m)"), max_digits=5, decimal_places=2, null=True, blank=True)
    floor_load_t_m2 = models.DecimalField(
        _("承重(t/㎡)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    column_spacing_m = models.CharField(_("柱距(m)"), max_length=30, blank=True)
    span_m = models.DecimalField(_("跨度(m)"), max_digits=6, decimal_places=2, null=True, blank=True)
    power_current_kva = models.PositiveIntegerField(_("现配电容量(kVA)"), null=True, blank=True)
    power_available_kva = models.PositiveIntegerField(_("可配电容量(kVA)"), null=True, blank=True)
    crane_t = models.DecimalField(
        _("行车(t)"), max_digits=6, decimal_places=1, null=True, blank=True,
        help_text=_("最大行车吨位;空表示无行车。"),
    )
    has_freight_elevator = models.BooleanField(_("货梯"), default=False)
    has_clean_room = models.BooleanField(_("洁净车间"), default=False)
    independent_yard = models.BooleanField(_("独门独院"), default=False)
    eia_ok = models.BooleanField(_("可环评"), default=False)
    title_deed = models.CharField(_("产证"), max_length=12, choices=TitleDeed.choices, blank=True)
    fire_hazard_class = models.CharField(
        _("火灾危险性类别"), max_length=1, choices=FireHazard.choices, blank=True
    )
    fire_resistance_grade = models.PositiveSmallIntegerField(
        _("耐火等级"), choices=FireResistance.choices, null=True, blank=True
    )

    price_negotiable = models.BooleanField(_("价格面议"), default=False)
    price_value = models.DecimalField(
        _("价格"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    price_unit = models.CharField(_("价格单位"), max_length=16, choices=PriceUnit.choices, blank=True)
    # Normalised prices for filtering and matching, kept by the service that saves the carrier.
    price_yuan_m2_month = models.DecimalField(
        _("折算租金(元/㎡·月)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    price_wan_total = models.DecimalField(
        _("折算总价(万元)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    price_wan_per_mu = models.DecimalField(
        _("折算地价(万元/亩)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    property_fee_yuan_m2_month = models.DecimalField(
        _("物业费(元/㎡·月)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    payment_terms = models.CharField(_("押付方式"), max_length=40, blank=True)
    min_lease_years = models.PositiveSmallIntegerField(_("起租年限"), null=True, blank=True)
    description = models.TextField(_("描述"), blank=True)

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("负责人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="carriers",
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("最近确认时间"), null=True, blank=True)
    is_sample = models.BooleanField(
        _("示例数据"), default=False, help_text=_("演示用的生成数据,页面上会标明。")
    )

    class Meta:
        verbose_name = _("载体")
        verbose_name_plural = _("载体")
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["status", "kind", "deal"]),
            models.Index(fields=["park", "status"]),
            models.Index(fields=["region", "status"]),
            models.Index(fields=["confirmed_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(price_negotiable=True)
                | (Q(price_value__isnull=False) & ~Q(price_unit="")),
                name="carrier_price_or_negotiable",
            ),
            models.CheckConstraint(
                condition=Q(building_area_m2__isnull=True) | Q(building_area_m2__gt=0),
                name="carrier_building_area_positive",
            ),
            models.CheckConstraint(
                condition=Q(land_area_m2__isnull=True) | Q(land_area_m2__gt=0),
                name="carrier_land_area_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.title

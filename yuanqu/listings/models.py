import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
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
    longitude = models.DecimalField(
        _("经度"), max_digits=9, decimal_places=6, null=True, blank=True
    )

    building_area_m2 = models.DecimalField(
        _("建筑面积(㎡)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    land_area_m2 = models.DecimalField(
        _("占地面积(㎡)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    floors = models.PositiveSmallIntegerField(_("层数"), null=True, blank=True)
    floor_number = models.SmallIntegerField(_("所在楼层"), null=True, blank=True)
    height_m = models.DecimalField(
        _("层高(m)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    floor_load_t_m2 = models.DecimalField(
        _("承重(t/㎡)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    column_spacing_m = models.CharField(_("柱距(m)"), max_length=30, blank=True)
    span_m = models.DecimalField(
        _("跨度(m)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    power_current_kva = models.PositiveIntegerField(_("现配电容量(kVA)"), null=True, blank=True)
    power_available_kva = models.PositiveIntegerField(_("可配电容量(kVA)"), null=True, blank=True)
    crane_t = models.DecimalField(
        _("行车(t)"),
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
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
    price_unit = models.CharField(
        _("价格单位"), max_length=16, choices=PriceUnit.choices, blank=True
    )
    # Normalised prices for filtering and matching, kept by the service that saves the carrier.
    area_m2 = models.DecimalField(
        _("检索面积(㎡)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("土地取占地面积,其余取建筑面积;由保存载体的服务维护,供筛选和排序。"),
    )
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
        # Only selective indexes: status, kind, deal and the freshness cut-off each match most
        # rows, and SQLite (no statistics by default) walks such an index row by row, ten
        # times slower than scanning the table (measured on 50k carriers, docs/bench/carriers.md).
        indexes = [
            models.Index(fields=["park", "status"]),
            models.Index(fields=["region", "status"]),
            # Covering index for the public search: counts, facets and the ordering of a page
            # read only these columns, so SQLite scans this narrow index instead of the table
            # (about half the CPU on 50k carriers); the page's own rows are then read by id.
            models.Index(
                fields=[
                    "status",
                    "published_at",
                    "confirmed_at",
                    "kind",
                    "deal",
                    "region",
                    "park",
                    "area_m2",
                    "price_yuan_m2_month",
                    "price_wan_total",
                    "price_wan_per_mu",
                    "height_m",
                    "floor_load_t_m2",
                    "power_available_kva",
                    "crane_t",
                    "independent_yard",
                    "eia_ok",
                    "title_deed",
                    "fire_hazard_class",
                    "latitude",
                    "longitude",
                ],
                name="carrier_search_cover",
            ),  # fmt: skip
            # Need matching reads candidates by kind and an area range first (see
            # docs/bench/matching.md: 41 ms → 13 ms server time on PostgreSQL at 50k carriers).
            models.Index(fields=["kind", "building_area_m2"], name="carrier_kind_building_area"),
            models.Index(fields=["kind", "land_area_m2"], name="carrier_kind_land_area"),
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

    def get_absolute_url(self) -> str:
        return reverse("listings:detail", args=[self.pk])

    @property
    def is_land(self) -> bool:
        return self.kind == self.Kind.LAND

    def days_since_confirmed(self, *, now=None) -> int | None:
        if self.confirmed_at is None:
            return None
        return max(0, ((now or timezone.now()) - self.confirmed_at).days)

    def is_stale(self, *, now=None) -> bool:
        """Not confirmed for CARRIER_STALE_DAYS: shown with a badge and ranked lower."""
        days = self.days_since_confirmed(now=now)
        return days is None or days >= settings.CARRIER_STALE_DAYS

    def is_hidden_for_staleness(self, *, now=None) -> bool:
        days = self.days_since_confirmed(now=now)
        return days is None or days >= settings.CARRIER_HIDE_DAYS

    @property
    def is_public(self) -> bool:
        return (
            self.published_at is not None
            and self.status in PUBLIC_STATUSES
            and not self.is_hidden_for_staleness()
        )


PUBLIC_STATUSES = (Carrier.Status.AVAILABLE, Carrier.Status.RESERVED)


def stale_cutoff(now=None):
    return (now or timezone.now()) - timedelta(days=settings.CARRIER_STALE_DAYS)


def hide_cutoff(now=None):
    return (now or timezone.now()) - timedelta(days=settings.CARRIER_HIDE_DAYS)


def carrier_photo_path(instance: "CarrierPhoto", filename: str) -> str:
    # The stored name never reuses the uploaded one: it may carry personal data or path tricks.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"carriers/{instance.carrier_id}/{secrets.token_hex(8)}.{extension}"


class CarrierPhoto(TimeStampedModel):
    carrier = models.ForeignKey(
        Carrier, verbose_name=_("载体"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.ImageField(
        _("图片"), upload_to=carrier_photo_path, width_field="width", height_field="height"
    )
    thumbnail = models.ImageField(_("缩略图"), upload_to=carrier_photo_path, blank=True)
    width = models.PositiveIntegerField(_("宽"), default=0)
    height = models.PositiveIntegerField(_("高"), default=0)
    caption = models.CharField(_("说明"), max_length=100, blank=True)
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("载体图片")
        verbose_name_plural = _("载体图片")
        ordering = ["carrier", "position", "id"]

    def __str__(self) -> str:
        return self.caption or f"{self.carrier_id}-{self.pk}"


def new_token() -> str:
    return secrets.token_urlsafe(24)


class SavedSearch(TimeStampedModel):
    """A visitor's saved filter, told about new matching carriers by e-mail or SMS.

    Personal data (PIPL): email, mobile and consent_ip only; erased with the row on unsubscribe.
    """

    class Channel(models.TextChoices):
        EMAIL = "email", _("电子邮件")
        SMS = "sms", _("短信")

    class Frequency(models.TextChoices):
        INSTANT = "instant", _("即时提醒")
        WEEKLY = "weekly", _("每周汇总")

    class Status(models.TextChoices):
        PENDING = "pending", _("待验证")
        ACTIVE = "active", _("已生效")
        UNSUBSCRIBED = "unsubscribed", _("已退订")

    query_string = models.CharField(_("筛选条件"), max_length=1000)
    label = models.CharField(_("条件摘要"), max_length=200, blank=True)
    channel = models.CharField(_("提醒方式"), max_length=8, choices=Channel.choices)
    email = models.EmailField(_("电子邮件"), blank=True)
    mobile = models.CharField(_("手机号"), max_length=20, blank=True, help_text=_("E.164 格式"))
    frequency = models.CharField(
        _("频率"), max_length=8, choices=Frequency.choices, default=Frequency.INSTANT
    )
    status = models.CharField(
        _("状态"), max_length=14, choices=Status.choices, default=Status.PENDING
    )
    token = models.CharField(_("令牌"), max_length=64, unique=True, default=new_token)
    verification_code_hash = models.CharField(_("验证码摘要"), max_length=128, blank=True)
    verification_attempts = models.PositiveSmallIntegerField(_("验证尝试次数"), default=0)
    verification_sent_at = models.DateTimeField(_("验证发送时间"), null=True, blank=True)
    verified_at = models.DateTimeField(_("验证时间"), null=True, blank=True)
    consent_version = models.CharField(_("同意书版本"), max_length=20)
    consent_at = models.DateTimeField(_("同意时间"))
    consent_ip = models.GenericIPAddressField(_("同意时 IP"), null=True, blank=True)
    last_notified_at = models.DateTimeField(_("最近提醒时间"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("退订时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("订阅的搜索")
        verbose_name_plural = _("订阅的搜索")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "frequency"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="unsubscribed")
                | (Q(channel="email") & ~Q(email=""))
                | (Q(channel="sms") & ~Q(mobile="")),
                name="savedsearch_has_address",
            ),
        ]

    def __str__(self) -> str:
        return self.label or self.query_string[:60]

    def unsubscribe_path(self) -> str:
        return reverse("listings:saved_search_unsubscribe", args=[self.token])


class SavedSearchHit(models.Model):
    """A carrier that matched a saved search; sent at once or collected for the weekly digest."""

    saved_search = models.ForeignKey(SavedSearch, on_delete=models.CASCADE, related_name="hits")
    carrier = models.ForeignKey(Carrier, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(_("匹配时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("订阅匹配")
        verbose_name_plural = _("订阅匹配")
        constraints = [
            models.UniqueConstraint(fields=["saved_search", "carrier"], name="savedsearchhit_once")
        ]
        indexes = [models.Index(fields=["saved_search", "sent_at"])]

    def __str__(self) -> str:
        return f"{self.saved_search_id}→{self.carrier_id}"


class FreshnessReminder(models.Model):
    """One reminder per carrier, stage and confirmation, so the daily job never repeats one."""

    class Stage(models.TextChoices):
        STALE = "stale", _("即将标记为待确认")
        HIDE = "hide", _("即将隐藏")

    carrier = models.ForeignKey(Carrier, on_delete=models.CASCADE, related_name="reminders")
    stage = models.CharField(_("阶段"), max_length=8, choices=Stage.choices)
    confirmed_at = models.DateTimeField(_("对应的确认时间"))
    sent_at = models.DateTimeField(_("发送时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("新鲜度提醒")
        verbose_name_plural = _("新鲜度提醒")
        constraints = [
            models.UniqueConstraint(
                fields=["carrier", "stage", "confirmed_at"], name="freshnessreminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.carrier_id} {self.stage}"


class CatalogueVersion(models.Model):
    """One row: a number bumped after every change to the public catalogue.

    Kept in the database (not the cache) so every process sees the same value: each request
    reads it once and rebuilds its in-process catalogue index and cache keys when it moved.
    """

    generation = models.BigIntegerField(_("版本"), default=1)

    class Meta:
        verbose_name = _("载体目录版本")
        verbose_name_plural = _("载体目录版本")

    def __str__(self) -> str:
        return str(self.generation)

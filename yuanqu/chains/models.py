"""Industry-chain templates (a tree of links, each with the GB/T 4754 codes and trade words
that place a firm, a project or a need in it) and the chains each park pursues. Coverage is
computed from the registry, the pipeline and the leads, never typed in."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yuanqu.parks.models import Park


class Chain(models.Model):
    slug = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=40, unique=True)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    sources = models.TextField(
        _("来源"), blank=True, help_text=_("模板所依据的公开资料,一行一条。")
    )
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("产业链")
        verbose_name_plural = _("产业链")
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.name


class ChainLink(models.Model):
    class Position(models.TextChoices):
        UPSTREAM = "upstream", _("上游")
        MIDSTREAM = "midstream", _("中游")
        DOWNSTREAM = "downstream", _("下游")
        SERVICES = "services", _("配套服务")

    chain = models.ForeignKey(
        Chain, verbose_name=_("产业链"), on_delete=models.CASCADE, related_name="links"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级环节"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    name = models.CharField(_("环节"), max_length=40)
    position = models.CharField(_("位置"), max_length=12, choices=Position.choices)
    codes = models.CharField(
        _("行业代码"),
        max_length=200,
        blank=True,
        help_text=_("GB/T 4754-2017 中类或小类,用分号分隔,如 3514;3515。"),
    )
    keywords = models.CharField(
        _("关键词"),
        max_length=300,
        blank=True,
        help_text=_("企业名称或需求里会出现的行业用语,用分号分隔,如 液压;油缸。"),
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("产业链环节")
        verbose_name_plural = _("产业链环节")
        ordering = ["chain_id", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["chain", "name"], name="chain_link_name_unique")
        ]

    def __str__(self) -> str:
        return f"{self.chain}「{self.name}」"

    def clean(self) -> None:
        """The admin's edits keep the tree a tree and every code a GB/T 4754 中类 or 小类."""
        from django.core.exceptions import ValidationError

        from yuanqu.core.models import Industry

        errors: dict[str, Any] = {}
        if self.parent_id is not None:
            if self.parent is not None and self.parent.chain_id != self.chain_id:
                errors["parent"] = _("上级环节须属于同一条产业链。")
            ancestor, seen = self.parent, set()
            while ancestor is not None and ancestor.pk not in seen:
                if self.pk is not None and ancestor.pk == self.pk:
                    errors["parent"] = _("上级环节不能是本环节或它的下级(会形成循环)。")
                    break
                seen.add(ancestor.pk)
                ancestor = ancestor.parent
        codes = self.code_list()
        known = set(
            Industry.objects.filter(code__in=codes, level__in=(3, 4)).values_list("code", flat=True)
        )
        unknown = [code for code in codes if code not in known]
        if unknown:
            errors["codes"] = _("不是 GB/T 4754-2017 的中类或小类:%s") % "、".join(unknown)
        if errors:
            raise ValidationError(errors)

    def code_list(self) -> list[str]:
        return split_list(self.codes)

    def keyword_list(self) -> list[str]:
        return split_list(self.keywords)


def split_list(text: str) -> list[str]:
    """Items of a `;`-separated field (full-width ;、and commas accepted too)."""
    for mark in (";", "、", ",", ","):
        text = text.replace(mark, ";")
    return [item.strip() for item in text.split(";") if item.strip()]


class ParkChain(models.Model):
    """A chain a park pursues (主导产业), with its priority for the 招商 target list."""

    park = models.ForeignKey(
        Park, verbose_name=_("园区"), on_delete=models.CASCADE, related_name="pursued_chains"
    )
    chain = models.ForeignKey(
        Chain, verbose_name=_("产业链"), on_delete=models.CASCADE, related_name="park_choices"
    )
    priority = models.PositiveSmallIntegerField(
        _("优先级"), default=2, help_text=_("1 最高;招商目标清单按它排序。")
    )

    class Meta:
        verbose_name = _("园区主攻产业链")
        verbose_name_plural = _("园区主攻产业链")
        ordering = ["park_id", "priority", "chain__sort_order"]
        constraints = [models.UniqueConstraint(fields=["park", "chain"], name="park_chain_unique")]

    def __str__(self) -> str:
        return f"{self.park}:{self.chain}"


class LinkOverride(models.Model):
    """A staff correction of where an enterprise, project or lead sits in a chain: added to
    a link it was not placed in, or taken out of one it was. Coverage applies these after
    the automatic placing."""

    class Kind(models.TextChoices):
        ENTERPRISE = "enterprise", _("企业")
        PROJECT = "project", _("项目")
        LEAD = "lead", _("线索")

    link = models.ForeignKey(
        ChainLink, verbose_name=_("环节"), on_delete=models.CASCADE, related_name="overrides"
    )
    kind = models.CharField(_("对象类型"), max_length=12, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField(_("对象"))
    included = models.BooleanField(_("归入"), help_text=_("否:从自动归入的环节中移出。"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("修改人"), null=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("环节归属修正")
        verbose_name_plural = _("环节归属修正")
        constraints = [
            models.UniqueConstraint(
                fields=["link", "kind", "object_id"], name="chain_override_unique"
            )
        ]
        indexes = [models.Index(fields=["kind", "object_id"])]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id} {'+' if self.included else '−'} {self.link_id}"


class CompletenessSnapshot(models.Model):
    """A park's chain completeness in a month, recorded daily (the month's row keeps the
    last day's figures), so the dashboard can show it over time."""

    park = models.ForeignKey(Park, verbose_name=_("园区"), on_delete=models.CASCADE)
    chain = models.ForeignKey(Chain, verbose_name=_("产业链"), on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField(_("年"))
    month = models.PositiveSmallIntegerField(_("月"))
    completeness_pct = models.DecimalField(_("完整度%"), max_digits=5, decimal_places=1, null=True)
    strong = models.PositiveSmallIntegerField(_("强链"), default=0)
    weak = models.PositiveSmallIntegerField(_("弱链"), default=0)
    missing = models.PositiveSmallIntegerField(_("缺链"), default=0)
    recorded_at = models.DateTimeField(_("记录时间"), auto_now=True)

    class Meta:
        verbose_name = _("产业链完整度记录")
        verbose_name_plural = _("产业链完整度记录")
        ordering = ["park_id", "chain_id", "year", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["park", "chain", "year", "month"], name="chain_snapshot_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.park_id}:{self.chain_id}:{self.year}-{self.month:02d}"

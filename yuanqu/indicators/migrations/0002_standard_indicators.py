"""The standard indicators a zone is judged by (editable in the admin afterwards)."""

from django.db import migrations

# code, name, aliases, unit, kind, precision, growth_only, registry_count
STANDARD = [
    ("industrial_output", "规上工业总产值", "规模以上工业总产值、规上工业产值", "亿元", "cumulative", 2, False, ""),
    ("industrial_value_added", "规上工业增加值", "规模以上工业增加值", "亿元", "cumulative", 1, True, ""),
    ("public_budget_revenue", "一般公共预算收入", "一般预算收入", "亿元", "cumulative", 2, False, ""),
    ("tax_revenue", "税收收入", "税收", "亿元", "cumulative", 2, False, ""),
    ("fixed_asset_investment", "固定资产投资", "固定资产投资额、固投", "亿元", "cumulative", 2, False, ""),
    ("industrial_investment", "工业投资", "工业固定资产投资", "亿元", "cumulative", 2, False, ""),
    ("tech_renovation_investment", "工业技改投资", "技改投资、工业技术改造投资", "亿元", "cumulative", 2, False, ""),
    ("foreign_capital", "实际使用外资", "实际利用外资、实际使用外资金额", "万美元", "cumulative", 0, False, ""),
    ("foreign_trade", "进出口总额", "外贸进出口总额、进出口", "亿元", "cumulative", 2, False, ""),
    ("retail_sales", "社会消费品零售总额", "社零额、社会消费品零售额", "亿元", "cumulative", 2, False, ""),
    ("industrial_enterprises", "规上工业企业数", "规模以上工业企业数", "家", "point", 0, False, "above_scale_industry"),
    ("new_above_scale_enterprises", "新增四上企业数", "新增四上企业", "家", "cumulative", 0, False, "new_above_scale"),
    ("high_tech_enterprises", "高新技术企业数", "高企数、高新技术企业", "家", "point", 0, False, "high_tech"),
]  # fmt: skip


def seed(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    for order, (code, name, aliases, unit, kind, precision, growth_only, registry) in enumerate(
        STANDARD, start=1
    ):
        Indicator.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "aliases": aliases,
                "unit": unit,
                "kind": kind,
                "precision": precision,
                "growth_only": growth_only,
                "registry_count": registry,
                "sort_order": order * 10,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

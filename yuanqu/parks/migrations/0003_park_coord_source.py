from django.db import migrations, models


def mark_borrowed_points(apps, schema_editor):
    """Parks loaded before this field whose point is their region's say so."""
    Park = apps.get_model("parks", "Park")
    for park in Park.objects.select_related("region").exclude(latitude=None):
        region = park.region
        if (park.latitude, park.longitude) == (region.latitude, region.longitude):
            park.coord_source = f"region:{region.code}"
            park.save(update_fields=["coord_source"])


class Migration(migrations.Migration):
    dependencies = [
        ("parks", "0002_park_industrial_land_mu"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="park",
            name="coord_source",
            field=models.CharField(
                blank=True,
                help_text="region:<区划代码> 表示借用所在区县的中心点,并非园区实际位置;实测点写明来源。",
                max_length=60,
                verbose_name="坐标来源",
            ),
        ),
        migrations.RunPython(mark_borrowed_points, migrations.RunPython.noop),
    ]

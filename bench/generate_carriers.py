"""Generate a benchmark catalogue: N parks and M carriers (default 200 and 50,000).

    YUANQU_VAR_DIR=/tmp/bench-var .venv/bin/python bench/generate_carriers.py            # SQLite
    DATABASE_URL=postgres://root@127.0.0.1:5432/DB .venv/bin/python bench/generate_carriers.py

Run `manage.py migrate` (and `load_reference_data` for real district names) on that database
first. Parks are named 基准园区N and their carriers are marked is_sample; a rerun deletes and
recreates them, so the figures always come from the same data (fixed seed). Carriers are
bulk-inserted with the same normalisation the services apply (services.normalised_prices).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from yuanqu.core.models import Region  # noqa: E402
from yuanqu.listings.catalogue_index import changed_on_commit as catalogue_changed_on_commit  # noqa: E402
from yuanqu.listings.demo import generate_values  # noqa: E402
from yuanqu.listings.models import Carrier  # noqa: E402
from yuanqu.listings.services import carrier_search_area, normalised_prices  # noqa: E402
from yuanqu.parks.models import Park  # noqa: E402

SEED = 4754
PREFIX = "基准园区"
COUNTIES = [
    ("320302", "鼓楼区"), ("320303", "云龙区"), ("320305", "贾汪区"), ("320311", "泉山区"),
    ("320312", "铜山区"), ("320321", "丰县"), ("320322", "沛县"), ("320324", "睢宁县"),
    ("320381", "新沂市"), ("320382", "邳州市"),
]  # fmt: skip


def regions() -> list[Region]:
    city, _ = Region.objects.get_or_create(
        code="320300", defaults={"name": "徐州市", "level": Region.Level.PREFECTURE}
    )
    found = []
    for code, name in COUNTIES:
        region, _ = Region.objects.get_or_create(
            code=code, defaults={"name": name, "level": Region.Level.COUNTY, "parent": city}
        )
        found.append(region)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--parks", type=int, default=200)
    parser.add_argument("--carriers", type=int, default=50_000)
    args = parser.parse_args()
    rng = random.Random(SEED)
    started = time.perf_counter()
    with transaction.atomic():
        old = Park.objects.filter(name__startswith=PREFIX)
        Carrier.objects.filter(park__in=old).delete()
        old.delete()
        counties = regions()
        parks = [
            Park(
                name=f"{PREFIX}{number}",
                short_name=f"基准{number}",
                slug=f"bench-park-{number}",
                level=rng.choice(["national", "provincial", "city"]),
                kind=rng.choice(["etdz", "htz", "industrial", "economic", "specialised"]),
                region=rng.choice(counties),
                latitude=Decimal(str(round(rng.uniform(34.0, 34.7), 6))),
                longitude=Decimal(str(round(rng.uniform(116.6, 118.3), 6))),
            )
            for number in range(1, args.parks + 1)
        ]
        Park.objects.bulk_create(parks)
        parks = list(Park.objects.filter(name__startswith=PREFIX).select_related("region"))
        now = timezone.now()
        batch: list[Carrier] = []
        for number in range(args.carriers):
            park = rng.choice(parks)
            values = generate_values(rng, park, number)
            carrier = Carrier(park=park, region_id=park.region_id, is_sample=True, **values)
            carrier.area_m2 = carrier_search_area(values=values)
            for field, value in normalised_prices(values=values).items():
                setattr(carrier, field, value)
            age = rng.choices(
                [rng.randint(0, 60), rng.randint(91, 170), rng.randint(181, 220)],
                weights=[80, 15, 5],
            )[0]
            carrier.confirmed_at = now - timedelta(days=age, minutes=rng.randint(0, 1440))
            carrier.published_at = carrier.confirmed_at - timedelta(days=rng.randint(0, 90))
            batch.append(carrier)
            if len(batch) >= 2000:
                Carrier.objects.bulk_create(batch)
                batch.clear()
        Carrier.objects.bulk_create(batch)
        # bulk_create sends no signals and bypasses the services: tell running servers.
        catalogue_changed_on_commit()
    elapsed = time.perf_counter() - started
    print(f"{args.parks} parks and {args.carriers} carriers in {elapsed:.1f} s")


if __name__ == "__main__":
    main()

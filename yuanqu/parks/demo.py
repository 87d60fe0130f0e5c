"""Parks need no demo content: the real zones come from the reference loader (parks.csv).

Kept so the demo command finds a loader per app; it only reports what is there.
"""

from __future__ import annotations

from yuanqu.parks.models import Park


def load_demo(*, stdout) -> None:
    count = Park.objects.filter(is_active=True).count()
    stdout.write(f"parks: {count} parks from the reference data (no demo parks added)")

"""Demo: load the chain templates and let each park pursue the chains its leading
industries fall in (by how many of its leading industries a chain covers). Idempotent: a
park that already has chains is left as it is."""

from __future__ import annotations

from typing import Any

from yuanqu.chains import calculations as calc
from yuanqu.chains import loader
from yuanqu.chains.models import Chain, ParkChain
from yuanqu.parks.models import Park


def load_demo(*, stdout: Any) -> None:
    stdout.write(loader.load_templates().summary())
    chains = list(Chain.objects.prefetch_related("links"))
    indexes = {
        chain.pk: calc.LinkIndex(
            calc.LinkSpec(link.pk, tuple(link.code_list()), ()) for link in chain.links.all()
        )
        for chain in chains
    }
    chosen = 0
    for park in Park.objects.filter(is_active=True).prefetch_related("leading_industries"):
        if ParkChain.objects.filter(park=park).exists():
            continue
        codes = [industry.code for industry in park.leading_industries.all()]
        overlap = {
            chain_id: sum(1 for code in codes if index.for_code(code))
            for chain_id, index in indexes.items()
        }
        ranked = sorted((n, -chain_id) for chain_id, n in overlap.items() if n)
        for priority, (_n, negative_id) in enumerate(reversed(ranked), start=1):
            ParkChain.objects.create(park=park, chain_id=-negative_id, priority=priority)
            chosen += 1
    stdout.write(f"chains: {chosen} park choices added")
    from yuanqu.chains.services import completeness_record

    stdout.write(f"chains: {completeness_record()} completeness rows for this month")

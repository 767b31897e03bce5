"""Metrics of the matcher on a labelled set (the format of shared/data/matching/dev.json)."""
from dataclasses import dataclass
from datetime import date
from typing import Optional

from forum.matching.engine import THRESHOLD, build_index, rank_resources


@dataclass(frozen=True)
class Metrics:
    needs: int
    with_relevant: int
    without_relevant: int
    hit_at_1: float
    hit_at_3: float
    mrr: float
    abstained: float          # share of needs without a relevant resource left without suggestion
    threshold: float

    def lines(self) -> list[str]:
        return [
            f"needs: {self.needs} ({self.with_relevant} with a relevant resource, "
            f"{self.without_relevant} without)",
            f"threshold: {self.threshold:g}",
            f"hit@1: {self.hit_at_1:.3f}",
            f"hit@3: {self.hit_at_3:.3f}",
            f"MRR: {self.mrr:.3f}",
            f"no-match needs left without suggestion: {self.abstained:.3f}",
        ]


def rankings(needs, resources, *, place_names=(), today: Optional[date] = None,
             threshold: float = THRESHOLD) -> dict:
    """{need id: [resource id, …]} best first, only suggestions above the threshold."""
    index = build_index(resources, place_names=place_names)
    return {need.id: [s.id for s in rank_resources(need, index, today=today, limit=None, threshold=threshold)]
            for need in needs}


def evaluate(ranked: dict, relevant: dict, threshold: float = THRESHOLD) -> Metrics:
    """`ranked`: need id → ranked resource ids; `relevant`: need id → set of resource ids."""
    hits1 = hits3 = rr = 0.0
    with_relevant = without = abstained = 0
    for need_id, wanted in relevant.items():
        got = ranked.get(need_id, [])
        if not wanted:
            without += 1
            abstained += not got
            continue
        with_relevant += 1
        rank = next((i for i, rid in enumerate(got, 1) if rid in wanted), None)
        if rank is not None:
            hits1 += rank == 1
            hits3 += rank <= 3
            rr += 1 / rank
    n = max(with_relevant, 1)
    return Metrics(
        needs=len(relevant), with_relevant=with_relevant, without_relevant=without,
        hit_at_1=hits1 / n, hit_at_3=hits3 / n, mrr=rr / n,
        abstained=(abstained / without) if without else 1.0, threshold=threshold,
    )

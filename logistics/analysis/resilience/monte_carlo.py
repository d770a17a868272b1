"""A seeded Monte Carlo of random supplier outages and link closures."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Required, TypedDict

import numpy as np

from logistics.analysis.resilience.designs import better_design
from logistics.clock import Weekday
from logistics.pipeline.batch import Evaluator, Outcome
from logistics.scenarios.disruptions import RoadClosure, SupplierOutage
from logistics.scenarios.schema import Scenario

PERCENTILES = (5, 50, 95)


@dataclass(frozen=True)
class Sample:
    """One random disruption of the Monte Carlo."""

    kind: str  # "supplier_outage" or "link_closure"
    disruption: SupplierOutage | RoadClosure

    def describe(self) -> str:
        entry = self.disruption
        if isinstance(entry, SupplierOutage):
            return f"{entry.supplier} out {'-'.join((entry.days[0], entry.days[-1]))}"
        return f"way {entry.way_ids[0]} closed all week"


def draw_samples(count: int, seed: int, suppliers: Sequence[str], days: Sequence[Weekday],
                 ways: Sequence[int]) -> list[Sample]:
    """``count`` random disruptions from ``seed``: each a supplier outage (random
    supplier, first day and length) or, when ``ways`` are given, with probability one
    half, the closure of a random way for the week. Same seed, same samples."""
    rng = np.random.default_rng(seed)
    suppliers, ways = sorted(suppliers), sorted(ways)
    samples = []
    for number in range(count):
        if ways and rng.random() < 0.5:
            way = int(ways[int(rng.integers(len(ways)))])
            samples.append(Sample("link_closure", RoadClosure(
                label=f"monte-carlo {number}: way {way}", way_ids=(way,))))
            continue
        supplier = suppliers[int(rng.integers(len(suppliers)))]
        start = int(rng.integers(len(days)))
        length = int(rng.integers(1, len(days) - start + 1))
        samples.append(Sample("supplier_outage", SupplierOutage(
            label=f"monte-carlo {number}: {supplier} out", supplier=supplier,
            days=tuple(days[start:start + length]))))
    return samples


def percentiles(values: Sequence[float]) -> Percentiles:
    """5th, 50th (median) and 95th percentile (linear interpolation)."""
    p5, p50, p95 = np.percentile(np.asarray(values, dtype=float), PERCENTILES)
    return {"p5": float(p5), "median": float(p50), "p95": float(p95)}


class Percentiles(TypedDict):
    p5: float
    median: float
    p95: float


class DesignSpread(TypedDict):
    """A design's served share and extra cost per week over the samples."""

    served_demand_share: Percentiles
    extra_cost_nok: Percentiles


class MonteCarloJson(TypedDict, total=False):
    """``monte_carlo`` of a resilience report (``samples`` alone when none was drawn;
    ``link_closures`` says why none closed a link). Each row of ``per_sample`` holds
    ``sample``, ``kind``, ``disruption`` and, per design, its served share and extra
    cost."""

    samples: Required[int]
    kinds: dict[str, int]
    designs: dict[str, DesignSpread]
    holds_up_better: dict[str, str]
    per_sample: list[dict[str, object]]
    link_closures: str


def monte_carlo(evaluator: Evaluator, variants: Mapping[str, Scenario],
                normals: Mapping[str, Outcome], samples: Sequence[Sample]) -> MonteCarloJson:
    """Service level and extra cost per week of each design over the samples (each
    sample added to the undisrupted design), as percentiles and per sample."""
    names = list(variants)
    batch = [variants[name].with_overrides({"disruptions": [sample.disruption],
                                            "name": f"{variants[name].name}-mc{number}"})
             for number, sample in enumerate(samples) for name in names]
    outcomes = evaluator.evaluate(batch, source="monte carlo")
    rows = []
    served: dict[str, list[float]] = defaultdict(list)
    extra: dict[str, list[float]] = defaultdict(list)
    for number, sample in enumerate(samples):
        row: dict[str, object] = {"sample": number, "kind": sample.kind,
                                  "disruption": sample.describe()}
        for k, name in enumerate(names):
            kpi = outcomes[number * len(names) + k].kpi_week
            share = kpi["served_demand_share"]
            cost = kpi["cost_nok"] - normals[name].kpi_week["cost_nok"]
            served[name].append(share)
            extra[name].append(cost)
            row[name] = {"served_demand_share": share, "extra_cost_nok": cost}
        rows.append(row)
    summary: dict[str, DesignSpread] = {
        name: {"served_demand_share": percentiles(served[name]),
               "extra_cost_nok": percentiles(extra[name])} for name in names}
    better: dict[str, str] = {}
    if len(names) > 1:
        better = {"served_demand_share_p5": better_design(
                      {n: summary[n]["served_demand_share"]["p5"] for n in names}, True),
                  "served_demand_share_median": better_design(
                      {n: summary[n]["served_demand_share"]["median"] for n in names}, True),
                  "extra_cost_nok_median": better_design(
                      {n: summary[n]["extra_cost_nok"]["median"] for n in names}, False)}
    return {"samples": len(samples), "kinds": dict(Counter(s.kind for s in samples)),
            "designs": summary, "holds_up_better": better, "per_sample": rows}

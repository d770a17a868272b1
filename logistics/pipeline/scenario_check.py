"""Checking a scenario against everything it names, before anything is solved.

``logistics validate``, every run, resilience and the API make these same checks, so
what ``validate`` passes, ``run`` accepts. Every problem comes in one list.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from logistics.accounting.routes import AccountingContext
from logistics.clock import Weekday
from logistics.errors import InputError, Problem, ProblemCollector
from logistics.model.dataset import DataSet, load_dataset
from logistics.model.demand import load_orders, orders_from_demand_model
from logistics.model.domain import Order
from logistics.plan.builder import scenario_disruptions
from logistics.plan.channels import NO_CHANNELS, ChannelTable, load_channels
from logistics.plan.disruptions import Disruptions
from logistics.plan.reuse import ReuseFlow, ReuseItem, load_reuse
from logistics.plan.sites import site_points
from logistics.scenarios.files import merged_document, repaired_scenario, scenario_from_mapping
from logistics.scenarios.schema import Scenario, check_references
from logistics.travel.base import TravelModel
from logistics.travel.factory import make_travel_model


@dataclass(frozen=True)
class CheckedScenario:
    """A scenario checked against everything it names, with everything the check built:
    planning and running take this and never check again."""

    scenario: Scenario
    source: str
    dataset: DataSet
    travel: TravelModel
    orders: tuple[Order, ...]  # the goods orders (reuse flows are not among them)
    reuse_flows: tuple[ReuseFlow, ...]
    reuse_items: Mapping[str, ReuseItem]
    channels: ChannelTable
    disruptions: Disruptions
    context: AccountingContext

    @property
    def notes(self) -> tuple[str, ...]:
        """What the check noticed that is not a problem (disruptions that change nothing)."""
        return self.disruptions.notes


def check_scenario(scenario: Scenario, source: str = "scenario", *,
                   dataset: DataSet | None = None,
                   travel: TravelModel | None = None) -> CheckedScenario:
    """Check a validated scenario against everything it names: the data set and its
    ids, the orders and reuse files, the accounting choices and factor tables, the road
    network (it must cover the sites) and the disruptions. ``logistics validate`` and
    every run make these same checks. Raises one :class:`InputError` with every problem
    found; ``study`` and ``travel`` may be given when already loaded."""
    problems = ProblemCollector()
    attempt = problems.attempt
    dataset = dataset or attempt(lambda: load_dataset(scenario.resolve(scenario.dataset_dir)))
    travel = travel or attempt(lambda: make_travel_model(scenario.travel))
    if dataset is None:
        problems.raise_if_any()  # the data set failed to load, which is a problem
    assert dataset is not None
    loaded = dataset
    known_before = len(problems.problems)
    attempt(lambda: check_references(
        scenario, source, {h.id for h in loaded.hubs}, set(loaded.vehicle_types),
        loaded.category_classes))
    references_known = len(problems.problems) == known_before
    orders = attempt(lambda: scenario_orders(scenario, loaded))
    reuse = attempt(lambda: scenario_reuse(scenario, loaded))
    channels = attempt(lambda: scenario_channels(scenario, loaded))
    context = None
    if references_known:  # the accounts look up the hub and vehicles by id
        context = attempt(lambda: AccountingContext.for_scenario(scenario, loaded, source))
    disruptions = None
    if travel is not None:
        model = travel
        attempt(lambda: model.check_covers(site_points(loaded)))
        disruptions = attempt(lambda: scenario_disruptions(scenario, loaded, model, source))
    problems.raise_if_any()
    # any failure to load or build is a problem, so everything is here
    assert (travel is not None and orders is not None and reuse is not None
            and channels is not None and context is not None and disruptions is not None)
    return CheckedScenario(scenario, source, dataset, travel, orders, *reuse, channels,
                           disruptions, context)


def scenario_reuse(scenario: Scenario, dataset: DataSet) -> tuple[
        tuple[ReuseFlow, ...], dict[str, ReuseItem]]:
    """The scenario's reuse flows and item table; none without a ``reuse`` section."""
    if scenario.reuse is None:
        return (), {}
    return load_reuse(scenario.resolve(scenario.reuse.flows_file),
                      scenario.resolve(scenario.reuse.items_file), {u.id for u in dataset.units})


def check_document(document: Mapping[str, object], source: str) -> tuple[Scenario, CheckedScenario]:
    """Validate a merged scenario mapping and check it against everything it names;
    field problems and reference problems come in one list."""
    try:
        scenario = scenario_from_mapping(document, source)
    except InputError as fields:
        problems = ProblemCollector()
        problems.extend(fields.problems)
        repaired = repaired_scenario(document)
        if repaired is not None:
            problems.attempt(lambda: check_scenario(repaired, source))
        raise InputError(problems.problems) from None
    return scenario, check_scenario(scenario, source)


def check_file(path: Path) -> tuple[Scenario, CheckedScenario]:
    """:func:`check_document` of a scenario file merged with its bases."""
    return check_document(merged_document(path), str(path))


def scenario_orders(scenario: Scenario, dataset: DataSet) -> tuple[Order, ...]:
    """The scenario's goods orders: its orders file, or the demand model. No orders at
    all is an input problem, never an empty result."""
    if scenario.orders_file:
        path = scenario.resolve(scenario.orders_file)
        orders = load_orders(path, dataset)
        if scenario.design == "direct":
            check_observed_days(orders, scenario.days, str(path))
        where, allowed = str(path), "at least one order row"
    else:
        orders = orders_from_demand_model(dataset)
        where, allowed = "demand model", ("a positive rate in demand_rates.csv for a unit "
                                          "type of units.csv with size > 0")
    if not orders:
        raise InputError([Problem(where, "", "orders", "no orders", allowed)])
    return orders


def check_observed_days(orders: tuple[Order, ...], days: tuple[Weekday, ...],
                        source: str) -> None:
    """Observed delivery days that the direct design replays must be planning days."""
    problems = ProblemCollector()
    for order in orders:
        outside = [d for d in order.delivery_days or () if d not in days]
        if outside:
            problems.add(source, f"id={order.id}", "delivery_days",
                         ";".join(order.delivery_days or ()),
                         f"days among the scenario's planning days ({';'.join(days)})")
    problems.raise_if_any()
def scenario_channels(scenario: Scenario, dataset: DataSet) -> ChannelTable:
    """The scenario's channels (who carries which flows) and the carriers' rates;
    every flow by its supplier's own fleet when the scenario names no channels file."""
    spec = scenario.channels
    if spec.file is None:
        return NO_CHANNELS
    return load_channels(scenario.resolve(spec.file), scenario.resolve(spec.rates_file),
                         (s.id for s in dataset.suppliers), (c.id for c in dataset.categories),
                         dataset.vehicle_types)

"""``/v1/catalogue``: what a scenario may name, read from a data set folder (the shipped
Bergen study by default, or an uploaded one): goods categories, vehicle types, hubs with
their capacity and opening hours, unit types with their demand rates, the disruption
types, and the KPIs with their units.

Every quantity carries its unit in its field name, as in the data set files.
"""

from __future__ import annotations

import typing
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from api.context import Context, ReadKey
from api.models import KPI_UNITS, kpi_description
from api.paths import PATH_PATTERN, Roots
from api.problems import ApiProblem, problem_responses
from logistics.accounting.kpi import KPI_COLUMNS
from logistics.clock import format_windows
from logistics.model.dataset import DataSet, load_dataset
from logistics.model.domain import Category, DemandRate, UnitType, VehicleType
from logistics.scenarios.disruptions import Disruption

router = APIRouter(prefix="/catalogue", tags=["catalogue"])
DataSetDir = Annotated[str, Query(
    max_length=300, json_schema_extra={"pattern": PATH_PATTERN}, description=(
    "the data set folder to read, as a scenario's dataset_dir names it: data/bergen (shipped) "
    "or uploads/datasets/<name>"))]
ERRORS = problem_responses(401, 403, 404, 422, 429)
SHIPPED_DATASET = "data/bergen"


class HubEntry(BaseModel):
    """A hub a consolidated scenario may name in ``hub``."""

    id: str
    name: str
    area: str = Field(description="the logistics area it lies in")
    lon: float = Field(description="WGS84 longitude (degrees)")
    lat: float = Field(description="WGS84 latitude (degrees)")
    opening_hhmm: str = Field(description="opening hours, 'HH:MM-HH:MM' (';' between)")
    capacity_kg_per_day: float
    floor_area_m2: float
    handling_cost_nok_per_kg: float
    fixed_cost_nok_per_year: float | None = Field(
        description="null: floor area times rent plus coordination (hub_costs.csv)")
    price_year: int = Field(description="the year its NOK are in prices of")
    illustrative: bool = Field(description="an illustrative site, not a real lease")


class UnitTypeEntry(BaseModel):
    """A unit type: how many units of the data set have it and its demand rates."""

    unit_type: str
    units: int = Field(description="units of this type in the data set (count)")
    demand_rates: list[DemandRate] = Field(description="weekly kg per unit of size "
                                                       "(child, pupil, bed) by category; "
                                                       "none: its units need an orders file")


class DisruptionField(BaseModel):
    name: str
    required: bool
    description: str


class DisruptionType(BaseModel):
    """A disruption a scenario may list in ``disruptions`` (``type`` names it)."""

    type: str
    description: str
    fields: list[DisruptionField]


class KpiEntry(BaseModel):
    """A KPI of the run summaries and comparisons."""

    kpi: str
    unit: str
    description: str = Field(description="what it measures, with its unit")


def _study(roots: Roots, dataset_dir: str) -> DataSet:
    """The data set folder ``dataset_dir`` names, resolved inside the roots and loaded."""
    folder = roots.resolve(dataset_dir, "dataset_dir", "query")
    if not folder.is_dir():
        raise ApiProblem(404, f"no data set folder {dataset_dir!r}; see GET /v1/uploads/datasets")
    return load_dataset(folder)


@router.get("/categories", responses=ERRORS)
def categories(state: Context, _: ReadKey, dataset_dir: DataSetDir = SHIPPED_DATASET
               ) -> list[Category]:
    """Goods categories: ids a scenario's ``frequency_per_week`` may use, each with the
    temperature class it travels in (a class may be used as a key too)."""
    return list(_study(state.roots, dataset_dir).categories)


@router.get("/vehicle-types", responses=ERRORS)
def vehicle_types(state: Context, _: ReadKey, dataset_dir: DataSetDir = SHIPPED_DATASET
                  ) -> list[VehicleType]:
    """Vehicle types a fleet entry may name, with capacities, energy use and costs."""
    return list(_study(state.roots, dataset_dir).vehicle_types.values())


@router.get("/hubs", responses=ERRORS)
def hubs(state: Context, _: ReadKey, dataset_dir: DataSetDir = SHIPPED_DATASET) -> list[HubEntry]:
    """Hubs a consolidated scenario may name, with capacity and opening hours."""
    return [HubEntry(id=hub.id, name=hub.name, area=hub.area, lon=hub.lon, lat=hub.lat,
                     opening_hhmm=format_windows(hub.opening),
                     capacity_kg_per_day=hub.capacity_kg_per_day,
                     floor_area_m2=hub.floor_area_m2,
                     handling_cost_nok_per_kg=hub.handling_cost_nok_per_kg,
                     fixed_cost_nok_per_year=hub.fixed_cost_nok_per_year,
                     price_year=hub.price_year, illustrative=hub.illustrative)
            for hub in _study(state.roots, dataset_dir).hubs]


@router.get("/unit-types", responses=ERRORS)
def unit_types(state: Context, _: ReadKey, dataset_dir: DataSetDir = SHIPPED_DATASET
               ) -> list[UnitTypeEntry]:
    """Every unit type units.csv allows, with the data set's units and demand rates; a
    type without rates needs an orders file (the demand model refuses its units)."""
    dataset = _study(state.roots, dataset_dir)
    return [UnitTypeEntry(
        unit_type=kind.value, units=sum(1 for u in dataset.units if u.unit_type == kind),
        demand_rates=[r for r in dataset.demand_rates if r.unit_type == kind])
        for kind in UnitType]


@router.get("/disruption-types", responses=problem_responses(401, 403, 429))
def disruption_types(_: ReadKey) -> list[DisruptionType]:
    """The disruptions a scenario may list, each with its fields."""
    union = typing.get_args(Disruption)[0]
    return [_disruption_type(model) for model in typing.get_args(union)]


def _disruption_type(model: Any) -> DisruptionType:
    fields = [DisruptionField(name=name, required=field.is_required(),
                              description=field.description or name.replace("_", " "))
              for name, field in model.model_fields.items() if name != "type"]
    return DisruptionType(type=model.model_fields["type"].default,
                          description=" ".join((model.__doc__ or "").split()), fields=fields)


@router.get("/kpis", responses=problem_responses(401, 403, 429))
def kpis(_: ReadKey) -> list[KpiEntry]:
    """The KPIs of run summaries and comparisons, each with its unit (the units table
    run summaries link to)."""
    return [KpiEntry(kpi=kpi, unit=KPI_UNITS[kpi], description=kpi_description(kpi))
            for kpi in KPI_COLUMNS]

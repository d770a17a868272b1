"""The columns of each CSV file of a result folder, stated once.

Each file has one row model here. Its fields, in order, are the file's columns: the
writers (:mod:`logistics.pipeline.result`) take their column lists from them, the API
serves the rows as these models, and the report reads the files with them.
"""

from __future__ import annotations

import csv
import io
import types
from collections.abc import Mapping
from pathlib import Path
from typing import ClassVar, Self, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from logistics.errors import InputError, ProblemCollector
from logistics.io.tables import FIRST_DATA_ROW, read_text
from logistics.validated import problems_from_validation


class ResultRow(BaseModel):
    """Base of a result file's row: immutable, no NaN or infinity, and columns the
    model does not name (from a newer version) ignored."""

    model_config = ConfigDict(frozen=True, extra="ignore", allow_inf_nan=False)
    FILE: ClassVar[str]
    """The file's name in a result folder."""

    @classmethod
    def columns(cls) -> tuple[str, ...]:
        """The file's columns, in order."""
        return tuple(cls.model_fields)

    @classmethod
    def from_csv(cls, row: Mapping[str, str], source: str, location: str) -> Self:
        """A row as ``csv`` reads it: an empty cell is null where the column may be
        null; a bad cell is an input problem naming ``source``, ``location`` and the
        column."""
        values = {name: None if row.get(name) == "" and _nullable(field.annotation)
                  else row.get(name) for name, field in cls.model_fields.items()
                  if name in row}
        try:
            return cls.model_validate(values)
        except ValidationError as error:
            raise InputError(problems_from_validation(error, source, location)) from None

    @classmethod
    def dtypes(cls) -> dict[str, type[str] | str]:
        """Each column's pandas dtype: ``str`` for text (ids exactly as written, an
        empty time as ``""``), ``int64``, ``bool`` or ``float64``."""
        kinds: dict[object, type[str] | str] = {int: "int64", bool: "bool", float: "float64"}
        return {name: kinds.get(field.annotation, str) for name, field in cls.model_fields.items()}


class RouteKeys(ResultRow):
    """The columns naming a route, first in ``stops.csv`` and ``routes.csv``."""

    route_id: str
    day: str
    kind: str
    owner: str
    vehicle_id: str
    vehicle_type: str


class StopRow(RouteKeys):
    """One step of a route (a row of ``stops.csv``)."""

    FILE: ClassVar[str] = "stops.csv"
    step_number: int
    step_type: str = Field(description="start, delivery, pickup, break, reload or end")
    site_id: str
    site_name: str
    lon: float = Field(description="WGS84 longitude (degrees)")
    lat: float = Field(description="WGS84 latitude (degrees)")
    arrival_hhmm: str | None = Field(description="arrival clock time; null at the start")
    departure_hhmm: str | None = Field(description="departure clock time; null at the end")
    load_after_kg: float = Field(description="load on board after the step (kg)")
    delivered_kg: float = Field(description="goods delivered at the step (kg)")
    picked_up_kg: float = Field(description="goods picked up at the step (kg)")
    orders: str = Field(description="order ids served at the step, ';'-separated")


class RouteRow(RouteKeys):
    """One route of the week (a row of ``routes.csv``)."""

    FILE: ClassVar[str] = "routes.csv"
    start_hhmm: str
    end_hhmm: str
    stops: int = Field(description="stops on the route (count)")
    delivered_kg: float = Field(description="goods delivered (kg)")
    picked_up_kg: float = Field(description="goods picked up (kg)")
    distance_km: float = Field(description="distance driven (km)")
    duration_h: float = Field(description="time on route (h)")
    tonne_km: float = Field(description="load times distance (t km)")
    capacity_tonne_km: float = Field(description="capacity times distance (t km)")
    energy_kwh: float = Field(description="energy used (kWh)")
    co2e_ttw_kg: float = Field(description="CO2e tank-to-wheel (kg)")
    co2e_wtw_kg: float = Field(description="CO2e well-to-wheel (kg)")
    nox_g: float = Field(description="NOx (g)")
    pm_g: float = Field(description="particulate matter (g)")
    cost_nok: float = Field(description="operating cost (NOK)")
    social_cost_nok: float = Field(description="external cost of emissions (NOK)")
    municipal_share: float = Field(
        default=1.0, description="the municipality's share of the route (share 0..1): the "
                                 "figures from energy_kwh on are that share")


class UnservedRow(ResultRow):
    """A delivery not made (a row of ``unserved.csv``)."""

    FILE: ClassVar[str] = "unserved.csv"
    order_id: str
    unit_id: str
    unit_name: str
    lon: float = Field(description="WGS84 longitude (degrees)")
    lat: float = Field(description="WGS84 latitude (degrees)")
    category: str
    supplier_id: str
    day: str
    demand_kg: float = Field(description="demand not delivered (kg)")
    reason: str = Field(description="machine-readable reason (unreachable, ...)")
    detail: str


class CarrierRow(ResultRow):
    """A shipment handed to a parcel or groupage carrier, from the supplier's depot to
    the unit or the hub (a row of ``carriers.csv``)."""

    FILE: ClassVar[str] = "carriers.csv"
    order_id: str
    unit_id: str
    category: str
    supplier_id: str
    day: str
    channel: str = Field(description="parcel or groupage")
    destination_id: str = Field(description="the unit or the hub it goes to")
    to_unit: bool = Field(description="true when it goes to the unit itself")
    kg: float = Field(description="goods shipped (kg)")
    distance_km: float = Field(description="shortest distance (km)")
    tonne_km: float = Field(description="load times distance (t km)")
    co2e_ttw_kg: float = Field(description="CO2e tank-to-wheel (kg)")
    co2e_wtw_kg: float = Field(description="CO2e well-to-wheel (kg)")
    nox_g: float = Field(description="NOx (g)")
    pm_g: float = Field(description="particulate matter (g)")
    cost_nok: float = Field(description="price of the shipment (NOK)")
    social_cost_nok: float = Field(description="external cost of emissions (NOK)")


class EmissionsRow(ResultRow):
    """The week's emissions allocated to one order (a row of
    ``emissions_by_order.csv``)."""

    FILE: ClassVar[str] = "emissions_by_order.csv"
    order_id: str
    unit_id: str
    category: str
    supplier_id: str
    energy_kwh_per_week: float
    co2e_ttw_kg_per_week: float
    co2e_wtw_kg_per_week: float
    nox_g_per_week: float
    pm_g_per_week: float


R = TypeVar("R", bound=ResultRow)


def read_result_file(folder: Path, model: type[R]) -> tuple[R, ...]:
    """The rows of ``model``'s file in a result folder; one input problem per bad cell,
    naming the file, the row as a spreadsheet numbers it and the column."""
    path = folder / model.FILE
    problems = ProblemCollector()
    rows = []
    reader = csv.DictReader(io.StringIO(read_text(path), newline=""))
    for number, row in enumerate(reader, start=FIRST_DATA_ROW):
        with problems.collecting():
            rows.append(model.from_csv(row, str(path), f"row {number}"))
    problems.raise_if_any()
    return tuple(rows)


def _nullable(annotation: object) -> bool:
    return isinstance(annotation, types.UnionType) and type(None) in annotation.__args__

"""Vehicle routing: solver-neutral problem and solution types, and the solver adapters.

Only ``logistics.routing.solvers.ortools`` imports OR-Tools; everything else in the
package sees :class:`RoutingProblem` and :class:`Solution`.
"""

from logistics.routing.problem import (
    Break,
    Job,
    Leg,
    Route,
    RoutingProblem,
    Shipment,
    Solution,
    UnservedJob,
    UnservedReason,
    Vehicle,
    Visit,
)
from logistics.routing.settings import SolverSettings

__all__ = [
    "Break",
    "Job",
    "Leg",
    "Route",
    "RoutingProblem",
    "Shipment",
    "Solution",
    "SolverSettings",
    "UnservedJob",
    "UnservedReason",
    "Vehicle",
    "Visit",
]

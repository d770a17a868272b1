"""``/v1/scenarios``: the scenarios a request may extend, and checking one in full."""

from __future__ import annotations

from fastapi import APIRouter

from api.context import Context, ReadKey
from api.inheritance import validated_scenario
from api.models import ScenarioListing, ScenarioRequest, ValidatedScenario
from api.problems import problem_responses
from logistics.paths import SHIPPED_SCENARIOS_DIR
from logistics.scenarios.files import load_scenario
from logistics.scenarios.schema import Scenario

router = APIRouter(prefix="/scenarios", tags=["scenarios"])


@router.get("", responses=problem_responses(401, 403, 429))
def scenarios(state: Context, _: ReadKey) -> list[ScenarioListing]:
    """The shipped and uploaded scenarios, merged with their bases."""
    listing = []
    for name, path in state.roots.scenario_names().items():
        scenario: Scenario = load_scenario(path)
        listing.append(ScenarioListing(
            name=name, origin="shipped" if path.parent == SHIPPED_SCENARIOS_DIR else "uploaded",
            design=scenario.design, description=scenario.description,
            disruptions=len(scenario.disruptions)))
    return listing


@router.post("/validate", responses=problem_responses(400, 401, 403, 413, 422, 429))
def validate(request: ScenarioRequest, state: Context, _: ReadKey) -> ValidatedScenario:
    """The scenario merged with its bases and checked in full (data set, road
    network, disruptions), with the fields it inherited and notes on its disruptions
    and inherited frequencies; or 422 with every problem."""
    return validated_scenario(request.scenario, state.roots)

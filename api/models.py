"""Request and response models of the API: every field typed and described.

KPIs carry their unit in the field description. Result rows are numbers where the
result files hold numbers. Requests refuse unknown fields; names and ids have the
length limits of :mod:`logistics.validated`.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema, create_model

from api.auth import Role
from api.paths import PATH_PATTERN, SCENARIO_PATH_FIELDS
from api.problems import InputProblem
from logistics.accounting.kpi import KPI_COLUMNS
from logistics.accounting.kpi_catalogue import KPIS
from logistics.analysis.resilience import Designs
from logistics.io.durable import JsonValue
from logistics.pipeline.result_schema import RouteRow as RouteRow  # rows of the result files
from logistics.pipeline.result_schema import StopRow as StopRow
from logistics.pipeline.result_schema import UnservedRow as UnservedRow
from logistics.scenarios.schema import Scenario
from logistics.study.spec import Study
from logistics.validated import MAX_NAME_LENGTH, Id, Name

T = TypeVar("T")
MAX_PAGE = 500
MAX_DB_INT = 2**31 - 1
"""Largest id or offset: a 32-bit database integer."""
MAX_SAMPLES = 500

RunId = Annotated[int, Field(ge=1, le=MAX_DB_INT, description="a run's id")]
KeyId = Annotated[int, Field(ge=1, le=MAX_DB_INT, description="an API key's id")]
RunStatus = Literal["queued", "running", "done", "failed", "cancelled"]
RunKind = Literal["run", "resilience", "report", "study", "purchases"]
ReportLanguage = Literal["en", "nb"]
"""The report's language: English or bokmål (:data:`logistics.outputs.locale.LANGUAGES`)."""
MAX_COMPARED = 20
"""Most runs one comparison or comparison report takes, besides a baseline not among
them."""
BASELINE_DESCRIPTION = ("the baseline run's id, default the first of runs; a baseline "
                        "not among runs is compared too, first")


def _inlined(schema: JsonValue, definitions: JsonValue) -> JsonValue:
    """A JSON schema with every local ``$ref`` replaced by its definition."""
    if isinstance(schema, list):
        return [_inlined(item, definitions) for item in schema]
    if not isinstance(schema, dict):
        return schema
    reference = schema.get("$ref")
    if isinstance(reference, str) and isinstance(definitions, dict):
        return _inlined(definitions[reference.rsplit("/", 1)[1]], definitions)
    return {key: _inlined(value, definitions) for key, value in schema.items()
            if key not in ("$defs", "discriminator")}


def _inlined_schema(model: type[BaseModel]) -> dict[str, JsonValue]:
    """The JSON schema of ``model`` with its definitions inlined."""
    schema = model.model_json_schema()
    inlined = _inlined(schema, schema.get("$defs", {}))
    assert isinstance(inlined, dict), "a model's JSON schema is an object"
    return inlined


def scenario_document_schema() -> dict[str, JsonValue]:
    """The scenario format as a request holds it: the fields of :class:`Scenario`, none
    required, since fields not given come from the scenario it ``extends``."""
    inlined = _inlined_schema(Scenario)
    inlined.pop("required", None)
    for dotted in SCENARIO_PATH_FIELDS:
        _with_path_pattern(inlined, dotted.split("."))
    inlined["title"] = "ScenarioDocument"
    inlined["description"] = ("A scenario in the format of the scenario files. Fields not "
                              "given come from the scenario it 'extends' (a shipped or "
                              "uploaded scenario, by name). Paths are relative: 'data/...' "
                              "(shipped data) or 'uploads/...' (uploaded studies).")
    return inlined


def _with_path_pattern(schema: JsonValue, names: list[str]) -> None:
    """Give the string field at ``names`` (through optional objects) the pattern of the
    paths a request may give (:data:`api.paths.PATH_PATTERN`)."""
    if not isinstance(schema, dict):
        return
    options = schema.get("anyOf")
    for branch in [schema, *(options if isinstance(options, list) else [])]:
        if not isinstance(branch, dict):
            continue
        properties = branch.get("properties")
        if not names and branch.get("type") == "string":
            branch["pattern"] = PATH_PATTERN
        elif names and isinstance(properties, dict) and names[0] in properties:
            _with_path_pattern(properties[names[0]], names[1:])


ScenarioDocument = Annotated[dict[str, object], WithJsonSchema(scenario_document_schema())]
"""A scenario as a request gives it: checked (merged, validated) before any use."""


def study_document_schema() -> dict[str, JsonValue]:
    """The study format (:class:`logistics.study.spec.Study`) as a request holds it."""
    inlined = _inlined_schema(Study)
    inlined["title"] = "StudyDocument"
    inlined["description"] = ("A study in the format of the study files. 'base' names a "
                              "shipped or uploaded scenario; paths it sets (dataset_dir, "
                              "orders_file, the reuse files) are relative: 'data/...' or "
                              "'uploads/...'.")
    return inlined


StudyDocument = Annotated[dict[str, object], WithJsonSchema(study_document_schema())]
"""A study as a request gives it: validated before any use."""


class Request(BaseModel):
    """Base of request bodies: unknown fields are refused, and so are values of another
    JSON type (``0`` for a boolean, ``"1"`` for a number)."""

    model_config = ConfigDict(extra="forbid", strict=True)


class ScenarioRequest(Request):
    """A scenario to check or run."""

    scenario: ScenarioDocument = Field(examples=[{
        "name": "kokstad-ev-2x", "extends": "consolidated-ev",
        "frequency_per_week": {"default": 2, "dry_food": 2, "chilled": 2, "bakery": 2}}])


class RunRequest(ScenarioRequest):
    """A scenario to run."""

    maps: bool = Field(default=True, description="also draw the run's maps (PNG, SVG, "
                                                 "PDF) into its files, under report/maps")


class ResilienceRequest(ScenarioRequest):
    """A scenario with disruptions, studied alone or against its twin design."""

    samples: int = Field(default=20, ge=0, le=MAX_SAMPLES,
                         description="Monte Carlo samples (random link closures or "
                                     "supplier outages)")
    seed: int = Field(default=1, ge=0, le=MAX_DB_INT, description="Monte Carlo seed")
    designs: Designs = Field(default="both", description="both: the scenario's design and "
                                                         "its twin with the other design; "
                                                         "own: the scenario's design alone")


class ComparisonRequest(Request):
    """Finished runs to write a decision report of, against a baseline run."""

    runs: list[RunId] = Field(min_length=1, max_length=MAX_COMPARED,
                              description="ids of done scenario runs, each of its own "
                                          "scenario name (the report names them so)")
    baseline: RunId | None = Field(default=None, description=BASELINE_DESCRIPTION)
    resilience: RunId | None = Field(default=None, description="a done resilience study "
                                                               "whose report fills the "
                                                               "supply-security section")
    studies: list[RunId] = Field(default=[], max_length=MAX_COMPARED,
                                 description="done batch studies (POST /v1/studies) whose "
                                             "results fill the study section")
    allow_different_data: bool = Field(default=False, description=(
        "report runs on different data sets, orders or travel models (refused with 422 "
        "otherwise); the report then says so on its first page and among its caveats"))
    lang: ReportLanguage = "en"


class StudyRequest(Request):
    """A batch study to run: variants of a base scenario."""

    study: StudyDocument = Field(examples=[{
        "name": "ev-share", "base": "consolidated-ev",
        "grid": {"frequency_per_week.default": [1, 2]}}])


class KeyRequest(Request):
    """A new API key."""

    name: Name = Field(min_length=1, description="who or what uses the key")
    role: Role = Field(description="read: results; run: also run, cancel and upload; "
                                   "admin: also manage keys")


class Health(BaseModel):
    status: Literal["ok"]
    version: str


class Network(BaseModel):
    """A cached road network a scenario may name in ``travel.network``."""

    name: str
    source: str = Field(description="the file it was imported from (name only)")
    content_hash: str


class ScenarioListing(BaseModel):
    """A scenario a request may extend."""

    name: Id
    origin: Literal["shipped", "uploaded"]
    design: Literal["direct", "consolidated"]
    description: str
    disruptions: int = Field(description="number of disruptions it applies")


class ValidatedScenario(BaseModel):
    """A scenario merged with its bases and checked in full."""

    scenario: Scenario
    inherited: list[str] = Field(description="fields (dotted paths) whose values come from "
                                             "the scenarios it extends, not the request")
    notes: list[str] = Field(description="what the disruptions do, in words, and "
                                         "inherited frequencies that outrank its own")


def kpi_description(kpi: str) -> str:
    """What a KPI measures, with its unit (:data:`logistics.accounting.kpi_catalogue.KPIS`)."""
    spec = KPIS.get(kpi)
    return spec.description if spec else kpi.replace("_", " ")


def kpi_unit(kpi: str) -> str:
    """A KPI's unit (``km``, ``count``, ``share 0..1``) from the KPI catalogue; none for
    a name it does not hold."""
    spec = KPIS.get(kpi)
    return spec.unit.split(" of ")[0] if spec else ""


KPIS_DESCRIPTION = ("KPIs of one period (the field holding them says week or year); "
                    "each field's description gives its unit. Null: the result did not "
                    "report it (an older result).")

KPI_UNITS = {kpi: kpi_unit(kpi) for kpi in KPI_COLUMNS}
"""Each KPI's unit (``GET /v1/catalogue/kpis`` lists them with what they measure)."""

if TYPE_CHECKING:
    Kpis = BaseModel
else:
    Kpis = create_model(
        "Kpis", __doc__=KPIS_DESCRIPTION,
        **{kpi: (float | None, Field(default=None, description=kpi_description(kpi)))
           for kpi in KPI_COLUMNS})
    """One field per KPI of :data:`~logistics.accounting.kpi.KPI_COLUMNS`."""


class DataSet(BaseModel):
    """The data set and orders a run planned: as the scenario names them, with content
    hashes (runs with equal hashes planned the same goods for the same units)."""

    dataset_dir: str = Field(description="the scenario's dataset_dir")
    dataset_sha256: str = Field(description="hash over the SHA-256 of the study's files")
    orders_file: str | None = Field(description="the scenario's orders_file; null: the "
                                                "demand model made the orders")
    orders_sha256: str | None = Field(description="SHA-256 of the orders file")


class RunSummary(BaseModel):
    """The machine-readable summary of a finished run (the head of ``result.json``)."""

    scenario: str
    design: Literal["direct", "consolidated"]
    travel_model: str | None = Field(description="crow_fly or road")
    approximate_travel: bool
    illustrative_inputs: bool
    notes: list[str] = Field(description="caveats every output repeats")
    kpi_per_week: Kpis
    kpi_per_year: Kpis
    unserved_count: int = Field(description="deliveries not made (count)")
    emissions_method: dict[str, object] = Field(description="accounting choices and factor "
                                                         "sources")
    data_set: DataSet | None = Field(default=None, description="the data set and orders "
                                                               "planned; null: an older "
                                                               "result")
    kpi_units: dict[str, str] = Field(default_factory=lambda: dict(KPI_UNITS),
                                      description="each KPI's unit, by KPI")


class KeyRef(BaseModel):
    """An API key as the audit trail and a run's provenance name it (never its
    secret)."""

    id: int | None = Field(description="the key's id; null for the command line or the "
                                        "server itself")
    name: str


class Run(BaseModel):
    """A run (a scenario run or a resilience study) and, once finished, its outcome."""

    id: RunId
    kind: RunKind
    scenario_name: str
    status: RunStatus
    reason: Literal["input", "error", "interrupted", "cancelled"] | None = Field(
        description="why it failed or stopped")
    message: str | None
    problems: list[InputProblem] = Field(description="input problems found while running")
    summary: RunSummary | None
    started_by: KeyRef | None = Field(description="the API key that queued it")
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class AuditEntry(BaseModel):
    """One entry of the audit trail."""

    id: int
    at: datetime
    actor: KeyRef = Field(description="who acted")
    action: str = Field(description="what was done: <kind>.queue, <kind>.cancel, "
                                    "<kind>.finish (kind run, resilience, study, report), "
                                    "key.create, key.revoke")
    target: str = Field(description="the run or key acted on ('-' for a refused request)")
    outcome: str = Field(description="queued, replayed, refused <status>, done, failed, "
                                     "cancelled, created, revoked")
    detail: str
    request_sha256: str | None = Field(description="SHA-256 of the request as queued")
    scenario_sha256: str | None = Field(description="SHA-256 of the scenario, study or "
                                                    "report document as stored")
    input_files: dict[str, str] = Field(description="SHA-256 of each input file, by path")


class Page(BaseModel, Generic[T]):
    """One page of a list."""

    items: list[T]
    total: int = Field(description="items in the whole list")
    limit: int
    offset: int
    next: str | None = Field(description="URL of the next page; null on the last")


class ComparedValue(BaseModel):
    """One run's value of a KPI and its change against the baseline run."""

    run_id: RunId
    value: float | None
    change: float | None = Field(description="value minus the baseline's, in the KPI's unit")
    change_pct: float | None = Field(description="change in % of the baseline's value")


class ComparedKpi(BaseModel):
    kpi: str
    unit: str = Field(description="the unit of its values and changes")
    description: str = Field(description="what it measures, with its unit")
    values: list[ComparedValue]


class ComparedRun(BaseModel):
    id: RunId
    scenario_name: str
    travel_model: str | None
    data_set: DataSet | None = Field(description="null: an older result that did not "
                                                 "record it")
    emissions_method: dict[str, object]


class DecomposedPart(BaseModel):
    key: str = Field(description="fewer_stops, km_per_stop, inbound_trips, fleet_energy "
                                 "or hub_operations")
    value: float = Field(description="its share of the change, in the KPI's unit")


class DecomposedChange(BaseModel):
    """A run's change of one KPI against the baseline, split into parts that add up to
    it (see the README's decomposition)."""

    run_id: RunId
    kpi: str = Field(description="vehicle_km, co2e_wtw_kg or cost_nok")
    unit: str
    total: float = Field(description="the change, in the KPI's unit")
    parts: list[DecomposedPart]


class Comparison(BaseModel):
    """Finished runs side by side against a baseline run."""

    baseline_run: RunId
    period: Literal["week", "year"]
    runs: list[ComparedRun]
    rows: list[ComparedKpi]
    decomposition: list[DecomposedChange] = Field(
        description="each run's change in vehicle-km, CO2e and cost against the "
                    "baseline, decomposed")
    data_differences: list[str] = Field(
        description="how the runs' data set, orders or travel models differ; empty "
                    "unless allow_different_data was set, and then repeated in notes")
    notes: list[str]


StudyResultRow = dict[str, str | int | float | bool | None]
"""A row of a study's results table: a cell per column (grid labels, status, problems,
KPIs), null where a number is missing."""


class StudyResults(Page[StudyResultRow]):
    """One page of a study's results table, a row per variant."""


class VariantCounts(BaseModel):
    """How far a study got."""

    total: int = Field(description="variants the study expands to (count)")
    done: int = Field(description="variants run to a result (count)")
    failed: int = Field(description="variants that failed, each with its problems in the "
                                    "results table (count)")
    pending: int = Field(description="variants not run yet (count)")


class StudyJob(BaseModel):
    """A study job: the job and its variants; once done, its results table is the
    job's files ``results.csv``, ``results.parquet`` and ``results.xlsx``."""

    id: RunId
    name: str
    job: Run
    variants: VariantCounts
    results_url: str = Field(description="the results table as JSON rows")
    files_url: str = Field(description="the job's files, once done")


class ApiKeyInfo(BaseModel):
    """A stored API key (never its secret)."""

    id: int
    name: str
    role: Role
    created_at: datetime
    revoked_at: datetime | None


class CreatedKey(ApiKeyInfo):
    """A new key; ``secret`` is shown this once."""

    secret: str = Field(description="send as 'Authorization: Bearer <secret>'")


class ResultFile(BaseModel):
    """A file of a run's result folder."""

    name: str = Field(max_length=MAX_NAME_LENGTH, description="path inside the folder")
    size_bytes: int
    media_type: str
    url: str


class UploadedDataSet(BaseModel):
    """An uploaded data set folder and how a scenario names it."""

    name: Id
    dataset_dir: str = Field(description="the value of a scenario's 'dataset_dir'")
    files: list[str] = Field(description="files replacing the shipped study's")
    orders_file: str | None = Field(description="the value of a scenario's 'orders_file', "
                                                "when orders were uploaded")
    notes: list[str] = Field(default=[], description="how the uploaded file was read "
                                                     "(separator, decimal mark, workbook) "
                                                     "and warnings (units far outside their "
                                                     "registered district)")



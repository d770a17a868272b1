"""``/v1/uploads``: data sets and scenarios uploaded through the API.

An uploaded data set starts as a copy of the shipped Bergen data set; each ``PUT`` of a file
(``units.csv``, ``orders.csv``, ...) replaces one file and the whole study is checked
again (every problem listed, 422) before the change is kept. Scenarios name it as
``dataset_dir: uploads/datasets/<name>`` (and ``orders_file:
uploads/datasets/<name>/orders.csv``). An uploaded scenario is checked in full and may
then be extended by name.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
from pathlib import Path
from typing import Annotated, Literal

import yaml
from fastapi import APIRouter, Request
from fastapi import Path as PathParam
from fastapi.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from api.context import ApiContext, Context, ReadKey, RunKey
from api.inheritance import validated_scenario
from api.models import ScenarioRequest, UploadedDataSet, ValidatedScenario
from api.paths import NAME_PATTERN, UPLOADS_LABEL
from api.problems import ApiProblem, problem_responses
from api.uploads_formats import XLSX_MEDIA_TYPE, read_upload
from logistics.errors import InputError, Problem
from logistics.io.tables import load_table
from logistics.model.dataset import load_dataset
from logistics.model.demand import load_orders
from logistics.model.districts import district_areas, district_warnings
from logistics.model.domain import Unit
from logistics.paths import DATASET_DIR, SHIPPED_SCENARIOS_DIR

router = APIRouter(prefix="/uploads", tags=["uploads"])
DataSetFile = Literal["units.csv", "orders.csv", "suppliers.csv", "hubs.csv",
                    "supplier_fleets.csv", "demand_rates.csv", "categories.csv",
                    "stock_days.csv", "reuse_flows.csv", "reuse_items.csv",
                    "delivery_windows.csv",
                    "unit_weeks.csv", "monthly_temperature.csv"]
UploadName = Annotated[str, PathParam(pattern=NAME_PATTERN, max_length=100,
                                      description="lower-case letters, digits, '_', '.', "
                                                  "'-'; at most 100 characters")]
ORDERS_FILE = "orders.csv"
CSV_BODY = {"requestBody": {"required": True, "content": {
    "text/csv": {"schema": {"type": "string", "description": "the CSV file, UTF-8, ',' or "
                                                           "';' between cells"}},
    XLSX_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary",
                                 "description": "an XLSX workbook; its first sheet"}},
    "multipart/form-data": {"schema": {"type": "object", "required": ["file"], "properties": {
        "file": {"type": "string", "format": "binary",
                 "description": "the CSV file or XLSX workbook"}}}}}}}
_writing = threading.Lock()


def _study(state: ApiContext, name: str) -> UploadedDataSet:
    folder = state.roots.uploaded_datasets_dir / name
    label = f"{UPLOADS_LABEL}/datasets/{name}"
    uploaded = sorted(p.name for p in folder.glob("*.csv")
                      if not (DATASET_DIR / p.name).is_file()
                      or p.read_bytes() != (DATASET_DIR / p.name).read_bytes())
    orders = folder / ORDERS_FILE
    return UploadedDataSet(name=name, dataset_dir=label, files=uploaded,
                         orders_file=f"{label}/{ORDERS_FILE}" if orders.is_file() else None)


def _check_dataset(folder: Path, shown_as: str) -> None:
    """Load the data set folder (and its orders file); every problem at once, sources
    named as the data set will be named."""
    try:
        dataset = load_dataset(folder)
        if (folder / ORDERS_FILE).is_file():
            load_orders(folder / ORDERS_FILE, dataset)
    except InputError as error:
        raise InputError([Problem(p.source.replace(str(folder), shown_as), p.location,
                                  p.field, p.found, p.allowed)
                          for p in error.problems]) from None


@router.get("/datasets", responses=problem_responses(401, 403, 429))
def datasets(state: Context, _: ReadKey) -> list[UploadedDataSet]:
    """The uploaded data sets."""
    folder = state.roots.uploaded_datasets_dir
    return [_study(state, p.name) for p in sorted(folder.glob("*")) if p.is_dir()
            and not p.name.startswith(".")]


@router.put("/datasets/{name}/{file_name}", openapi_extra=CSV_BODY,
            responses=problem_responses(400, 401, 403, 413, 422, 429))
async def upload_dataset_file(name: UploadName, file_name: DataSetFile, request: Request,
                            state: Context, _: RunKey) -> UploadedDataSet:
    """Replace one file of the uploaded data set ``name`` (created from the shipped data set
    on first upload); the data set is checked in full before the file is kept. The body is
    the file (CSV with ',' or ';' and a decimal point or comma, or an XLSX workbook),
    raw or as a multipart form's file field (``curl -F file=@units.csv``); ``notes``
    say how it was read and warn of units far outside their registered district."""
    upload = read_upload(await _file_bytes(request), file_name)
    warnings = await run_in_threadpool(_replace_dataset_file, state, name, file_name,
                                       upload.text)
    return _study(state, name).model_copy(update={"notes": [f"{file_name}: {upload.note}",
                                                            *warnings]})


async def _file_bytes(request: Request) -> bytes:
    """The uploaded file: the raw body, or a multipart form's one file field."""
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        return await request.body()
    form = await request.form()
    files = [value for value in form.values() if isinstance(value, UploadFile)]
    if len(files) != 1:
        raise InputError([Problem("request body", "", "file", f"{len(files)} file fields",
                                  "one file field, e.g. curl -F file=@units.csv")])
    return await files[0].read()


def _replace_dataset_file(state: ApiContext, name: str, file_name: str, text: str
                        ) -> list[str]:
    """Write the file into a copy of the data set, check the copy, then swap it in;
    returns warnings on the units' positions."""
    with _writing:
        target = state.roots.uploaded_datasets_dir / name
        _swap_in_checked(target, file_name, text)
        if file_name != "units.csv":
            return []
        return district_warnings(load_table(target / file_name, Unit), district_areas())


def _swap_in_checked(target: Path, file_name: str, text: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=target.parent))
    try:
        shutil.copytree(target if target.is_dir() else DATASET_DIR, staging, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("*.py", "*.md"))
        (staging / file_name).write_text(text, encoding="utf-8")
        _check_dataset(staging, f"{UPLOADS_LABEL}/datasets/{target.name}")
        if target.is_dir():
            shutil.rmtree(target)
        staging.rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


@router.put("/scenarios/{name}", responses=problem_responses(400, 401, 403, 409, 413, 422, 429))
def upload_scenario(name: UploadName, request: ScenarioRequest, state: Context,
                    _: RunKey) -> ValidatedScenario:
    """Store a scenario others may ``extends`` by ``name``, checked in full first; its
    ``name`` field is set to ``name``. A shipped scenario's name is taken."""
    if (SHIPPED_SCENARIOS_DIR / f"{name}.yaml").is_file():
        raise ApiProblem(409, f"{name!r} is a shipped scenario; choose another name")
    document = {**request.scenario, "name": name}
    answer = validated_scenario(document, state.roots)
    folder = state.roots.uploaded_scenarios_dir
    folder.mkdir(parents=True, exist_ok=True)
    with _writing:
        (folder / f"{name}.yaml").write_text(yaml.safe_dump(document, sort_keys=False),
                                             encoding="utf-8")
    return answer

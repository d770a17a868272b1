"""``/v1/runs/{id}/files``: every file of a finished job's result folder, to download
(``result.json``, the CSV files, ``layers.gpkg``, GeoJSON, maps, ``resilience.json``),
one at a time or all in one zip archive (``/v1/runs/{id}/files.zip``).

A file is served only when it is in the folder's listing; the name in the URL is never
joined to a path.
"""

from __future__ import annotations

import mimetypes
import os
import tempfile
import zipfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter
from fastapi import Path as PathParam
from fastapi.responses import FileResponse
from starlette.background import BackgroundTask

from api.context import ApiContext, Context, ReadKey
from api.jobs import run_folder
from api.models import ResultFile, RunId
from api.problems import ApiProblem, problem_responses
from api.routes import API_PREFIX
from api.routes.runs import record_or_404

router = APIRouter(prefix="/runs", tags=["files"])
MEDIA_TYPES = {".json": "application/json", ".csv": "text/csv",
               ".geojson": "application/geo+json", ".gpkg": "application/geopackage+sqlite3",
               ".png": "image/png", ".svg": "image/svg+xml", ".pdf": "application/pdf",
               ".html": "text/html", ".xlsx": "application/vnd.openxmlformats-officedocument"
                                              ".spreadsheetml.sheet"}
FileName = Annotated[str, PathParam(max_length=200, description="a name from the listing")]


def _listing(state: ApiContext, run_id: int) -> dict[str, Path]:
    """The files of a done run's folder by their name inside it."""
    record = record_or_404(state, run_id)
    if record.status != "done":
        raise ApiProblem(409, f"run {run_id} is {record.status}, not done")
    folder = run_folder(state.roots.results_dir, run_id)
    return {path.relative_to(folder).as_posix(): path
            for path in sorted(folder.rglob("*")) if path.is_file()}


def _media_type(path: Path) -> str:
    return MEDIA_TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0] \
        or "application/octet-stream"


@router.get("/{run_id:int}/files", responses=problem_responses(401, 403, 404, 409, 422, 429))
def files(run_id: RunId, state: Context, _: ReadKey) -> list[ResultFile]:
    """The files of the run's result folder."""
    return [ResultFile(name=name, size_bytes=path.stat().st_size,
                       media_type=_media_type(path),
                       url=f"{API_PREFIX}{router.prefix}/{run_id}/files/{name}")
            for name, path in _listing(state, run_id).items()]


@router.get("/{run_id:int}/files.zip", response_class=FileResponse,
            responses={200: {"content": {"application/zip": {"schema": {
                "type": "string", "format": "binary"}}},
                "description": "every file of the listing, at its path in the listing"},
                **problem_responses(401, 403, 404, 409, 422, 429)})
def download_all(run_id: RunId, state: Context, _: ReadKey) -> FileResponse:
    """Every file of the job's result folder in one zip archive, at the paths of its
    listing (a report's ``report.html`` finds its charts and maps beside it)."""
    listing = _listing(state, run_id)
    handle, archive = tempfile.mkstemp(suffix=".zip")
    os.close(handle)
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as packed:
        for name, path in listing.items():
            packed.write(path, name)
    return FileResponse(archive, media_type="application/zip",
                        filename=f"run-{run_id}-files.zip",
                        background=BackgroundTask(os.remove, archive))


@router.get("/{run_id:int}/files/{name:path}", response_class=FileResponse,
            responses={200: {"content": {media_type: {"schema": {"type": "string",
                                                                 "format": "binary"}}
                                         for media_type in sorted({*MEDIA_TYPES.values(),
                                                                   "application/octet-stream"})},
                             "description": "the file"},
                       **problem_responses(401, 403, 404, 409, 422, 429)})
def download(run_id: RunId, name: FileName, state: Context, _: ReadKey) -> FileResponse:
    """One file of the run's result folder."""
    path = _listing(state, run_id).get(name)
    if path is None:
        raise ApiProblem(404, f"run {run_id} has no file {name!r}; see its files listing")
    return FileResponse(path, media_type=_media_type(path), filename=Path(name).name)

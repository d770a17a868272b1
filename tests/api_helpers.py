"""What the API tests share: a server on a free loopback port, keys of every role,
small studies inside the allowed roots, and process checks through ``/proc``."""

from __future__ import annotations

import csv
import io
import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI

from api.app import create_app
from api.auth import KeyStore
from api.context import ApiConfig
from api.jobs import Runner
from api.paths import Roots
from logistics.settings import Settings

from .conftest import make_small_dataset

SMALL_DATASET = "uploads/datasets/small"
"""How scenarios name the small study the servers here are given."""
FAST_SOLVER = {"time_limit_s": 5, "solution_limit": 1, "iteration_limit": 20}
STUDY_SOLVER = {"time_limit_s": 30, "solution_limit": 5, "iteration_limit": 30}
"""Stops by its solution limit; the time limit only guards a stuck solver."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """Serve ``app`` with uvicorn on a free loopback port; yields its base URL."""
    port = free_port()
    instance = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                             log_level="warning"))
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not instance.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        instance.should_exit = True
        thread.join(timeout=30)


@dataclass
class Server:
    """A running API: its URL, where it keeps results, a secret of each role."""

    base: str
    results_dir: Path
    secrets: dict[str, str]

    def client(self, role: str | None = "admin") -> httpx.Client:
        headers = {} if role is None else {"Authorization": f"Bearer {self.secrets[role]}"}
        return httpx.Client(base_url=self.base, headers=headers, timeout=60)


def create_keys(app: FastAPI) -> dict[str, str]:
    """A secret of each role, stored in the app's database."""
    keys: KeyStore = app.state.context.keys
    return {role: keys.create(f"test {role}", role)[1] for role in ("read", "run", "admin")}


@contextmanager
def api_server(results_dir: Path, runner: Runner | None = None,
               config: ApiConfig | None = None, solver_workers: int = 1) -> Iterator[Server]:
    """A server with the small study uploaded and keys of every role."""
    study = Roots(results_dir).uploaded_datasets_dir / "small"
    if not study.is_dir():
        make_small_dataset(study, units=4)
    app = create_app(Settings(results_dir=results_dir, workers=solver_workers), runner,
                     config)
    secrets = create_keys(app)
    with serving(app) as base:
        yield Server(base, results_dir, secrets)


def scenario(name: str, extends: str = "direct", **fields: Any) -> dict[str, Any]:
    """A request body: a small-study scenario extending a shipped one."""
    return {"scenario": {"name": name, "extends": extends, "dataset_dir": SMALL_DATASET,
                         "solver": FAST_SOLVER, **fields}}


def wait_finished(client: httpx.Client, run_id: int, timeout_s: float = 120) -> dict[str, Any]:
    """Poll a run until it is no longer queued or running."""
    deadline = time.monotonic() + timeout_s
    while True:
        record: dict[str, Any] = client.get(f"/v1/runs/{run_id}").json()
        if record["status"] not in ("queued", "running"):
            return record
        assert time.monotonic() < deadline, record
        time.sleep(0.1)


def process_alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie does not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


def session_members(session_id: int) -> list[int]:
    """Live processes of a session (``ps -o sid``), but zombies."""
    members = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == session_id and fields[0] not in ("Z", "X"):
            members.append(int(entry))
    return members


UPLOADED_PREFIX = "Uploaded "
"""Starts every category name of the studies :func:`upload_small_study` uploads."""


def upload_small_dataset(client: httpx.Client, name: str, folder: Path) -> str:
    """Upload a four-unit study through the API, its categories renamed to start with
    :data:`UPLOADED_PREFIX` (``folder`` holds the copy it is made from); returns its
    ``dataset_dir``."""
    small = make_small_dataset(folder, units=4)
    with (small / "categories.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    renamed = io.StringIO()
    writer = csv.DictWriter(renamed, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows({**row, "name": UPLOADED_PREFIX + row["name"]} for row in rows)
    for file_name, text in (("units.csv", (small / "units.csv").read_text(encoding="utf-8")),
                            ("categories.csv", renamed.getvalue())):
        answer = client.put(f"/v1/uploads/datasets/{name}/{file_name}", content=text,
                            headers={"Content-Type": "text/csv"})
        assert answer.status_code == 200, answer.text
    return str(answer.json()["dataset_dir"])

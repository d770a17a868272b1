"""Load test of the HTTP API on SQLite and on PostgreSQL, side by side: concurrent
clients reading a run's status, and concurrent clients queueing runs.

For each database, starts ``logistics serve`` on a free loopback port with a fresh
database holding one finished run and a key of role ``run``; then ``--clients``
clients poll ``GET /v1/runs/{id}`` for ``--duration-s`` seconds (reads), and as many
queue small runs with ``POST /v1/runs`` for as long (each checked in full against the
shipped Bergen study, then solved by the server's job worker in the background).
PostgreSQL is ``LOGISTICS_TEST_POSTGRES_URL`` when set (a fresh database is made in
it), else a throwaway local server (:mod:`benchmarks.local_postgres`). Prints one
table of requests, errors and p50/p95/p99 latency (``--json`` for JSON rows).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager, nullcontext
from dataclasses import asdict, dataclass
from pathlib import Path

import httpx
import sqlalchemy as sa

from api.auth import KeyStore
from api.db import connect, default_database_url
from api.store import RunStore
from benchmarks.local_postgres import local_postgres, missing_reason

START_TIMEOUT_S = 60.0
POSTGRES_ENV = "LOGISTICS_TEST_POSTGRES_URL"
QUEUED_SOLVER = {"time_limit_s": 5, "solution_limit": 1, "iteration_limit": 20}


@dataclass(frozen=True)
class LoadResult:
    """What the clients of one workload measured."""

    workload: str
    clients: int
    duration_s: float
    requests: int
    errors: int
    requests_per_s: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def local_server(database_url: str) -> Iterator[tuple[str, str, int]]:
    """``logistics serve`` on loopback with ``database_url`` holding one finished run;
    yields URL, a key of role ``run``, the run's id."""
    with tempfile.TemporaryDirectory() as folder:
        results = Path(folder) / "results"
        engine = connect(database_url)
        secret = KeyStore(engine).create("load test", "run")[1]
        store = RunStore(engine)
        run_id = store.create("run", {"name": "polled"}, {}, None)
        store.claim_next()
        store.finish(run_id, None)
        engine.dispose()
        port = _free_port()
        server = subprocess.Popen(
            [str(Path(sys.executable).with_name("logistics")), "serve", "--port", str(port),
             "--workers", "1", "--rate-limit-per-minute", "100000000",
             "--max-concurrent-runs", "1000000", "--database-url", database_url],
            cwd=folder, env={**os.environ, "LOGISTICS_RESULTS_DIR": str(results)},
            start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_until_up(base)
            yield base, secret, run_id
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=60)


@contextmanager
def postgres_database() -> Iterator[str]:
    """A fresh PostgreSQL database: in ``LOGISTICS_TEST_POSTGRES_URL``'s server when set,
    else in a throwaway local server; dropped afterwards."""
    server_url = os.environ.get(POSTGRES_ENV)
    with ExitStack() as stack:
        if not server_url:
            reason = missing_reason()
            if reason is not None:
                raise RuntimeError(f"set {POSTGRES_ENV} or install PostgreSQL: {reason}")
            server_url = stack.enter_context(local_postgres()).url
        name = f"logistics_bench_{uuid.uuid4().hex[:12]}"
        admin = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
        try:
            yield sa.make_url(server_url).set(database=name).render_as_string(
                hide_password=False)
        finally:
            with admin.connect() as connection:
                connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


def _wait_until_up(base: str) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/v1/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the server at {base} did not start")


Call = Callable[[httpx.AsyncClient, int, int], Awaitable[httpx.Response]]
"""One request of a client, given the client's number and the request's; its answer."""


async def _drive(client: httpx.AsyncClient, client_id: int, call: Call, expected: int,
                 until: float, latencies_s: list[float]) -> int:
    """Make ``call`` again and again until ``until``; returns how many requests did not
    answer ``expected``."""
    errors = 0
    number = 0
    while time.monotonic() < until:
        started = time.perf_counter()
        try:
            response = await call(client, client_id, number)
            errors += response.status_code != expected
        except httpx.HTTPError:
            errors += 1
        latencies_s.append(time.perf_counter() - started)
        number += 1
    return errors


async def measure(base: str, key: str, workload: str, call: Call, expected: int,
                  clients: int, duration_s: float) -> LoadResult:
    """``clients`` clients, each with its own connection, for ``duration_s``."""
    latencies_s: list[float] = []
    headers = {"Authorization": f"Bearer {key}"}
    limits = httpx.Limits(max_connections=1)
    sessions = [httpx.AsyncClient(base_url=base, headers=headers, timeout=60, limits=limits)
                for _ in range(clients)]
    until = time.monotonic() + duration_s
    try:
        errors = sum(await asyncio.gather(*(
            _drive(session, client_id, call, expected, until, latencies_s)
            for client_id, session in enumerate(sessions))))
    finally:
        await asyncio.gather(*(s.aclose() for s in sessions))
    cuts_ms = [q * 1000 for q in statistics.quantiles(latencies_s, n=100)]
    return LoadResult(workload=workload, clients=clients, duration_s=duration_s,
                      requests=len(latencies_s), errors=errors,
                      requests_per_s=round(len(latencies_s) / duration_s, 1),
                      p50_ms=round(cuts_ms[49], 2), p95_ms=round(cuts_ms[94], 2),
                      p99_ms=round(cuts_ms[98], 2), max_ms=round(max(latencies_s) * 1000, 2))


def reading(run_id: int) -> Call:
    """Polling one run's status."""
    return lambda client, _client_id, _number: client.get(f"/v1/runs/{run_id}")


def queueing(client: httpx.AsyncClient, client_id: int, number: int
             ) -> Awaitable[httpx.Response]:
    """Queueing a small run of the shipped direct design, a new name each time."""
    return client.post("/v1/runs", json={
        "scenario": {"name": f"load-{client_id}-{number}", "extends": "direct",
                     "solver": QUEUED_SOLVER}, "maps": False})


async def workloads(base: str, key: str, run_id: int, clients: int,
                    duration_s: float) -> list[LoadResult]:
    """Reads, then queued runs, against one server."""
    reads = await measure(base, key, "reads", reading(run_id), 200, clients, duration_s)
    queued = await measure(base, key, "queued runs", queueing, 202, clients, duration_s)
    return [reads, queued]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration-s", type=float, default=20.0)
    parser.add_argument("--json", action="store_true", help="print JSON rows")
    args = parser.parse_args()
    rows: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory() as folder:
        databases: dict[str, Callable[[], AbstractContextManager[str]]] = {
            "SQLite": lambda: nullcontext(default_database_url(Path(folder))),
            "PostgreSQL": postgres_database}
        for database, opened in databases.items():
            with opened() as url, local_server(url) as (base, key, run_id):
                results = asyncio.run(workloads(base, key, run_id, args.clients,
                                                args.duration_s))
            rows += [{"database": database, **asdict(result)} for result in results]
    if args.json:
        print(json.dumps(rows))
        return
    print(f"{args.clients} clients, {args.duration_s:g} s per workload")
    print("| database | workload | requests | per s | errors | p50 ms | p95 ms | p99 ms |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        print(f"| {row['database']} | {row['workload']} | {row['requests']} | "
              f"{row['requests_per_s']} | {row['errors']} | {row['p50_ms']} | "
              f"{row['p95_ms']} | {row['p99_ms']} |")


if __name__ == "__main__":
    main()

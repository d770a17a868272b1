"""Load test of the HTTP API: concurrent clients polling a run's status, p50/p95 latency.

By default starts ``logistics serve`` on a free loopback port with a fresh SQLite
database holding one finished run and a ``read`` key, then lets ``--clients`` clients
poll ``GET /v1/runs/{id}`` for ``--duration-s`` seconds; or give ``--url``, ``--key``
and ``--run-id`` of a running server. Prints requests, errors, throughput and latency
percentiles (``--json`` for one JSON object).
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
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

import httpx

from api.auth import KeyStore
from api.db import connect, default_database_url
from api.store import RunStore

START_TIMEOUT_S = 60.0


@dataclass(frozen=True)
class LoadResult:
    """What the clients measured."""

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
def local_server(workers: int) -> Iterator[tuple[str, str, int]]:
    """``logistics serve`` on loopback with one finished run; yields URL, key, run id."""
    with tempfile.TemporaryDirectory() as folder:
        results = Path(folder) / "results"
        engine = connect(default_database_url(results))
        secret = KeyStore(engine).create("load test", "read")[1]
        store = RunStore(engine)
        run_id = store.create("run", {"name": "polled"}, {}, None)
        store.claim_next()
        store.finish(run_id, None)
        engine.dispose()
        port = _free_port()
        server = subprocess.Popen(
            [str(Path(sys.executable).with_name("logistics")), "serve", "--port", str(port),
             "--workers", str(workers), "--rate-limit-per-minute", "100000000"],
            cwd=folder, env={**os.environ, "LOGISTICS_RESULTS_DIR": str(results)},
            start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_until_up(base)
            yield base, secret, run_id
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)


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


async def _poll(client: httpx.AsyncClient, path: str, until: float,
                latencies_s: list[float]) -> int:
    """Poll ``path`` until ``until``; returns the number of failed requests."""
    errors = 0
    while time.monotonic() < until:
        started = time.perf_counter()
        try:
            response = await client.get(path)
            errors += response.status_code != 200
        except httpx.HTTPError:
            errors += 1
        latencies_s.append(time.perf_counter() - started)
    return errors


async def measure(base: str, key: str, run_id: int, clients: int,
                  duration_s: float) -> LoadResult:
    """``clients`` clients, each with its own connection, polling for ``duration_s``."""
    latencies_s: list[float] = []
    headers = {"Authorization": f"Bearer {key}"}
    limits = httpx.Limits(max_connections=1)
    sessions = [httpx.AsyncClient(base_url=base, headers=headers, timeout=30, limits=limits)
                for _ in range(clients)]
    until = time.monotonic() + duration_s
    try:
        errors = sum(await asyncio.gather(*(_poll(s, f"/v1/runs/{run_id}", until,
                                                  latencies_s) for s in sessions)))
    finally:
        await asyncio.gather(*(s.aclose() for s in sessions))
    cuts_ms = [q * 1000 for q in statistics.quantiles(latencies_s, n=100)]
    return LoadResult(clients=clients, duration_s=duration_s, requests=len(latencies_s),
                      errors=errors, requests_per_s=round(len(latencies_s) / duration_s, 1),
                      p50_ms=round(cuts_ms[49], 2), p95_ms=round(cuts_ms[94], 2),
                      p99_ms=round(cuts_ms[98], 2), max_ms=round(max(latencies_s) * 1000, 2))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration-s", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=1,
                        help="job workers of the local server")
    parser.add_argument("--url", help="a running server instead of a local one")
    parser.add_argument("--key", help="an API key (role read) of --url")
    parser.add_argument("--run-id", type=int, help="the run to poll on --url")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    if args.url:
        if not (args.key and args.run_id):
            parser.error("--url needs --key and --run-id")
        result = asyncio.run(measure(args.url, args.key, args.run_id, args.clients,
                                     args.duration_s))
    else:
        with local_server(args.workers) as (base, key, run_id):
            result = asyncio.run(measure(base, key, run_id, args.clients, args.duration_s))
    if args.json:
        print(json.dumps(asdict(result)))
        return
    print(f"{result.clients} clients polling a run's status for {result.duration_s:g} s: "
          f"{result.requests} requests ({result.requests_per_s:g}/s), "
          f"{result.errors} errors")
    print(f"latency p50 {result.p50_ms:g} ms, p95 {result.p95_ms:g} ms, "
          f"p99 {result.p99_ms:g} ms, max {result.max_ms:g} ms")


if __name__ == "__main__":
    main()

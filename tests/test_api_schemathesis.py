"""Schemathesis (its command line) against our own OpenAPI document on a live uvicorn
server: every phase (examples, coverage, fuzzing, stateful), every check, a fixed seed,
and the run must end with no failure at all."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import httpx

from api.context import ApiConfig
from tests.api_helpers import api_server
from tests.api_runners import no_result

REPO = Path(__file__).resolve().parents[1]

CONTENT_CHECKED = ("POST /v1/scenarios/validate", "PUT /v1/uploads/scenarios/{name}",
                   "PUT /v1/uploads/datasets/{name}/{file_name}", "POST /v1/runs",
                   "POST /v1/runs/resilience", "POST /v1/studies", "POST /v1/comparisons",
                   "POST /v1/runs/{run_id}/report", "POST /v1/purchases/imports")
"""Operations that check a body the schema allows against stored data or its content
(a scenario's hub, a study's rows, runs sharing a scenario name, an Idempotency-Key used
before for another body, bytes that must be a zip archive): 422 with every problem is
their documented answer to valid-looking content, so the positive-data check accepts it
there and nowhere else."""
SEED = 24
MAX_EXAMPLES = 25
"""Cases per operation and phase: about 6,500 generated cases, five minutes on two busy
cores."""


def schemathesis_config() -> str:
    """The run's configuration file (TOML)."""
    accepted = '["2xx", "401", "403", "404", "409", "422", "429"]'
    return "".join(
        f'[[operations]]\ninclude-name = "{name}"\n'
        f"checks.positive_data_acceptance.expected-statuses = {accepted}\n\n"
        for name in CONTENT_CHECKED)


def schemathesis_command(base: str, secret: str, folder: Path) -> list[str]:
    """The CI run: all phases, all checks, one seed, an NDJSON report of every event
    written to ``folder``."""
    binary = shutil.which("schemathesis", path=str(Path(sys.executable).parent))
    assert binary, "schemathesis is in the dev extra"
    config = folder / "schemathesis.toml"
    config.write_text(schemathesis_config(), encoding="utf-8")
    return [binary, "--config-file", str(config), "run", f"{base}/v1/openapi.json", "--phases",
            "examples,coverage,fuzzing,stateful", "--checks", "all", "--seed", str(SEED),
            "--max-examples", str(MAX_EXAMPLES), "--generation-database", "none",
            "--workers", "1", "--no-color",
            "--suppress-health-check", "all", "--request-timeout", "60",
            "-H", f"Authorization: Bearer {secret}",
            "--report", "ndjson", "--report-ndjson-path", str(folder / "events.ndjson")]


def test_schemathesis_finds_no_failure_in_any_phase_or_check(tmp_path: Path) -> None:
    config = ApiConfig(rate_limit_per_minute=1_000_000, max_concurrent_runs=1_000)
    with api_server(tmp_path / "results", no_result, config) as server:
        hooks = {"SCHEMATHESIS_HOOKS": "tests.schemathesis_hooks",
                 "PYTHONPATH": os.pathsep.join(filter(None, (str(REPO),
                                                             os.environ.get("PYTHONPATH"))))}
        finished = subprocess.run(
            schemathesis_command(server.base, server.secrets["admin"], tmp_path),
            capture_output=True, text=True, timeout=1500, check=False, cwd=tmp_path,
            env={**os.environ, **hooks})
        with server.client() as client:  # the fuzzer's key survived it
            assert client.get("/v1/keys").status_code == 200
        with httpx.Client(base_url=server.base) as client:
            assert client.get("/v1/health").status_code == 200
    summary = finished.stdout[-6000:]
    assert finished.returncode == 0, summary
    events = [json.loads(line) for line in
              (tmp_path / "events.ndjson").read_text().splitlines() if line]
    assert len(events) > 100, summary

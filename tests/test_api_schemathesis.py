"""Schemathesis against our own OpenAPI document on a live server: at least 1,000
generated requests (valid and invalid), no 5xx, and every answer as documented (status
code, content type, body schema)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import httpx
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.context import ApiConfig
from tests.api_helpers import api_server
from tests.api_runners import no_result

EXAMPLES_PER_OPERATION = 52
MIN_REQUESTS = 1000
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


def test_generated_requests_get_documented_answers_and_no_5xx(tmp_path: Path) -> None:
    config = ApiConfig(rate_limit_per_minute=1_000_000, max_concurrent_runs=2)
    with api_server(tmp_path / "results", no_result, config) as server:
        auth = {"Authorization": f"Bearer {server.secrets['admin']}"}
        with server.client() as client:  # a key the generated DELETEs may revoke
            spare = client.post("/v1/keys", json={"name": "spare", "role": "read"}).json()
            document = client.get("/v1/openapi.json").json()
        schema = schemathesis.openapi.from_dict(document)
        statuses: Counter[int] = Counter()
        for result in schema.get_all_operations():
            operation = result.ok()
            overrides = ({"key_id": spare["id"]} if "{key_id}" in operation.path
                         and operation.method.upper() == "DELETE" else None)
            strategies = [operation.as_strategy(mode, path_parameters=overrides)
                          for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)]

            @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None,
                      derandomize=True, suppress_health_check=list(HealthCheck))
            @given(case=st.one_of(strategies))
            def check(case: schemathesis.Case) -> None:
                response = case.call(base_url=server.base, headers=auth, timeout=30)
                statuses[response.status_code] += 1
                case.validate_response(response, checks=CHECKS, headers=auth)

            check()
        with httpx.Client(base_url=server.base, headers=auth) as client:
            assert client.get("/v1/health").status_code == 200
    total = sum(statuses.values())
    assert total >= MIN_REQUESTS, statuses
    assert not [s for s in statuses if s >= 500], statuses

"""The OpenAPI document's ``info.description``: the planner's workflow, the keys and the
limits, so the document alone is enough to start."""

from __future__ import annotations

from api.context import ApiConfig


def api_description(config: ApiConfig) -> str:
    """The workflow (catalogue, validate, run, poll, read, compare, report), the API keys
    and this server's limits, in Markdown."""
    return f"""
Plans deliveries to Bergen kommune's units: today's direct deliveries against
consolidation through a hub, with vehicle-km, hours, CO2e, NOx, PM and NOK.

## Keys

Every request but `/v1/health` and the documentation sends
`Authorization: Bearer KEY`. An administrator creates keys with
`logistics keys create --name NAME --role read|run|admin` or `POST /v1/keys`: `read`
reads results, `run` also runs, uploads and cancels, `admin` also manages keys. A
run, study, import or report belongs to the key that made it: only that key (or an
admin key) may cancel it. An `Idempotency-Key` header makes a retried `POST` return
the job it queued the first time; idempotency keys are per API key.

## The workflow

1. **Look up what a scenario may name**: `GET /v1/catalogue/categories`,
   `/vehicle-types`, `/hubs` (capacity, opening hours), `/unit-types` (demand rates),
   `/disruption-types`, `/kpis` (each KPI's unit); `GET /v1/scenarios` lists the
   scenarios to `extends`.
2. **Validate**: `POST /v1/scenarios/validate` with `{{"scenario": {{"name": ...,
   "extends": "consolidated-ev", "hub": ..., "frequency_per_week": {{"default": 2}}}}}}`
   answers the merged scenario, which fields were inherited from the scenarios it
   extends, and notes; or 422 with every problem (field, what was found, what is
   allowed). Times a person types are `HH:MM` (`shift: ["06:30", "15:00"]`).
3. **Upload your own data** (optional): `PUT /v1/uploads/datasets/{{name}}/units.csv`
   (CSV with `,` or `;` and a decimal point or comma, XLSX, a raw body or a multipart
   form field `file`), then `dataset_dir: uploads/datasets/{{name}}`.
4. **Run**: `POST /v1/runs` answers 202 with `Location: /v1/runs/{{id}}`.
5. **Poll**: `GET /v1/runs/{{id}}` until `status` is `done` (or `failed`, with its
   problems, or `cancelled`); `POST /v1/runs/{{id}}/cancel` stops it.
6. **Read**: the run's `summary` (KPIs per week and year, their units in
   `kpi_units`, its data set with content hashes); `GET /v1/runs/{{id}}/routes`,
   `/stops`, `/unserved` (paged); `GET /v1/runs/{{id}}/files` and
   `/files.zip` (every file at once).
7. **Compare**: `GET /v1/compare?runs=1&runs=2&baseline=1` gives each KPI with its
   unit and change, and the change in vehicle-km, CO2e and cost decomposed. Runs on
   different data sets, orders or travel models are refused (422) unless
   `allow_different_data=true`, and then marked.
8. **Report**: `POST /v1/comparisons` (`runs`, `baseline`, `lang` `en` or `nb`, a
   `resilience` study and batch `studies` by id) queues a report job; its
   `files.zip` holds `report.html` with its charts and maps beside it.

## Limits

{config.rate_limit_per_minute} requests a minute per key (429 with `Retry-After`
beyond), {config.max_concurrent_runs} jobs queued or running per key, request bodies up
to {config.max_request_bytes:,} bytes (413 beyond). Lists are paged (`limit`,
`offset`, a `next` link). Errors are RFC 9457 `application/problem+json`.
"""

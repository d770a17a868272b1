"""Every error answer is an RFC 9457 problem (``application/problem+json``).

A problem names its HTTP status, a short title, a detail sentence and, for bad input,
every :class:`~logistics.errors.Problem` found (file, row or id, field, what was found,
what is allowed). Texts are cut to a bounded length and scrubbed of server paths
(:meth:`api.paths.Roots.scrub`) before they leave the server.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from logistics.errors import InputError, Problem
from logistics.validated import plain_message

PROBLEM_MEDIA_TYPE = "application/problem+json"
MAX_FIELD_TEXT = 300
"""Longest text of one problem field in an answer; longer input is cut, never echoed."""

TITLES = {201: "Created", 202: "Accepted", 400: "Bad request", 401: "Not authenticated",
          403: "Forbidden", 404: "Not found",
          405: "Method not allowed", 409: "Conflict", 413: "Request too large",
          422: "Unprocessable input", 429: "Too many requests",
          500: "Internal server error"}

logger = logging.getLogger(__name__)

Scrub = Callable[[str], str]
"""Takes server paths out of a text (:meth:`api.paths.Roots.scrub`)."""


class InputProblem(BaseModel):
    """One thing wrong with the input."""

    source: str = Field(description="the request part or data file the problem is in")
    location: str = Field(description="row or id within the source, when there is one")
    field: str = Field(description="the field (dotted path) that is wrong")
    found: str = Field(description="what was found (cut to 300 characters)")
    allowed: str = Field(description="what is allowed")


class ProblemDetails(BaseModel):
    """An error answer (RFC 9457)."""

    type: str = Field(default="about:blank", description="URI of the problem type")
    title: str = Field(description="short summary of the problem type")
    status: int = Field(description="the HTTP status code")
    detail: str = Field(description="what went wrong in this request")
    problems: list[InputProblem] = Field(
        default_factory=list, description="every input problem found (422), else empty")


class ApiProblem(Exception):
    """Raised by a route to answer with a problem."""

    def __init__(self, status: int, detail: str,
                 problems: Iterable[Problem] = (), headers: dict[str, str] | None = None):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.problems = tuple(problems)
        self.headers = headers


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI ``responses`` entries of the problems a route may answer with."""
    return {status: {"model": ProblemDetails, "description": TITLES[status],
                     "content": {PROBLEM_MEDIA_TYPE: {}}} for status in statuses}


def created_responses(status: int, what: str) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI ``responses`` entry of an answer with a ``Location`` header."""
    return {status: {"description": f"{TITLES[status]}; Location is {what}",
                     "headers": {"Location": {"description": what,
                                              "schema": {"type": "string"}}}}}


def public_problem(problem: Problem, scrub: Scrub) -> InputProblem:
    """A problem as an answer shows it: bounded, without server paths."""
    return InputProblem(**{name: bounded(scrub(str(getattr(problem, name))))
                           for name in InputProblem.model_fields})


def problem_answer(status: int, detail: str, problems: Sequence[Problem] = (),
                   headers: dict[str, str] | None = None, scrub: Scrub = str) -> JSONResponse:
    """The problem+json response."""
    body = ProblemDetails(title=TITLES.get(status, "Error"), status=status,
                          detail=bounded(scrub(detail)),
                          problems=[public_problem(p, scrub) for p in problems])
    return JSONResponse(status_code=status, content=body.model_dump(),
                        media_type=PROBLEM_MEDIA_TYPE, headers=headers)


def validation_problems(error: RequestValidationError) -> list[Problem]:
    """FastAPI's request validation errors as problems: the request part as source,
    the field path within it (``scenario.name``) as field."""
    problems = []
    for item in error.errors():
        where, *path = [str(part) for part in item.get("loc", ())] or ["request"]
        field = ".".join(path) or where
        found = ("nothing" if item.get("type") == "missing"
                 else repr(item.get("input")))
        problems.append(Problem(f"request {where}", "", field, found,
                                plain_message(str(item.get("msg")))))
    return problems


def describe_problems_in_openapi(app: FastAPI) -> None:
    """Make the OpenAPI document give every error answer as ``application/problem+json``
    only (FastAPI adds ``application/json`` beside a response model)."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = generate()
            for item in document.get("paths", {}).values():
                for operation in item.values():
                    for status, response in operation.get("responses", {}).items():
                        content = response.get("content", {})
                        if status.isdigit() and int(status) >= 400 and content:
                            schema = content.pop("application/json", {}).get("schema")
                            content[PROBLEM_MEDIA_TYPE] = {"schema": schema or {
                                "$ref": "#/components/schemas/ProblemDetails"}}
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def install_problem_handlers(app: FastAPI, scrub: Scrub) -> None:
    """Answer every error, expected or not, with a problem; ``scrub`` takes server
    paths out of every text."""

    @app.exception_handler(ApiProblem)
    async def api_problem(_: Request, error: ApiProblem) -> JSONResponse:
        return problem_answer(error.status, error.detail, error.problems, error.headers, scrub)

    @app.exception_handler(InputError)
    async def input_error(_: Request, error: InputError) -> JSONResponse:
        count = len(error.problems)
        return problem_answer(422, f"{count} input problem{'s' if count > 1 else ''}",
                              error.problems, scrub=scrub)

    @app.exception_handler(RequestValidationError)
    async def request_invalid(_: Request, error: RequestValidationError) -> JSONResponse:
        problems = validation_problems(error)
        return problem_answer(422, f"{len(problems)} problem(s) in the request", problems,
                              scrub=scrub)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
        headers = dict(error.headers or {})
        if error.status_code == 405:
            headers["Allow"] = ", ".join(allowed_methods(app, request.url.path))
        return problem_answer(error.status_code, str(error.detail), headers=headers,
                              scrub=scrub)

    @app.exception_handler(Exception)
    async def unexpected(_: Request, error: Exception) -> JSONResponse:
        logger.exception("unexpected error", exc_info=error)
        return problem_answer(500, "an unexpected error; it is logged on the server")


HTTP_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def allowed_methods(app: FastAPI, path: str) -> list[str]:
    """Every method some route of ``app`` answers at ``path`` (Starlette's own 405
    names only the methods of the first route whose path matches)."""
    return [method for method in HTTP_METHODS if any(
        route.matches({"type": "http", "path": path, "root_path": "", "method": method})[0]
        is Match.FULL for route in app.routes)]


def bounded(text: str) -> str:
    """``text`` cut to :data:`MAX_FIELD_TEXT` characters, saying how long it was."""
    if len(text) <= MAX_FIELD_TEXT:
        return text
    return f"{text[:MAX_FIELD_TEXT]}... ({len(text)} characters)"

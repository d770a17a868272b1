"""What every route shares: the configuration, the database stores, the job queue,
and the dependencies that authorise a request and read pagination."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field

from api.audit import Actor, AuditTrail
from api.auth import ApiKey, KeyStore, RateLimiter, Role
from api.jobs import JobQueue
from api.models import MAX_DB_INT, MAX_PAGE
from api.paths import Roots
from api.problems import ApiProblem
from api.store import RunStore
from logistics.settings import Settings


class ApiConfig(BaseModel):
    """How the server runs (``logistics serve`` flags)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; default SQLite <results_dir>/api.sqlite")
    workers: int = Field(default=1, ge=1, le=16, description="runs solved at the same time")
    rate_limit_per_minute: int = Field(default=600, ge=1, description="requests per key")
    max_concurrent_runs: int = Field(default=4, ge=1,
                                     description="queued and running runs per key")
    max_request_bytes: int = Field(default=5_000_000, ge=1_000,
                                   description="largest request body (bytes)")


@dataclass(frozen=True)
class ApiContext:
    """The server's state, one per app."""

    settings: Settings
    config: ApiConfig
    roots: Roots
    runs: RunStore
    keys: KeyStore
    jobs: JobQueue
    limiter: RateLimiter
    audit: AuditTrail


def actor_of(key: ApiKey) -> Actor:
    """An API key as the audit trail names it: id and name."""
    return Actor(key.id, key.name)


def context(request: Request) -> ApiContext:
    """The app's :class:`ApiContext`."""
    state: ApiContext = request.app.state.context
    return state


Context = Annotated[ApiContext, Depends(context)]
_bearer = HTTPBearer(auto_error=False, description="an API key: logistics keys create")


def authorised(role: Role) -> Callable[..., ApiKey]:
    """A dependency: the request's API key, which must have ``role``; 401 without a
    valid key, 403 with too small a role, 429 over the key's rate limit."""

    def dependency(state: Context, credentials: Annotated[
            HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> ApiKey:
        challenge = {"WWW-Authenticate": "Bearer"}
        if credentials is None:
            raise ApiProblem(401, "send an API key as 'Authorization: Bearer KEY'",
                             headers=challenge)
        key = state.keys.authenticate(credentials.credentials[:200])
        if key is None:
            raise ApiProblem(401, "the API key is unknown or revoked", headers=challenge)
        retry_after_s = state.limiter.retry_after_s(key.id)
        if retry_after_s is not None:
            raise ApiProblem(429, f"more than {state.config.rate_limit_per_minute} "
                                  "requests a minute with this key",
                             headers={"Retry-After": str(retry_after_s)})
        if not key.may(role):
            raise ApiProblem(403, f"this needs an API key with role '{role}' or above; "
                                  f"the key has '{key.role}'")
        return key

    return dependency


ReadKey = Annotated[ApiKey, Depends(authorised("read"))]
RunKey = Annotated[ApiKey, Depends(authorised("run"))]
AdminKey = Annotated[ApiKey, Depends(authorised("admin"))]


@dataclass(frozen=True)
class PageQuery:
    """Which page of a list: ``limit`` items from ``offset``."""

    limit: int
    offset: int

    def next_url(self, request: Request, total: int) -> str | None:
        """The URL of the next page, None on the last."""
        if self.offset + self.limit >= total:
            return None
        return str(request.url.include_query_params(offset=self.offset + self.limit,
                                                    limit=self.limit))


def page_query(limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="items a page")]
               = 100,
               offset: Annotated[int, Query(ge=0, le=MAX_DB_INT,
                                            description="items to skip")] = 0) -> PageQuery:
    return PageQuery(limit, offset)


Paging = Annotated[PageQuery, Depends(page_query)]

"""``/v1/health`` (no key needed) and ``/v1/networks``."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter

from api.context import ReadKey
from api.models import Health, Network
from api.problems import problem_responses
from logistics import __version__
from logistics.travel.network.cache import NetworkStore

router = APIRouter(tags=["system"])


@router.get("/health")
def health() -> Health:
    """Whether the server answers, and its version."""
    return Health(status="ok", version=__version__)


@router.get("/networks", responses=problem_responses(401, 403, 429))
def networks(_: ReadKey) -> list[Network]:
    """The cached road networks (source file named, its folder not)."""
    return [Network(name=r["name"], source=Path(r["source"]).name,
                    content_hash=r["content_hash"]) for r in NetworkStore().records()]

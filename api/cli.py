"""``logistics serve`` and ``logistics keys``: commands of the ``logistics`` CLI
(entry point group ``logistics.commands``)."""

from __future__ import annotations

from typing import Annotated

import typer

from api.auth import ROLES, KeyStore
from api.context import ApiConfig
from api.db import connect, default_database_url
from logistics.cli.common import guarded, out
from logistics.settings import get_settings

DatabaseUrl = Annotated[str | None, typer.Option(
    envvar="LOGISTICS_DATABASE_URL",
    help="SQLAlchemy database URL (postgresql+psycopg://...); default SQLite "
         "<results_dir>/api.sqlite. The environment variable keeps a password out of "
         "the process list")]


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port")] = 8000,
    workers: Annotated[int, typer.Option(min=1, max=16,
                                         help="Runs solved at the same time")] = 1,
    database_url: DatabaseUrl = None,
    rate_limit_per_minute: Annotated[int, typer.Option(min=1,
                                                       help="Requests a minute per key")] = 600,
    max_concurrent_runs: Annotated[int, typer.Option(
        min=1, help="Queued and running runs per key")] = 4,
    max_request_bytes: Annotated[int, typer.Option(
        min=1000, help="Largest request body (bytes); larger ones get 413")] = 5_000_000,
) -> None:
    """Serve the HTTP API (scenarios, runs, results, comparison) under /v1; docs at
    /docs. Requests need a key: logistics keys create --role run."""
    import uvicorn

    from api.app import create_app

    config = ApiConfig(database_url=database_url, workers=workers,
                       rate_limit_per_minute=rate_limit_per_minute,
                       max_concurrent_runs=max_concurrent_runs,
                       max_request_bytes=max_request_bytes)
    app = guarded(lambda: create_app(get_settings(), config=config))
    uvicorn.run(app, host=host, port=port)


keys_app = typer.Typer(help="API keys of the HTTP API: create, list, revoke.",
                       no_args_is_help=True)


def _keys(database_url: str | None) -> KeyStore:
    return KeyStore(connect(database_url or default_database_url(get_settings().results_dir)))


@keys_app.command("create")
def create_key(
    role: Annotated[str, typer.Option(help=f"One of {', '.join(ROLES)}")],
    name: Annotated[str, typer.Option(help="Who or what uses the key")] = "api key",
    database_url: DatabaseUrl = None,
) -> None:
    """Create a key and print its secret, once: it is stored hashed only."""
    if role not in ROLES:
        out.print(f"error: --role {role!r}: allowed {', '.join(ROLES)}")
        raise typer.Exit(2)
    key, secret = _keys(database_url).create(name[:100], role)
    out.print(f"key {key.id} ({key.role}, {key.name}); send it as "
              "'Authorization: Bearer KEY'. It is shown this once:")
    print(secret)


@keys_app.command("list")
def list_keys(database_url: DatabaseUrl = None) -> None:
    """Every key: id, role, name, created, revoked (never a secret)."""
    for key in _keys(database_url).all():
        revoked = f"revoked {key.revoked_at:%Y-%m-%d %H:%M}" if key.revoked_at else "active"
        out.print(f"{key.id}\t{key.role}\t{key.name}\t{key.created_at:%Y-%m-%d %H:%M}\t"
                  f"{revoked}", markup=False, highlight=False)


@keys_app.command("revoke")
def revoke_key(key_id: Annotated[int, typer.Argument(help="The key's id (keys list)")],
               database_url: DatabaseUrl = None) -> None:
    """Revoke a key: the API refuses it from now on."""
    if not _keys(database_url).revoke(key_id):
        out.print(f"error: no active key {key_id}")
        raise typer.Exit(2)
    out.print(f"key {key_id} revoked")

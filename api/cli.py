"""``logistics serve``: the HTTP API as a command of the ``logistics`` CLI (entry point
``logistics.commands``)."""

from __future__ import annotations

from typing import Annotated

import typer


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port")] = 8000,
) -> None:
    """Serve the HTTP API (scenarios, runs, results, comparison); docs at /docs."""
    import uvicorn

    from api.app import create_app

    uvicorn.run(create_app(), host=host, port=port)

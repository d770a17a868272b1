"""Alembic environment: migrations run on the connection :func:`api.db.migrate` gives."""

from __future__ import annotations

from alembic import context

from api.db import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata)
with context.begin_transaction():
    context.run_migrations()

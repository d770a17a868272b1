"""Alembic migrations of the API database (run by :func:`api.db.migrate`)."""

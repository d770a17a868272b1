"""API keys: created by ``logistics keys create``, stored hashed, sent as a bearer token.

A key has one role. ``read`` sees runs and results, ``run`` also queues, cancels and
uploads, ``admin`` also manages keys. A request without a valid key is answered 401, one
whose key lacks the role 403. Each key may make a bounded number of requests a minute
(429 with ``Retry-After``).
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from api.audit import COMMAND_LINE, Actor, append
from api.db import api_keys, aware, new_id, now

Role = Literal["read", "run", "admin"]
ROLES: tuple[Role, ...] = ("read", "run", "admin")
"""Each role may do everything the roles before it may."""
KEY_PREFIX = "lk_"
RATE_WINDOW_S = 60.0


@dataclass(frozen=True)
class ApiKey:
    """A stored key (never its secret)."""

    id: int
    name: str
    role: Role
    created_at: datetime
    revoked_at: datetime | None

    def may(self, role: Role) -> bool:
        """Whether this key has ``role`` or a role above it."""
        return ROLES.index(self.role) >= ROLES.index(role)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class KeyStore:
    """API keys in the API database, stored as SHA-256 of the secret."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def create(self, name: str, role: Role, actor: Actor = COMMAND_LINE
               ) -> tuple[ApiKey, str]:
        """A new key and its secret; the secret is not stored and cannot be shown
        again. The audit trail records that ``actor`` created it."""
        secret = KEY_PREFIX + secrets.token_urlsafe(32)
        with self.engine.begin() as connection:
            key_id = new_id(connection.execute(api_keys.insert().values(
                name=name, role=role, secret_sha256=_digest(secret), created_at=now())))
            append(connection, actor, "key.create", f"key {key_id}", "created",
                   f"role {role}, name {name!r}")
        key = self.get(key_id)
        assert key is not None
        return key, secret

    def get(self, key_id: int) -> ApiKey | None:
        with self.engine.connect() as connection:
            row = connection.execute(api_keys.select().where(api_keys.c.id == key_id)).first()
        return None if row is None else _key(row)

    def all(self) -> list[ApiKey]:
        with self.engine.connect() as connection:
            rows = connection.execute(api_keys.select().order_by(api_keys.c.id)).all()
        return [_key(row) for row in rows]

    def revoke(self, key_id: int, actor: Actor = COMMAND_LINE) -> bool:
        """Revoke a key (the audit trail records that ``actor`` did); False when there
        is no such key or it was revoked already."""
        with self.engine.begin() as connection:
            revoked = bool(connection.execute(
                api_keys.update().where(api_keys.c.id == key_id,
                                        api_keys.c.revoked_at.is_(None))
                .values(revoked_at=now())).rowcount)
            if revoked:
                append(connection, actor, "key.revoke", f"key {key_id}", "revoked")
        return revoked

    def authenticate(self, secret: str) -> ApiKey | None:
        """The key with this secret, unless it was revoked."""
        with self.engine.connect() as connection:
            row = connection.execute(api_keys.select().where(
                api_keys.c.secret_sha256 == _digest(secret),
                api_keys.c.revoked_at.is_(None))).first()
        return None if row is None else _key(row)


class RateLimiter:
    """At most ``per_minute`` requests per key in any 60 s window."""

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self._seen: dict[int, deque[float]] = {}
        self._lock = threading.Lock()

    def retry_after_s(self, key_id: int) -> int | None:
        """Count a request of ``key_id``; None when allowed, else the seconds to wait."""
        moment = time.monotonic()
        with self._lock:
            seen = self._seen.setdefault(key_id, deque())
            while seen and seen[0] <= moment - RATE_WINDOW_S:
                seen.popleft()
            if len(seen) >= self.per_minute:
                return max(1, int(seen[0] + RATE_WINDOW_S - moment) + 1)
            seen.append(moment)
            return None


def _key(row: sa.Row[object]) -> ApiKey:
    created = aware(row.created_at)
    assert created is not None
    return ApiKey(id=row.id, name=row.name, role=row.role, created_at=created,
                  revoked_at=aware(row.revoked_at))

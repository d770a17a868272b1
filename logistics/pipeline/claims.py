"""In-flight claims on routing problems, so that processes sharing a solution store
solve each problem once even when they need it at the same moment.

A claim is the file ``<store>/<key>.claim``, locked exclusively (``flock``) by the one
process solving that problem; it holds the claimer's host, pid and start time for
whoever looks. Another process that needs the problem finds the lock taken and waits
for the solution to appear in the store. The kernel drops a lock when its process ends,
however it ends, so the claim of a worker that died mid-solve is taken over at the next
look. A live claimer touches its claims each time it finishes a problem; a claim not
touched for longer than the search's time cap (a hung claimer) is waited for no longer,
and the waiter solves the problem itself. Claims need POSIX file locks, as between the
processes and Dask workers of one machine.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import socket
import time
from pathlib import Path
from types import TracebackType
from typing import Any

CLAIM_SUFFIX = ".claim"


class Claims:
    """The claims this process holds in one solution-store folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._held: dict[str, int] = {}  # key -> locked file descriptor

    def path(self, key: str) -> Path:
        return self.folder / f"{key}{CLAIM_SUFFIX}"

    def take(self, key: str) -> bool:
        """Claim ``key``: True when this process now holds it (also when it held it
        already), False when another live process does."""
        if key in self._held:
            return True
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.path(key)
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            # the claim released and removed between our open and our lock: not ours
            if os.fstat(descriptor).st_ino != os.stat(path).st_ino:
                raise FileNotFoundError(path)
        except (BlockingIOError, FileNotFoundError):
            os.close(descriptor)
            return False
        holder = {"host": socket.gethostname(), "pid": os.getpid(),
                  "claimed_at": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
        os.ftruncate(descriptor, 0)
        os.write(descriptor, json.dumps(holder).encode())
        self._held[key] = descriptor
        return True

    def holder(self, key: str) -> dict[str, Any] | None:
        """Who claimed ``key`` (host, pid, claimed_at); None when nobody does."""
        try:
            text = self.path(key).read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        with contextlib.suppress(ValueError):
            document = json.loads(text)
            if isinstance(document, dict):
                return document
        return None

    def stale(self, key: str, patience_s: float) -> bool:
        """Whether the claim on ``key`` has not been touched for ``patience_s`` seconds
        (its holder is alive, or the claim would have been taken, but makes no
        progress)."""
        try:
            touched = self.path(key).stat().st_mtime
        except FileNotFoundError:
            return False
        return time.time() - touched > patience_s

    def touch(self) -> None:
        """Show the claims held as making progress."""
        for key in self._held:
            with contextlib.suppress(FileNotFoundError):
                os.utime(self.path(key))

    def release(self, key: str) -> None:
        """Give up the claim on ``key`` (its solution stored, or the search failed)."""
        descriptor = self._held.pop(key, None)
        if descriptor is None:
            return
        with contextlib.suppress(FileNotFoundError):
            self.path(key).unlink()
        os.close(descriptor)  # closing drops the lock

    def release_all(self) -> None:
        """Give up every claim held."""
        for key in list(self._held):
            self.release(key)

    def __enter__(self) -> Claims:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.release_all()

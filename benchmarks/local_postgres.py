"""A throwaway PostgreSQL server for one test or benchmark: ``initdb`` into a fresh
folder, ``pg_ctl`` on a free loopback port, trust authentication, removed afterwards.

The binaries come from ``PATH`` or the newest ``/usr/lib/postgresql/<version>/bin``
(the Debian ``postgresql`` package, which ``.ci/services`` installs). PostgreSQL
refuses to run as root; as root the server runs as the ``postgres`` user.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

SERVICE_USER = "postgres"
START_TIMEOUT_S = 60


def postgres_binaries() -> Path | None:
    """The folder holding ``initdb`` and ``pg_ctl``; None when PostgreSQL is absent."""
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"),
                      key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit()
                      else 0)
    return versions[-1].parent if versions else None


def missing_reason() -> str | None:
    """Why no local server can be started here, or None when one can."""
    if postgres_binaries() is None:
        return "no PostgreSQL binaries (initdb, pg_ctl): install the postgresql package"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam(SERVICE_USER)
        except KeyError:
            return f"running as root without a '{SERVICE_USER}' user to run PostgreSQL as"
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class LocalPostgres:
    """A running server: its data folder and port; restart it with :meth:`restart`."""

    binaries: Path
    folder: Path
    port: int

    @property
    def url(self) -> str:
        """SQLAlchemy URL of its ``postgres`` database (psycopg 3)."""
        return f"postgresql+psycopg://{SERVICE_USER}@127.0.0.1:{self.port}/postgres"

    def _run(self, *arguments: str) -> None:
        command = [str(self.binaries / arguments[0]), *arguments[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", SERVICE_USER, "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=START_TIMEOUT_S)

    def start(self) -> None:
        self._run("pg_ctl", "-D", str(self.folder / "data"), "-l",
                  str(self.folder / "server.log"), "-w", "-o",
                  f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
                  "-c fsync=off -c max_connections=200", "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.folder / "data"), "-m", "fast", "-w", "stop")

    def restart(self) -> None:
        """Stop (every connection is cut) and start again on the same port."""
        self.stop()
        self.start()


@contextmanager
def local_postgres() -> Iterator[LocalPostgres]:
    """A fresh server for the duration of the block; its folder is removed after."""
    binaries = postgres_binaries()
    assert binaries is not None, missing_reason()
    folder = Path(tempfile.mkdtemp(prefix="logistics-postgres-"))
    if os.geteuid() == 0:
        account = pwd.getpwnam(SERVICE_USER)
        os.chown(folder, account.pw_uid, account.pw_gid)
    server = LocalPostgres(binaries, folder, _free_port())
    try:
        server._run("initdb", "-D", str(folder / "data"), "-U", SERVICE_USER,
                    "--auth=trust", "--encoding=UTF8", "--no-sync")
        server.start()
        try:
            yield server
        finally:
            server.stop()
    finally:
        shutil.rmtree(folder, ignore_errors=True)

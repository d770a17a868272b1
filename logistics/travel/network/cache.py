"""On-disk caches keyed by content hash: built road networks and travel matrices.

The cache directory is ``$LOGISTICS_CACHE_DIR`` or ``~/.cache/bergen-logistics``.
Networks live in ``networks/<content hash>.npz`` with a name index in
``names/<name>.json``; matrices in ``matrices/<key>.npz`` where the key hashes the
network, the sites, the profile and every model setting; contraction hierarchies in
``hierarchies/<key>.npz`` where the key hashes the road arcs they contract (network
after closures, profile and weight). Every file is written atomically and read without
pickle.

Matrices and hierarchies are derived data: when together they outgrow
``Settings.cache_limit_mb``, the least recently used files go first (a read counts as a
use). Networks are inputs and are never evicted.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path

import numpy as np

from logistics.errors import InputError, Problem
from logistics.settings import get_settings
from logistics.travel.base import Point, TravelMatrices
from logistics.travel.network.graph import RoadGraph

BERGEN_BBOX = (4.8, 60.1, 5.8, 60.6)
"""(west, south, east, north) around Bergen kommune: a network named after Bergen must
overlap it, so no other city's roads are ever presented as Bergen."""


def cache_dir() -> Path:
    """The cache root: ``Settings.cache_dir`` (``$LOGISTICS_CACHE_DIR``, config file, or
    ``~/.cache/bergen-logistics``)."""
    return get_settings().cache_dir.expanduser()


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _atomic_write(path: Path, write: Callable[[Path], object]) -> None:
    """Write through a temporary file in the same folder, then rename (no torn files)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, suffix=path.suffix, delete=False) as handle:
        temporary = Path(handle.name)
    try:
        write(temporary)
        temporary.replace(path)
    finally:
        temporary.unlink(missing_ok=True)


class NetworkStore:
    """Built road networks by name, stored under their content hash."""

    def __init__(self, root: Path | None = None):
        self.root = root if root is not None else cache_dir()

    def _index(self, name: str) -> Path:
        return self.root / "names" / f"{name}.json"

    def save(self, graph: RoadGraph, source_key: str) -> str:
        """Store ``graph`` under its content hash and name; returns the hash.

        ``source_key`` identifies the input (file hash or download query) so that the
        same input is not parsed again (:meth:`find_source`). A name mentioning Bergen
        is refused for a network that does not overlap Bergen (:data:`BERGEN_BBOX`)."""
        check_name_matches_area(graph)
        content = graph.content_hash()
        target = self.root / "networks" / f"{content}.npz"
        if not target.exists():
            _atomic_write(target, graph.save)
        record = {
            "name": graph.name,
            "content_hash": content,
            "source": graph.source,
            "source_key": source_key,
        }
        _atomic_write(self._index(graph.name), lambda p: p.write_text(json.dumps(record, indent=2)))
        _atomic_write(
            self.root / "sources" / f"{text_sha256(source_key)}.json",
            lambda p: p.write_text(json.dumps(record, indent=2)),
        )
        return content

    def find_source(self, source_key: str, name: str) -> RoadGraph | None:
        """The network built earlier from the same input, renamed to ``name``, if cached."""
        record_path = self.root / "sources" / f"{text_sha256(source_key)}.json"
        if not record_path.exists():
            return None
        record = json.loads(record_path.read_text())
        path = self.root / "networks" / f"{record['content_hash']}.npz"
        if not path.exists():
            return None
        graph = RoadGraph.load(path)
        return graph if graph.name == name else replace(graph, name=name)

    def names(self) -> list[str]:
        folder = self.root / "names"
        return sorted(p.stem for p in folder.glob("*.json")) if folder.exists() else []

    def records(self) -> list[dict[str, str]]:
        """Name, source and content hash of every stored network, by name."""
        return [
            {key: str(record[key]) for key in ("name", "source", "content_hash")}
            for record in (json.loads(self._index(name).read_text()) for name in self.names())
        ]

    def exists(self, name: str) -> bool:
        return self._index(name).exists()

    def load(self, name: str) -> RoadGraph:
        """The network stored as ``name``; :class:`InputError` listing the known names if
        absent, or asking for a new import if stored in an older format."""
        if not self.exists(name):
            known = (
                ", ".join(self.names())
                or "none cached yet (use 'logistics network fetch' or 'import')"
            )
            raise InputError([Problem(str(self.root), "", "network", name, known)])
        record = json.loads(self._index(name).read_text())
        path = self.root / "networks" / f"{record['content_hash']}.npz"
        try:
            return RoadGraph.load(path)
        except ValueError as error:  # stored by an older version of the tool
            raise InputError(
                [
                    Problem(
                        str(path), name, "format", str(error),
                        "a network stored by this version: import or fetch it again",
                    )
                ]
            ) from None


def check_name_matches_area(graph: RoadGraph) -> None:
    """Raise :class:`InputError` when ``graph`` is named after Bergen but lies elsewhere."""
    if "bergen" not in graph.name.casefold():
        return
    west, south, east, north = graph.bounding_box()
    b_west, b_south, b_east, b_north = BERGEN_BBOX
    if east < b_west or west > b_east or north < b_south or south > b_north:
        found = (
            f"network at lon {west:.3f}..{east:.3f}, lat {south:.3f}..{north:.3f} ({graph.source})"
        )
        raise InputError(
            [
                Problem(
                    graph.source,
                    "",
                    "name",
                    f"{graph.name!r} for {found}",
                    "a name not claiming Bergen",
                )
            ]
        )


def network_exists(name: str, root: Path | None = None) -> bool:
    """Whether a network called ``name`` is cached."""
    return NetworkStore(root).exists(name)


DERIVED_FOLDERS = ("matrices", "hierarchies")
"""Cache folders holding derived data, evicted together under one size limit."""


class DerivedCache:
    """Files ``<root>/<folder>/<key>.npz`` of derived data; after each write the derived
    folders are trimmed to ``limit_mb`` (default ``Settings.cache_limit_mb``), least
    recently used first, never the file just written."""

    folder = ""

    def __init__(self, root: Path | None = None, limit_mb: float | None = None):
        self.base = root if root is not None else cache_dir()
        self.root = self.base / self.folder
        self.limit_bytes = int(
            (limit_mb if limit_mb is not None else get_settings().cache_limit_mb) * 1e6
        )

    def path(self, key: str) -> Path:
        return self.root / f"{key}.npz"

    def contains(self, key: str) -> bool:
        return self.path(key).exists()

    def _used(self, path: Path) -> None:
        """Mark ``path`` as just used (its modification time orders eviction)."""
        with contextlib.suppress(OSError):  # evicted meanwhile by another process
            os.utime(path)

    def _read(self, key: str) -> dict[str, np.ndarray] | None:
        """The arrays stored under ``key``, marked as used; None when absent, evicted
        meanwhile by another process, or damaged."""
        path = self.path(key)
        if not path.exists():
            return None
        self._used(path)
        try:
            with np.load(path, allow_pickle=False) as data:
                return {name: data[name] for name in data.files}
        except (OSError, ValueError, zipfile.BadZipFile):
            return None

    def _write(self, key: str, write: Callable[[Path], object]) -> None:
        target = self.path(key)
        _atomic_write(target, write)
        self._trim(keep=target)

    def _trim(self, keep: Path) -> None:
        """Delete the least recently used derived files until they fit the limit."""
        files = []
        for folder in DERIVED_FOLDERS:
            for path in (self.base / folder).glob("*.npz"):
                try:
                    stat = path.stat()
                except OSError:
                    continue  # removed meanwhile by another process
                files.append((stat.st_mtime_ns, stat.st_size, path))
        total = sum(size for _, size, _ in files)
        for _, size, path in sorted(files, key=lambda f: f[0]):
            if total <= self.limit_bytes:
                break
            if path == keep:
                continue
            path.unlink(missing_ok=True)
            total -= size


class MatrixCache(DerivedCache):
    """Travel matrices on disk under a key that hashes everything they depend on."""

    folder = "matrices"

    @staticmethod
    def key(model_fingerprint: str, points: tuple[Point, ...], profile_fingerprint: str) -> str:
        sites = json.dumps([[p.id, repr(p.lon), repr(p.lat)] for p in points])
        return text_sha256("\n".join((model_fingerprint, profile_fingerprint, sites)))

    def get(self, key: str, points: tuple[Point, ...]) -> TravelMatrices | None:
        """The matrices stored under ``key``; None when absent or unreadable."""
        data = self._read(key)
        if data is None:
            return None
        meta = json.loads(str(data["meta"]))
        return TravelMatrices(
            points=points,
            distance_m=data["distance_m"],
            duration_s=data["duration_s"],
            model=meta["model"],
            approximate=meta["approximate"],
            profile=meta["profile"],
            unreachable=meta["unreachable"],
            snap_distance_m=data["snap_distance_m"],
        )

    def put(self, key: str, matrices: TravelMatrices) -> None:
        meta = {
            "model": matrices.model,
            "approximate": matrices.approximate,
            "profile": matrices.profile,
            "unreachable": matrices.unreachable,
        }
        snap = (
            matrices.snap_distance_m
            if matrices.snap_distance_m is not None
            else np.full(len(matrices.points), np.nan)
        )

        def write(path: Path) -> None:
            with path.open("wb") as handle:
                np.savez(
                    handle, meta=np.array(json.dumps(meta)), distance_m=matrices.distance_m,
                    duration_s=matrices.duration_s, snap_distance_m=snap,
                )  # fmt: skip

        self._write(key, write)


class HierarchyCache(DerivedCache):
    """Contraction hierarchies on disk as named arrays (``hierarchies/<key>.npz``), so a
    later process routing on the same roads, profile and weight skips the build."""

    folder = "hierarchies"

    def get(self, key: str) -> dict[str, np.ndarray] | None:
        """The arrays stored under ``key``; None when absent or unreadable (then rebuilt)."""
        return self._read(key)

    def put(self, key: str, arrays: Mapping[str, np.ndarray]) -> None:
        def write(path: Path) -> None:
            with path.open("wb") as handle:
                np.savez(handle, allow_pickle=False, **arrays)

        self._write(key, write)

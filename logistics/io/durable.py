"""Files written so that nothing half-written is ever read as done.

A file is written to a temporary file in the same folder, flushed to disk, then
renamed over the target: a reader sees the old file or the whole new one, and a full
disk (``ENOSPC``) leaves the old file as it was and says which file could not be
written. A checked JSON file also holds the SHA-256 of its content, so a file that
was truncated or changed behind our back is found when it is read
(:class:`CorruptedFile`) and can be computed again instead of trusted.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import TypeAlias

JsonValue: TypeAlias = (bool | int | float | str | list["JsonValue"]
                        | dict[str, "JsonValue"] | None)
"""A JSON value as :func:`json.loads` returns it: narrowed (``isinstance``) before use."""
CHECKSUM_FIELD = "content_sha256"
"""The key of a checked JSON document that holds the SHA-256 of the rest."""


class CorruptedFile(Exception):
    """A checked JSON file that is unreadable, truncated or fails its checksum."""

    def __init__(self, path: Path, why: str) -> None:
        super().__init__(f"{path}: {why}")
        self.path = path
        self.why = why


def write_text_atomically(path: Path, text: str) -> None:
    """Write through a flushed temporary file in the same folder, then rename: readers
    in other processes see the old file or the whole new one, never a torn one. A full
    disk raises :class:`OSError` (``ENOSPC``) naming ``path``; the old file stays."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except OSError as error:
        if error.errno == errno.ENOSPC:
            raise OSError(errno.ENOSPC, f"the disk is full: {path} was not written "
                                        "(the file before it is kept)") from error
        raise
    finally:
        Path(temporary).unlink(missing_ok=True)


def _content_sha256(document: Mapping[str, object]) -> str:
    text = json.dumps(document, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def write_checked_json(path: Path, document: Mapping[str, object]) -> None:
    """Write ``document`` (JSON values; any other value as its ``str``) with its
    checksum, atomically."""
    plain: dict[str, JsonValue] = json.loads(json.dumps(document, default=str, allow_nan=False))
    plain[CHECKSUM_FIELD] = _content_sha256(plain)
    write_text_atomically(path, json.dumps(plain, indent=2, allow_nan=False) + "\n")


def read_checked_json(path: Path) -> dict[str, JsonValue] | None:
    """The document of a checked JSON file without its checksum; None when there is no
    file; :class:`CorruptedFile` when it cannot be trusted."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        raise CorruptedFile(path, f"unreadable ({error})") from None
    try:
        document = json.loads(text)
    except ValueError:
        raise CorruptedFile(path, "not whole JSON (truncated?)") from None
    if not isinstance(document, dict) or CHECKSUM_FIELD not in document:
        raise CorruptedFile(path, "no checksum")
    expected = document.pop(CHECKSUM_FIELD)
    if _content_sha256(document) != expected:
        raise CorruptedFile(path, "content does not match its checksum")
    return document


def set_aside(path: Path) -> Path:
    """Rename a corrupted file to ``<name>.corrupt`` (kept for inspection, never read
    again); returns the new path."""
    target = path.with_name(path.name + ".corrupt")
    os.replace(path, target)
    return target

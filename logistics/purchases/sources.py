"""The files of an import: single files, folders (walked in name order) and zip
archives, one document at a time, with their size limits.

Archives are read in memory, never extracted: a member whose name leaves the archive
(an absolute path, ``..``, a drive letter), a link, an encrypted member and anything
that looks like a zip bomb (a member or an archive larger than the limits once
unpacked, or compressed more than :func:`logistics.io.archives.member_problems`
allows) are refused. Members are read with a
bounded read, so a lying header cannot make one larger than the limit.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from logistics.io.archives import member_problems

MAX_DOCUMENT_BYTES = 50 * 1024 * 1024
"""Largest document read (EHF invoices with embedded PDF attachments reach tens of MB)."""
MAX_ARCHIVE_BYTES = 4 * 1024 * 1024 * 1024
"""Largest total unpacked size of one archive."""
MAX_ARCHIVE_MEMBERS = 1_000_000
MAX_ARCHIVE_DEPTH = 2
"""Archives inside archives are read to this depth."""
READ_SUFFIXES = (".xml", ".csv", ".xlsx")


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One file to read: its name as people see it (archive!member) and its bytes."""

    name: str
    suffix: str
    data: bytes


@dataclass(frozen=True, slots=True)
class SourceProblem:
    """A file or archive member that was not read: why, and what is allowed."""

    name: str
    field: str
    found: str
    allowed: str
    skipped: bool = False
    """True for a file that is recognised and not meant to be read (not a failure)."""


def iter_sources(paths: Sequence[Path], *, max_document_bytes: int = MAX_DOCUMENT_BYTES
                 ) -> Iterator[SourceFile | SourceProblem]:
    """Every readable file under ``paths`` (files, folders, zip archives), in a stable
    order, or the reason it was not read."""
    for path in paths:
        if path.is_dir():
            for child in _walk(path):
                yield from _file(child, max_document_bytes)
        elif path.is_file():
            yield from _file(path, max_document_bytes)
        else:
            yield SourceProblem(str(path), "path", "missing", "an existing file or folder")


def _walk(folder: Path) -> Iterator[Path]:
    """The files under ``folder`` in name order, one folder listing at a time (symbolic
    links to folders are not followed)."""
    entries = sorted(folder.iterdir())
    for entry in entries:
        if entry.is_dir() and not entry.is_symlink():
            yield from _walk(entry)
        elif entry.is_file():
            yield entry


def _file(path: Path, limit: int) -> Iterator[SourceFile | SourceProblem]:
    suffix = path.suffix.lower()
    if suffix not in (*READ_SUFFIXES, ".zip"):
        yield SourceProblem(str(path), "suffix", suffix or "none",
                            ", ".join((*READ_SUFFIXES, ".zip")), skipped=True)
        return
    if suffix == ".zip":
        yield from _archive(str(path), path, limit, depth=1)
        return
    size = path.stat().st_size
    if size > limit:
        yield SourceProblem(str(path), "size", f"{size} bytes", f"at most {limit} bytes")
        return
    try:
        data = path.read_bytes()
    except OSError as error:
        yield SourceProblem(str(path), "path", error.strerror or "unreadable", "a readable file")
        return
    yield SourceFile(str(path), suffix, data)


def _archive(name: str, source: Path | bytes, limit: int, depth: int
             ) -> Iterator[SourceFile | SourceProblem]:
    """The members of a zip archive (a file, or the bytes of an archive inside one)."""
    try:
        archive = zipfile.ZipFile(source if isinstance(source, Path) else io.BytesIO(source))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        yield SourceProblem(name, "archive", str(error)[:80], "a readable zip archive")
        return
    if len(members) > MAX_ARCHIVE_MEMBERS:
        yield SourceProblem(name, "archive", f"{len(members)} members",
                            f"at most {MAX_ARCHIVE_MEMBERS}")
        return
    declared = sum(m.file_size for m in members)
    if declared > MAX_ARCHIVE_BYTES:
        yield SourceProblem(name, "archive", f"{declared} bytes unpacked",
                            f"at most {MAX_ARCHIVE_BYTES} bytes (a zip bomb?)")
        return
    with archive:
        for member in sorted(members, key=lambda m: m.filename):
            if member.is_dir():
                continue
            member_name = f"{name}!{member.filename}"
            refused = member_problems(member)
            if refused:
                field, found, allowed = refused[0]
                yield SourceProblem(member_name, field, found, allowed)
                continue
            suffix = PurePosixPath(member.filename).suffix.lower()
            if suffix not in (*READ_SUFFIXES, ".zip"):
                yield SourceProblem(member_name, "suffix", suffix or "none",
                                    ", ".join((*READ_SUFFIXES, ".zip")), skipped=True)
                continue
            member_limit = limit if suffix != ".zip" else MAX_ARCHIVE_BYTES
            if member.file_size > member_limit:
                yield SourceProblem(member_name, "size", f"{member.file_size} bytes unpacked",
                                    f"at most {member_limit} bytes")
                continue
            try:
                with archive.open(member) as handle:
                    content = handle.read(member_limit + 1)
            except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as error:
                yield SourceProblem(member_name, "member", str(error)[:80],
                                    "a readable, unencrypted member")
                continue
            if len(content) > member_limit:
                yield SourceProblem(member_name, "size", f"more than {member_limit} bytes",
                                    f"at most {member_limit} bytes")
            elif suffix == ".zip":
                if depth >= MAX_ARCHIVE_DEPTH:
                    yield SourceProblem(member_name, "archive", f"nested {depth + 1} deep",
                                        f"archives at most {MAX_ARCHIVE_DEPTH} deep")
                else:
                    yield from _archive(member_name, content, limit, depth + 1)
            else:
                yield SourceFile(member_name, suffix, content)

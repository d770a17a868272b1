"""Zip archives read safely: every member is checked before a byte is unpacked.

Refused, all problems listed at once: a file that is not a zip archive; more than
``max_members`` members; a member whose path leaves the folder (absolute, a drive,
``..``, a backslash, a NUL byte); a symbolic link; an encrypted member; more than
``max_unpacked_bytes`` unpacked in all; a member over :data:`RATIO_CHECKED_FROM_BYTES`
that unpacks to more than ``max_ratio`` times its packed size (a zip bomb). While
unpacking, a damaged member (its CRC or its packed data wrong) is refused too.
"""

from __future__ import annotations

import shutil
import stat
import zipfile
import zlib
from pathlib import Path, PurePosixPath
from typing import IO

from logistics.errors import InputError, Problem, ProblemCollector

MAX_MEMBERS = 250_000
MAX_UNPACKED_BYTES = 2 * 1024 ** 3
MAX_RATIO = 100.0
RATIO_CHECKED_FROM_BYTES = 1024 ** 2
"""Smaller members may pack very well (a run of blanks) without being a bomb."""
COPY_BLOCK_BYTES = 1024 ** 2


def checked_members(archive: zipfile.ZipFile, source: str, *, max_members: int = MAX_MEMBERS,
                    max_unpacked_bytes: int = MAX_UNPACKED_BYTES,
                    max_ratio: float = MAX_RATIO) -> list[zipfile.ZipInfo]:
    """The members of ``archive``, each checked; an :class:`InputError` naming every
    refused member (``source`` names the archive in it)."""
    members = archive.infolist()
    problems = ProblemCollector()
    if len(members) > max_members:
        problems.add(source, "", "members", len(members), f"at most {max_members} members")
    unpacked_bytes = 0
    for member in members[:max_members]:
        for field, found, allowed in member_problems(member, max_ratio=max_ratio):
            problems.add(source, f"member {member.filename[:200]!r}", field, found, allowed)
        unpacked_bytes += member.file_size
    if unpacked_bytes > max_unpacked_bytes:
        problems.add(source, "", "unpacked size", f"{unpacked_bytes} bytes",
                     f"at most {max_unpacked_bytes} bytes in all")
    problems.raise_if_any()
    return members


def member_problems(member: zipfile.ZipInfo, *, max_ratio: float = MAX_RATIO
                    ) -> list[tuple[str, str, str]]:
    """Why ``member`` may not be unpacked, as (field, found, allowed): a path that leaves
    the folder, a symbolic link, encryption, or a zip bomb's compression ratio; none for
    a member that may."""
    problems: list[tuple[str, str, str]] = []
    if not _stays_inside(member.filename):
        problems.append(("path", member.filename[:200],
                         "a relative path that stays inside the archive's folder (no '..', "
                         "no leading '/', no drive, no backslash)"))
    if stat.S_ISLNK(member.external_attr >> 16):
        problems.append(("type", "a symbolic link", "files and folders"))
    if member.flag_bits & 0x1:
        problems.append(("encryption", "encrypted", "unencrypted members"))
    if member.file_size >= RATIO_CHECKED_FROM_BYTES and \
            member.file_size > max_ratio * max(member.compress_size, 1):
        problems.append(("compression ratio",
                         f"{member.file_size / max(member.compress_size, 1):.0f} to 1",
                         f"at most {max_ratio:.0f} to 1 (a higher ratio is a zip bomb)"))
    return problems


def _stays_inside(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return bool(parts) and not (name.startswith("/") or "\\" in name or "\x00" in name
                                or ".." in parts or ":" in parts[0])


def open_archive(file: Path | IO[bytes], source: str) -> zipfile.ZipFile:
    """``file`` opened as a zip archive; an :class:`InputError` when it is not one."""
    try:
        return zipfile.ZipFile(file)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise InputError([Problem(source, "", "format", "not a zip archive",
                                  "a zip archive")]) from None


def extract_checked(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], folder: Path,
                    source: str) -> None:
    """Unpack checked ``members`` into ``folder`` (``zipfile`` yields no more than a
    member's declared size and checks its CRC); a damaged member is an
    :class:`InputError` naming it."""
    for member in members:
        target = folder.joinpath(*PurePosixPath(member.filename).parts)
        if member.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            with archive.open(member) as packed, target.open("wb") as unpacked:
                shutil.copyfileobj(packed, unpacked, COPY_BLOCK_BYTES)
        except (zipfile.BadZipFile, zlib.error, EOFError) as error:
            raise InputError([Problem(source, f"member {member.filename[:200]!r}", "content",
                                      f"damaged ({str(error)[:100]})",
                                      "a member that unpacks as its header says")]) from None

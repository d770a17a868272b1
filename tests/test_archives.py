"""Zip archives read safely: every refused member named with why, all at once; a sound
archive unpacked as it is; a damaged member refused while unpacking."""

from __future__ import annotations

import io
import stat
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from logistics.errors import InputError
from logistics.io.archives import checked_members, extract_checked, open_archive


def _archive(members: list[zipfile.ZipInfo | str], data: bytes = b"<x/>") -> zipfile.ZipFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for member in members:
            archive.writestr(member, data)
    return zipfile.ZipFile(io.BytesIO(buffer.getvalue()))


def _problems(archive: zipfile.ZipFile, **limits: float) -> list[tuple[str, str]]:
    with pytest.raises(InputError) as raised:
        checked_members(archive, "upload.zip", **limits)  # type: ignore[arg-type]
    return [(p.location, p.field) for p in raised.value.problems]


def test_every_refused_member_is_named() -> None:
    link = zipfile.ZipInfo("link.xml")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    archive = _archive(["../up.xml", "/abs.xml", "a\\b.xml", "C:/x.xml", "ok/fine.xml",
                        link, "locked.xml"])
    archive.getinfo("locked.xml").flag_bits |= 0x1  # as read from an encrypted archive
    assert _problems(archive) == [
        ("member '../up.xml'", "path"), ("member '/abs.xml'", "path"),
        ("member 'a\\\\b.xml'", "path"), ("member 'C:/x.xml'", "path"),
        ("member 'link.xml'", "type"), ("member 'locked.xml'", "encryption")]


def test_too_many_members_and_too_many_bytes_are_refused() -> None:
    archive = _archive(["a.xml", "b.xml", "c.xml"], data=b"x" * 1000)
    assert _problems(archive, max_members=2) == [("", "members")]
    assert _problems(archive, max_unpacked_bytes=2999) == [("", "unpacked size")]


def test_a_zip_bomb_is_refused_and_a_sound_archive_unpacked(tmp_path: Path) -> None:
    bomb = _archive(["bomb.xml"], data=b"\0" * (4 * 1024 * 1024))
    assert _problems(bomb) == [("member 'bomb.xml'", "compression ratio")]
    sound = _archive(["a/b.xml", "c.xml"])
    extract_checked(sound, checked_members(sound, "upload.zip"), tmp_path, "upload.zip")
    assert (tmp_path / "a" / "b.xml").read_bytes() == b"<x/>"
    assert (tmp_path / "c.xml").read_bytes() == b"<x/>"


def test_a_damaged_member_is_refused_while_unpacking(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("doc.xml", b"<Invoice>GENERATED</Invoice>")
    damaged = buffer.getvalue().replace(b"GENERATED", b"GENERATEX", 1)
    archive = open_archive(io.BytesIO(damaged), "upload.zip")
    with pytest.raises(InputError) as raised:
        extract_checked(archive, checked_members(archive, "upload.zip"), tmp_path,
                        "upload.zip")
    assert raised.value.problems[0].field == "content"


def test_not_an_archive_is_refused() -> None:
    with pytest.raises(InputError) as raised:
        open_archive(io.BytesIO(b"PK not really"), "upload.zip")
    assert raised.value.problems[0].found == "not a zip archive"


@given(st.lists(st.sampled_from(["a", "b", "..", ".", "c.xml"]), min_size=1, max_size=5))
def test_accepted_paths_stay_inside_the_folder(parts: list[str]) -> None:
    name = "/".join(parts)
    archive = _archive([name])
    try:
        members = checked_members(archive, "upload.zip")
    except InputError:
        assert ".." in parts or set(parts) == {"."}  # leaves, or names no file
        return
    root = Path("/unpack")
    for member in members:
        target = (root / member.filename).resolve()
        assert target.is_relative_to(root)

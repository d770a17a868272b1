"""Time of day and week: ``"07:30"`` in files and JSON, seconds since midnight inside;
the weekday names scenario files and disruptions use."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from typing import Literal

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

_CLOCK = re.compile(r"^\s*(\d{1,2}):(\d{2})(?::(\d{2}))?\s*$")
SECONDS_PER_DAY = 86_400


def parse_clock_s(text: str) -> int:
    """``"07:30"`` -> 27000 (seconds since midnight); ``"24:00"`` is allowed as end of day."""
    match = _CLOCK.match(text)
    if not match:
        raise ValueError(f"not a time of day 'HH:MM': {text!r}")
    hours, minutes, seconds = (int(g) if g else 0 for g in match.groups())
    if minutes > 59 or seconds > 59 or hours > 24 or (hours == 24 and (minutes or seconds)):
        raise ValueError(f"time of day out of range: {text!r}")
    return hours * 3600 + minutes * 60 + seconds


def format_clock(seconds: float) -> str:
    """27000 -> ``"07:30"`` (rounded to the minute; past midnight keeps counting hours)."""
    total_min = round(seconds / 60)
    return f"{total_min // 60:02d}:{total_min % 60:02d}"


def parse_windows_s(text: str) -> tuple[tuple[int, int], ...]:
    """``"07:30-11:00;13:00-14:00"`` -> ((27000, 39600), (46800, 50400)).

    Windows come back sorted; overlapping windows are an error."""
    windows: list[tuple[int, int]] = []
    for part in text.split(";"):
        part = part.strip()
        if not part:
            continue
        start_text, sep, end_text = part.partition("-")
        if not sep:
            raise ValueError(f"time window must be 'HH:MM-HH:MM': {part!r}")
        start_s, end_s = parse_clock_s(start_text), parse_clock_s(end_text)
        if end_s <= start_s:
            raise ValueError(f"time window ends before it starts: {part!r}")
        windows.append((start_s, end_s))
    if not windows:
        raise ValueError("at least one time window 'HH:MM-HH:MM' is needed")
    windows.sort()
    for (_, end_a), (start_b, _) in itertools.pairwise(windows):
        if start_b < end_a:
            raise ValueError(f"time windows overlap: {text!r}")
    return tuple(windows)


def format_windows(windows: Iterable[tuple[float, float]]) -> str:
    """Inverse of :func:`parse_windows_s` (seconds since midnight to ``"HH:MM-HH:MM;..."``)."""
    return ";".join(f"{format_clock(a)}-{format_clock(b)}" for a, b in windows)


def intersect_windows(first: Iterable[tuple[float, float]],
                      second: Iterable[tuple[float, float]]) -> tuple[tuple[float, float], ...]:
    """The times inside a window of both lists, as sorted windows (empty when they do not
    overlap; windows that only touch give nothing)."""
    overlaps = [(max(a, c), min(b, d)) for a, b in first for c, d in second
                if max(a, c) < min(b, d)]
    return tuple(sorted(overlaps))

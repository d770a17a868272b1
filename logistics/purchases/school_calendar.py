"""Which days of a year units receive goods: Norwegian public holidays, and the
school holidays and kindergarten summer weeks the GENERATED purchase year assumes.

Public holidays are the ones Norwegian law names (lov om 1. og 17. mai som
høgtidsdager; lov om helligdager og helligdagsfred): New Year's Day, Maundy Thursday,
Good Friday, Easter Sunday and Monday, 1 May, 17 May, Ascension Day, Whit Sunday and
Monday, Christmas Day and Boxing Day. School holidays follow the usual pattern of
Bergen kommune's school year, by ISO week (an assumption; a real study would read the
year's skolerute): winter week 9, the week after Palm Sunday and Easter Monday,
summer from the Monday of week 26 to the Friday of week 33, autumn week 40, and
Christmas from 21 December to 2 January.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

SCHOOL_WINTER_WEEK = 9
SCHOOL_AUTUMN_WEEK = 40
SCHOOL_SUMMER_WEEKS = range(26, 34)
"""ISO weeks without school (assumption, see the module docstring)."""
KINDERGARTEN_SUMMER_WEEKS = range(28, 32)
"""ISO weeks with fewer children in kindergartens (fellesferie; assumption)."""
KINDERGARTEN_SUMMER_FACTOR = 0.4
"""Share of a normal week's goods a kindergarten gets in those weeks (assumption)."""


def easter_sunday(year: int) -> dt.date:
    """Easter Sunday of the Gregorian calendar (the anonymous Gregorian algorithm)."""
    golden = year % 19
    century, year_of_century = divmod(year, 100)
    leap_centuries, century_rest = divmod(century, 4)
    moon_correction = (century + 8) // 25
    solar = (century - moon_correction + 1) // 3
    epact = (19 * golden + century - leap_centuries - solar + 15) % 30
    leap_years, year_rest = divmod(year_of_century, 4)
    weekday = (32 + 2 * century_rest + 2 * leap_years - epact - year_rest) % 7
    shift = (golden + 11 * epact + 22 * weekday) // 451
    month, day = divmod(epact + weekday - 7 * shift + 114, 31)
    return dt.date(year, month, day + 1)


@dataclass(frozen=True)
class SchoolCalendar:
    """Public holidays and school holidays of one calendar year."""

    year: int

    @cached_property
    def public_holidays(self) -> frozenset[dt.date]:
        """Norway's public holidays in the year."""
        easter = easter_sunday(self.year)
        after_easter = (-3, -2, 0, 1, 39, 49, 50)
        fixed = ((1, 1), (5, 1), (5, 17), (12, 25), (12, 26))
        return frozenset({easter + dt.timedelta(days=d) for d in after_easter}
                         | {dt.date(self.year, m, d) for m, d in fixed})

    @cached_property
    def _easter_school_break(self) -> frozenset[dt.date]:
        easter = easter_sunday(self.year)
        start = easter - dt.timedelta(days=6)  # Monday after Palm Sunday
        return frozenset(start + dt.timedelta(days=d) for d in range(9))  # to Easter Monday

    def is_school_holiday(self, day: dt.date) -> bool:
        """Whether schools are closed on ``day`` (public holidays included)."""
        week = day.isocalendar().week
        return (day in self.public_holidays or day in self._easter_school_break
                or week in (SCHOOL_WINTER_WEEK, SCHOOL_AUTUMN_WEEK)
                or (week in SCHOOL_SUMMER_WEEKS and day.month in (6, 7, 8))
                or (day.month == 12 and day.day >= 21) or (day.month == 1 and day.day <= 2))

    def demand_factor(self, unit_type: str, day: dt.date) -> float:
        """Share of a normal week's goods a unit of ``unit_type`` takes on ``day``: 0 when
        it is closed (weekends, public holidays; schools in school holidays)."""
        if day.weekday() >= 5 or day in self.public_holidays:
            return 0.0
        if unit_type == "school":
            return 0.0 if self.is_school_holiday(day) else 1.0
        if day.isocalendar().week in KINDERGARTEN_SUMMER_WEEKS:
            return KINDERGARTEN_SUMMER_FACTOR
        return 1.0

"""The reader's language: every text a report, map, chart or workbook shows, in English
(``en``) or bokmål (``nb``), and numbers and dates written the way each language writes
them.

The texts live in gettext catalogues (:mod:`logistics.outputs.catalogues`): each has a
key (``section.question``, ``map.hub``, ``reason.hub_unavailable``...), its English
wording in ``locales/logistics.pot`` and its bokmål one in
``locales/nb/LC_MESSAGES/logistics.po``. :data:`EN` and :data:`NB` are read-only views
of them by key; the English KPI and decomposition labels equal those of
:mod:`logistics.outputs.tables`, so they read the same in a terminal and in the report.
To add a text, add its entry to both files (or write ``EN``/``NB`` dict literals in a
Python file and run ``python -m logistics.outputs.catalogues import-dicts FILE.py``).
Numbers, percentages, weekday names and dates are formatted by Babel from the Unicode
CLDR data of each language: ``en`` ``1,234.5`` and ``23.4%``; ``nb`` ``1 234,5`` and
``23,4 %`` (no-break spaces). Names of categories and vehicle types come from the data
tables (``name`` or ``name_nb``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from babel.dates import format_date, get_day_names
from babel.numbers import Locale as BabelLocale
from babel.numbers import format_decimal, format_percent, get_group_symbol

from logistics.accounting.kpi import RATIO_KPIS
from logistics.clock import WEEKDAYS
from logistics.errors import InputError, Problem
from logistics.io.tables import load_table
from logistics.model.dataset import load_vehicle_types
from logistics.model.domain import Category
from logistics.outputs.catalogues import english, translated
from logistics.outputs.tables import Label
from logistics.paths import VEHICLES_FILE

LANGUAGES = ("en", "nb")
GROUP_SEPARATOR = get_group_symbol("nb")
"""What bokmål writes between thousands (CLDR: a no-break space)."""
NO_VALUE = "–"
LIST_SEPARATOR = ";"
"""Between the items of a list in one cell of a result table (``tue;wed``)."""

EN: Mapping[str, str] = english()
"""Every English text, by key (from the template catalogue)."""
NB: Mapping[str, str] = translated("nb")
"""Every bokmål text, by the keys of :data:`EN` (from the bokmål catalogue)."""

TEXTS: Mapping[str, Mapping[str, str]] = {"en": EN, "nb": NB}
_BY_ENGLISH = {text: key for key, text in EN.items() if "{" not in text}


@dataclass(frozen=True)
class Locale:
    """The texts and number style of one language of :data:`LANGUAGES`."""

    lang: str

    def text(self, key: str, **values: object) -> str:
        """The text of ``key``, with ``{name}`` fields filled from ``values``."""
        template = TEXTS[self.lang][key]
        return template.format(**values) if values else template

    def number(self, value: float | None, digits: int = 0) -> str:
        """``value`` with ``digits`` decimals and grouped thousands (:data:`NO_VALUE` for
        none or NaN)."""
        if value is None or math.isnan(value):
            return NO_VALUE
        pattern = "#,##0" + ("." + "0" * digits if digits else "")
        return format_decimal(value, format=pattern, locale=self.lang)

    def change_pct(self, pct: float | None) -> str:
        """A signed change in percent: ``+12%`` (en), ``+12 %`` (nb)."""
        if pct is None:
            return ""
        pattern = self._percent_pattern(0)
        return format_percent(pct / 100, format=f"+{pattern};-{pattern}", locale=self.lang)

    def share_pct(self, share: float | None, digits: int = 1) -> str:
        """A share as percent: ``23.4%`` (en), ``23,4 %`` (nb); :data:`NO_VALUE` for none
        or NaN."""
        if share is None or math.isnan(share):
            return NO_VALUE
        return format_percent(share, format=self._percent_pattern(digits), locale=self.lang)

    def _percent_pattern(self, digits: int) -> str:
        """The language's CLDR percent pattern with ``digits`` decimals."""
        standard = BabelLocale.parse(self.lang).percent_formats[None].pattern
        return re.sub(r"0(?=[^0#,.]*$)", "0" + ("." + "0" * digits if digits else ""),
                      standard.split(";")[0], count=1)

    def date(self, day: date) -> str:
        """A date in words (``7 December 2026``, ``7. desember 2026``)."""
        return format_date(day, format="long", locale=self.lang)

    def weekday(self, code: str) -> str:
        """A weekday of :data:`~logistics.clock.WEEKDAYS` (``tue``) by its name in this
        language (``Tuesday``, ``tirsdag``); ``code`` itself when it is none."""
        if code not in WEEKDAYS:
            return code
        return str(get_day_names("wide", locale=self.lang)[WEEKDAYS.index(code)])

    def weekdays(self, codes: str) -> str:
        """A :data:`LIST_SEPARATOR`-separated list of weekday codes as names."""
        return ", ".join(self.weekday(code) for code in codes.split(LIST_SEPARATOR) if code)

    def reasons(self, codes: str) -> str:
        """A :data:`LIST_SEPARATOR`-separated list of reason codes in words."""
        return "; ".join(self.name("reason", code)
                         for code in codes.split(LIST_SEPARATOR) if code)

    def kpi(self, label: Label, period: str | None = None) -> str:
        """A KPI's label, with ``/ <period>`` unless the KPI is a share, ratio or peak."""
        text = self.text(f"kpi.{label.key}")
        if period is None or label.key in RATIO_KPIS:
            return text
        return f"{text} / {self.text(f'period.{period}')}"

    def impact(self, label: Label) -> str:
        """The label of a resilience metric."""
        return self.text(f"impact.{label.key}")

    def name(self, kind: str, key: str) -> str:
        """The name of a ``kind`` of value (``design``, ``travel``, ``part``, ``reason``,
        ``route_kind``, ``unit_type``) in this language; ``key`` itself when the
        catalogues have none."""
        return TEXTS[self.lang].get(f"{kind}.{key}", key)

    def known(self, english_text: str) -> str:
        """``english_text`` in this language when it is the English of a catalogue entry
        (a result's standard note), else unchanged."""
        key = _BY_ENGLISH.get(english_text)
        return english_text if key is None else self.text(key)

    def design(self, design: str) -> str:
        """``direct`` or ``consolidated`` in this language."""
        return self.name("design", design)


def locale_for(lang: str, source: str = "--lang") -> Locale:
    """The :class:`Locale` of ``lang``; an input problem naming ``source`` otherwise."""
    if lang not in LANGUAGES:
        raise InputError([Problem(source, "", "lang", repr(lang), ", ".join(LANGUAGES))])
    return Locale(lang)


def category_names(dataset_dir: Path, locale: Locale) -> dict[str, str]:
    """Category id -> name in ``locale``'s language from ``dataset_dir/categories.csv``
    (``name_nb`` in bokmål, the English ``name`` where it is empty)."""
    categories = load_table(dataset_dir / "categories.csv", Category)
    if locale.lang == "nb":
        return {c.id: c.name_nb or c.name for c in categories}
    return {c.id: c.name for c in categories}


def vehicle_names(locale: Locale, path: Path = VEHICLES_FILE) -> dict[str, str]:
    """Vehicle type id -> name in ``locale``'s language from the vehicle catalogue
    (``name_nb`` in bokmål, the English ``name`` where it is empty)."""
    types = load_vehicle_types(path).values()
    if locale.lang == "nb":
        return {v.id: v.name_nb or v.name for v in types}
    return {v.id: v.name for v in types}

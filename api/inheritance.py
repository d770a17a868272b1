"""What a scenario inherits from the scenarios it ``extends``: the fields it does not
set itself, and the frequencies that still win over a ``default`` it sets (mappings
merge key by key, and a category's or temperature class's frequency comes before
``default``)."""

from __future__ import annotations

from collections.abc import Mapping

from api.checks import SOURCE, checked_scenario
from api.models import ValidatedScenario
from api.paths import Roots

FREQUENCY = "frequency_per_week"


def inherited_fields(document: Mapping[str, object], merged: Mapping[str, object]
                     ) -> list[str]:
    """Dotted paths of the merged scenario's values that ``document`` does not set
    (a mapping is followed into its keys; a list is one value)."""
    paths: list[str] = []
    for key, value in merged.items():
        if key == "extends":
            continue
        given = document.get(key)
        if key not in document:
            paths.append(key)
        elif isinstance(value, dict) and isinstance(given, dict):
            paths += [f"{key}.{path}" for path in inherited_fields(given, value)]
    return sorted(paths)


def frequency_notes(document: Mapping[str, object], merged: Mapping[str, object]
                    ) -> list[str]:
    """A note when ``document`` sets ``frequency_per_week`` but inherited keys of it
    remain and outrank what it set (a category or class over ``default``)."""
    given = document.get(FREQUENCY)
    frequencies = merged.get(FREQUENCY)
    if not isinstance(given, dict) or not isinstance(frequencies, dict):
        return []
    kept = {key: value for key, value in frequencies.items()
            if key not in given and key != "default"}
    if not kept:
        return []
    listed = ", ".join(f"{key} {value}" for key, value in sorted(kept.items()))
    return [f"{FREQUENCY}: {listed} a week are inherited from '{document.get('extends')}' "
            "and come before 'default'; set them here to plan them otherwise"]


def validated_scenario(document: Mapping[str, object], roots: Roots) -> ValidatedScenario:
    """The scenario merged and checked in full (422 with every problem), with what it
    inherited and notes on its disruptions and inherited frequencies."""
    scenario, checked = checked_scenario(document, roots)
    merged = roots.merged_document(document, SOURCE)
    return ValidatedScenario(scenario=scenario, inherited=inherited_fields(document, merged),
                             notes=[*checked.notes, *frequency_notes(document, merged)])

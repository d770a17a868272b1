"""Scenario files: YAML merged with the base it ``extends``, then validated.

``extends`` names another scenario file in the same folder. Mappings merge key by
key; every other value (lists included) is replaced. The JSON schema of the format is generated from
:class:`~logistics.scenarios.schema.Scenario` and checked in
(``scenarios/scenario.schema.json``); a test fails when they drift.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from logistics.errors import InputError, Problem
from logistics.io.tables import read_yaml_mapping
from logistics.scenarios.schema import Scenario

MAX_EXTENDS_DEPTH = 10


def _deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Mappings merge key by key; every other value (lists included) is replaced."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def merged_document(path: Path) -> dict[str, Any]:
    """The scenario file's mapping with its ``extends`` chain merged in (base first).

    ``extends`` names another scenario file in the same folder (``name`` or
    ``name.yaml``).
    """
    return merge_bases(read_yaml_mapping(path), path.parent, str(path), first=path)


def merge_bases(document: dict[str, Any], folder: Path, source: str,
                first: Path | None = None) -> dict[str, Any]:
    """``document`` with the chain of scenarios it ``extends`` (files in ``folder``)
    merged in, base first. ``first`` is the file ``document`` came from, if any."""
    chain: list[tuple[Path | None, dict[str, Any]]] = [(first, document)]
    while (base := chain[-1][1].get("extends")) is not None:
        where = str(chain[-1][0] or source)
        if not isinstance(base, str):
            raise InputError([Problem(where, "", "extends", repr(base),
                                      "the name of another scenario file")])
        name = base if base.endswith((".yaml", ".yml")) else f"{base}.yaml"
        current = folder / name
        if any(seen is not None and current.resolve() == seen.resolve() for seen, _ in chain):
            raise InputError([Problem(source, "", "extends", str(current),
                                      "a chain of scenarios without cycles")])
        if len(chain) >= MAX_EXTENDS_DEPTH:
            raise InputError([Problem(source, "", "extends", f"{len(chain)} levels",
                                      f"at most {MAX_EXTENDS_DEPTH}")])
        chain.append((current, read_yaml_mapping(current)))
    merged: dict[str, Any] = {}
    for _, part in reversed(chain):
        merged = _deep_merge(merged, part)
    merged["extends"] = document.get("extends")
    return merged


def scenario_from_mapping(document: dict[str, Any], source: str) -> Scenario:
    """Validate a merged mapping; every problem listed at once."""
    return Scenario.from_data(document, source, "scenario")


def load_scenario(path: Path) -> Scenario:
    """Read a scenario file, merge its bases, validate the result."""
    return scenario_from_mapping(merged_document(path), str(path))


def scenario_json_schema() -> str:
    """The JSON schema of the scenario format, as checked in."""
    return json.dumps(Scenario.model_json_schema(), indent=2, sort_keys=True) + "\n"

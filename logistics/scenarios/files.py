"""Scenario files: YAML merged with the base it ``extends``, then validated.

``extends`` names a scenario: a file beside the one that names it, or a shipped
scenario (``scenarios/bergen/``), so a user's scenario anywhere can build on a shipped
one. Mappings merge key by key; every other value (lists included) is replaced. The
JSON schema of the format is generated from
:class:`~logistics.scenarios.schema.Scenario` and checked in
(``scenarios/scenario.schema.json``); a test fails when they drift.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Mapping
from pathlib import Path

from pydantic import ValidationError

from logistics.errors import InputError, Problem
from logistics.io.tables import read_yaml_mapping
from logistics.paths import SHIPPED_SCENARIOS_DIR
from logistics.scenarios.schema import Scenario
from logistics.validated import MAX_TEXT_LENGTH

MAX_EXTENDS_DEPTH = 10
MAX_REPAIRS = 20
UNREPAIRABLE = frozenset({"dataset_dir", "orders_file", "reuse"})
"""Fields whose default would check references against other data than the user's."""
SCENARIO_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")
"""What ``extends`` may hold: a name, never a path."""


def _deep_merge(base: Mapping[str, object], override: Mapping[str, object]
                ) -> dict[str, object]:
    """Mappings merge key by key; every other value (lists included) is replaced."""
    merged = dict(base)
    for key, value in override.items():
        current = merged.get(key)
        if isinstance(value, dict) and isinstance(current, dict):
            merged[key] = _deep_merge(current, value)
        else:
            merged[key] = value
    return merged


def merged_document(path: Path) -> dict[str, object]:
    """The scenario file's mapping with its ``extends`` chain merged in (base first):
    values as read, checked when the scenario is validated."""
    return merge_bases(read_yaml_mapping(path), path.parent, str(path), first=path)


def merge_bases(document: Mapping[str, object], folder: Path | None, source: str,
                first: Path | None = None) -> dict[str, object]:
    """``document`` with the chain of scenarios it ``extends`` merged in, base first.

    Each ``extends`` is a scenario name, looked up beside the file that names it (in
    ``folder`` for ``document`` itself; None looks only among the shipped scenarios),
    then among the shipped scenarios. ``first`` is the file ``document`` came from."""
    chain: list[tuple[Path | None, Mapping[str, object]]] = [(first, document)]
    while (base := chain[-1][1].get("extends")) is not None:
        referrer = chain[-1][0]
        where = str(referrer or source)
        current = _base_file(base, referrer.parent if referrer else folder, where)
        if any(seen is not None and current.resolve() == seen.resolve() for seen, _ in chain):
            raise InputError([Problem(where, "", "extends", f"{base!r} ({current.name})",
                                      "a chain of scenarios without cycles")])
        if len(chain) >= MAX_EXTENDS_DEPTH:
            raise InputError([Problem(source, "", "extends", f"{len(chain)} levels",
                                      f"at most {MAX_EXTENDS_DEPTH}")])
        chain.append((current, read_yaml_mapping(current)))
    merged: dict[str, object] = {}
    for _, part in reversed(chain):
        merged = _deep_merge(merged, part)
    merged["extends"] = document.get("extends")
    return _marked_description(document, merged)


UNDESCRIBED_FIELDS = {"name", "extends", "description", "solver", "dataset_dir", "orders_file"}
"""Fields a description does not speak of: changing them leaves an inherited one true."""


def _marked_description(document: Mapping[str, object], merged: dict[str, object]
                        ) -> dict[str, object]:
    """``merged``, its description marked as inherited when ``document`` changes what
    its base describes (hub, fleet, frequencies, ...) without a description of its
    own, so no listing or report calls the child by its base's words."""
    changed = sorted(str(field) for field in document if field not in UNDESCRIBED_FIELDS)
    inherited = merged.get("description")
    if "description" in document or not document.get("extends") or not changed \
            or not isinstance(inherited, str) or not inherited:
        return merged
    marked = (f"[Inherited from '{document['extends']}', which this scenario changes "
              f"({', '.join(changed)}):] {inherited}")
    return {**merged, "description": marked[:MAX_TEXT_LENGTH]}


def shipped_scenario_names() -> list[str]:
    """Names a scenario anywhere may ``extends``: the shipped scenario files."""
    return sorted(p.stem for p in SHIPPED_SCENARIOS_DIR.glob("*.yaml"))


def _base_file(base: object, folder: Path | None, where: str) -> Path:
    """The file of the scenario named ``base``: beside the referrer, else shipped."""
    allowed = ("the name of a scenario file beside it or of a shipped scenario: "
               + ", ".join(shipped_scenario_names()))
    if not isinstance(base, str) or not SCENARIO_NAME.fullmatch(base):
        raise InputError([Problem(where, "", "extends", repr(base)[:120], allowed)])
    name = base.removesuffix(".yaml").removesuffix(".yml")
    for candidate_folder in (folder, SHIPPED_SCENARIOS_DIR):
        if candidate_folder is None:
            continue
        for suffix in (".yaml", ".yml"):
            candidate = candidate_folder / f"{name}{suffix}"
            if candidate.is_file():
                return candidate
    raise InputError([Problem(where, "", "extends", f"{base!r}: no such scenario", allowed)])


def scenario_from_mapping(document: Mapping[str, object], source: str) -> Scenario:
    """Validate a merged mapping; every problem listed at once."""
    return Scenario.from_data(document, source, "scenario")


def repaired_scenario(document: Mapping[str, object]) -> Scenario | None:
    """The scenario with every invalid field taken out (left at its default, a bad
    list entry dropped, a required name or design given a stand-in), so that references
    can be checked beside the field problems; None when no valid scenario remains (a
    path to the data is bad)."""
    repaired = copy.deepcopy(dict(document))
    for _ in range(MAX_REPAIRS):
        try:
            return Scenario.model_validate(repaired)
        except ValidationError as error:
            locs = [item["loc"] for item in error.errors()]
            if any(loc and loc[0] in UNREPAIRABLE for loc in locs):
                return None
            if not all(_stand_in(repaired, loc) or _drop(repaired, loc) for loc in locs):
                return None
    return None


def _stand_in(document: dict[str, object], loc: tuple[int | str, ...]) -> bool:
    """Put a stand-in for a bad required field, so the references are still checked
    (they do not depend on it): a placeholder name, and the design a hub implies.
    False for any other field."""
    if loc[:1] == ("name",):
        document["name"] = "unnamed"
    elif loc[:1] == ("design",):
        document["design"] = "consolidated" if document.get("hub") else "direct"
    else:
        return False
    return True


def _drop(document: dict[str, object], loc: tuple[int | str, ...]) -> bool:
    """Remove the deepest part of ``document`` along ``loc``; False when nothing can
    be removed (the document itself is wrong, or a required field is missing)."""
    parent: object = None
    key: int | str = 0
    node: object = document
    for step in loc:
        # the two branches narrow differently (a list takes an int index only)
        if isinstance(node, dict) and step in node:  # noqa: SIM114
            parent, key, node = node, step, node[step]
        elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            parent, key, node = node, step, node[step]
        else:
            break
    if isinstance(parent, dict):  # noqa: SIM114
        del parent[key]
    elif isinstance(parent, list) and isinstance(key, int):
        del parent[key]
    else:
        return False
    return True


def load_scenario(path: Path) -> Scenario:
    """Read a scenario file, merge its bases, validate the result."""
    return scenario_from_mapping(merged_document(path), str(path))


def scenario_json_schema() -> str:
    """The JSON schema of the scenario format, as checked in."""
    return json.dumps(Scenario.model_json_schema(), indent=2, sort_keys=True) + "\n"

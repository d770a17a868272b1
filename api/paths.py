"""The only places the API reads from, and how no server path leaves it.

A scenario sent to the API names its files (``dataset_dir``, ``orders_file``, the reuse
files) relative to two roots: ``data/...`` (the shipped data) and ``uploads/...``
(studies uploaded through the API, under ``<results_dir>/uploads``). Absolute paths,
``..`` and anything resolving outside its root (a symbolic link) are refused before a
byte is read. ``extends`` names a shipped or uploaded scenario, never a path. Every text
an answer carries goes through :meth:`Roots.scrub`, which writes the roots as their
labels and cuts any other absolute path to its last part.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from logistics.errors import InputError, Problem
from logistics.paths import DATA_DIR, PROJECT_ROOT, SHIPPED_SCENARIOS_DIR
from logistics.scenarios.files import merge_bases
from logistics.scenarios.schema import Scenario

UPLOADS_LABEL = "uploads"
DATA_LABEL = "data"
SCENARIO_PATH_FIELDS = ("dataset_dir", "orders_file", "reuse.flows_file", "reuse.items_file")
"""The scenario fields holding a file or folder path (dotted)."""
NAME_PATTERN = r"^[a-z0-9][a-z0-9_.-]{0,99}$"
"""An uploaded data set's or scenario's name: it names a folder or file, never a path."""
MAX_PATH_PART_BYTES = 255
"""Longest file or folder name the file systems take."""
PATH_PATTERN = r"^(data|uploads)(/(?!\.{1,2}(/|$))[^/\\\x00]{1,255})+$"
"""A path a request may give: under ``data/`` or ``uploads/``, parts of 1 to 255
characters without '/', '\\' or NUL, none of them '.' or '..' (the OpenAPI document
states it; a part must also fit in 255 bytes)."""
_ABSOLUTE_PATH = re.compile(r"(?<![\w.:/\\])(?:[A-Za-z]:)?[/\\](?:[^\s'\"/\\,;()\[\]{}]+[/\\])+")
"""The folders of an absolute path (POSIX or Windows), not of a URL or a relative path."""


@dataclass(frozen=True)
class Roots:
    """The folders the API may read: the shipped data and the uploads area."""

    results_dir: Path

    @property
    def uploads_dir(self) -> Path:
        return self.results_dir / UPLOADS_LABEL

    @property
    def uploaded_datasets_dir(self) -> Path:
        return self.uploads_dir / "datasets"

    @property
    def uploaded_scenarios_dir(self) -> Path:
        return self.uploads_dir / "scenarios"

    def labels(self) -> dict[str, Path]:
        """Each root by the label scenarios name it with."""
        return {DATA_LABEL: DATA_DIR, UPLOADS_LABEL: self.uploads_dir}

    def scrub(self, text: str) -> str:
        """``text`` without server paths: a root is written as its label (``data/``,
        ``uploads/``), any other absolute path cut to its last part."""
        replacements = [(self.uploads_dir, f"{UPLOADS_LABEL}/"),
                        (self.results_dir, "results/"), (PROJECT_ROOT, "")]
        for folder, label in replacements:
            for spelling in {str(folder), str(folder.resolve())}:
                text = text.replace(f"{spelling}/", label).replace(spelling, label.rstrip("/"))
        return _ABSOLUTE_PATH.sub("", text)

    def resolve(self, value: str, field: str, source: str) -> Path:
        """The file or folder ``value`` names inside its root; an :class:`InputError`
        when it is not ``data/...`` or ``uploads/...`` or leaves its root."""
        allowed = ("a relative path starting with 'data/' (shipped data) or 'uploads/' "
                   "(uploaded data sets), without '.' or '..' parts, parts of at most "
                   f"{MAX_PATH_PART_BYTES} bytes")
        found = repr(value[:200])
        parts = PurePosixPath(value).parts
        if (not re.fullmatch(PATH_PATTERN, value)
                or any(len(p.encode()) > MAX_PATH_PART_BYTES for p in parts)):
            raise InputError([Problem(source, "", field, found, allowed)])
        root = self.labels().get(parts[0])
        if root is None:
            raise InputError([Problem(source, "", field, found, allowed)])
        path = root.joinpath(*parts[1:]).resolve()
        if not path.is_relative_to(root.resolve()):
            raise InputError([Problem(source, "", field, found, "a path that stays inside "
                                      f"'{parts[0]}/' (no links out of it)")])
        return path

    def resolved_scenario(self, scenario: Scenario, source: str) -> Scenario:
        """The scenario with every path field made absolute inside its root, ready for
        the pipeline; every refused path listed at once."""
        problems: list[Problem] = []
        overrides: dict[str, str] = {}
        document = scenario.model_dump(mode="json")
        for field in SCENARIO_PATH_FIELDS:
            value = _dotted(document, field)
            if value is None:
                continue
            try:
                overrides[field] = str(self.resolve(str(value), field, source))
            except InputError as error:
                problems.extend(error.problems)
        if problems:
            raise InputError(problems)
        return scenario.model_copy(update=_nested(overrides, scenario))

    def merged_document(self, document: Mapping[str, object], source: str
                        ) -> dict[str, object]:
        """``document`` merged with the scenarios it ``extends``: uploaded scenarios
        first, then shipped ones, by name only."""
        return merge_bases(document, self.uploaded_scenarios_dir, source)

    def scenario_names(self) -> dict[str, Path]:
        """Every scenario a request may extend, by name: shipped, then uploaded."""
        names = {p.stem: p for p in sorted(SHIPPED_SCENARIOS_DIR.glob("*.yaml"))}
        for path in sorted(self.uploaded_scenarios_dir.glob("*.yaml")):
            names.setdefault(path.stem, path)
        return names


def _dotted(document: Mapping[str, object], field: str) -> object:
    node: object = document
    for part in field.split("."):
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node


def _nested(overrides: dict[str, str], scenario: Scenario) -> dict[str, object]:
    """``model_copy`` updates for dotted overrides (the reuse files are nested)."""
    update: dict[str, object] = {k: v for k, v in overrides.items() if "." not in k}
    reuse = {k.split(".", 1)[1]: v for k, v in overrides.items() if k.startswith("reuse.")}
    if reuse and scenario.reuse is not None:
        update["reuse"] = scenario.reuse.model_copy(update=reuse)
    return update

"""Validated, immutable models and the one way to make a variant of one.

Every input object (sites, vehicles, orders, scenarios, solver settings) is a
:class:`Frozen` pydantic model. A what-if variant is made with
:meth:`Frozen.with_overrides`, which validates the changed object like a file would be
validated: a variant can never hold a value its file could not.
"""

from __future__ import annotations

import typing
from collections.abc import Mapping
from typing import Annotated, Any, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic.fields import FieldInfo

from logistics.errors import InputError, Problem

MAX_ID_LENGTH = 100
MAX_NAME_LENGTH = 200
MAX_TEXT_LENGTH = 2000

Id = Annotated[str, Field(min_length=1, max_length=MAX_ID_LENGTH)]
"""An id from the input, kept unchanged through every output."""
Name = Annotated[str, Field(max_length=MAX_NAME_LENGTH)]
"""A name people read (of a site, a vehicle model, a label)."""
Text = Annotated[str, Field(max_length=MAX_TEXT_LENGTH)]
"""Free text: a source, a basis, a description."""


class Frozen(BaseModel):
    """Base of every input model: immutable, strict about unknown fields, no NaN or
    infinity in any number."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True,
                              allow_inf_nan=False)

    @classmethod
    def from_data(cls, data: Mapping[str, Any], source: str, location: str = "") -> Self:
        """Validate ``data`` (a file's mapping, command-line values) into this model;
        raises :class:`InputError` naming every bad field."""
        try:
            return cls.model_validate(data)
        except ValidationError as error:
            raise InputError(problems_from_validation(error, source, location, cls)) from None

    def with_overrides(self, overrides: Mapping[str, Any], source: str = "override") -> Self:
        """A validated copy with ``overrides`` applied; keys are dotted field paths
        (``"solver.time_limit_s"``), values plain data or models. Mappings along a path
        are created when missing. Raises :class:`InputError` naming every bad field."""
        document = self.model_dump(mode="json")
        for path, value in overrides.items():
            *parents, last = path.split(".")
            target = document
            for part in parents:
                child = target.get(part)
                if not isinstance(child, dict):
                    child = {}
                    target[part] = child
                target = child
            target[last] = _plain(value)
        return self.from_data(document, source, "overrides")


def _plain(value: Any) -> Any:
    """Models (and lists or tuples of models) as the data a file would hold."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


RENAMED_FIELDS = {"study_dir": "dataset_dir"}
"""Fields of the file formats that were renamed: old name -> new name."""


def problems_from_validation(error: ValidationError, source: str, location: str,
                             model: type[BaseModel] | None = None) -> list[Problem]:
    """Turn a pydantic ValidationError into our Problems (one per failing field); with
    the validated ``model``, an unknown field's problem lists the fields allowed there."""
    problems = []
    for item in error.errors():
        field = ".".join(str(part) for part in item["loc"]) or "(row)"
        found: Any = item.get("input")
        if item["type"] == "missing":
            found = "nothing"
        elif item["type"] == "extra_forbidden":
            found = f"unknown field {field!r}"
        allowed = _allowed_text(item)
        if item["type"] == "extra_forbidden" and model is not None:
            allowed = _known_fields_text(model, tuple(item["loc"][:-1])) or allowed
        if item["type"] == "extra_forbidden" and item["loc"][-1] in RENAMED_FIELDS:
            allowed = f"{RENAMED_FIELDS[str(item['loc'][-1])]!r}, its new name"
        problems.append(Problem(source, location, field, repr(found) if found != "nothing"
                                else found, allowed))
    return problems


def _allowed_text(item: Any) -> str:
    ctx = item.get("ctx") or {}
    if "expected" in ctx:
        return f"one of {ctx['expected']}"
    if item["type"] == "extra_forbidden":
        return "only the documented fields"
    if item["type"] == "missing":
        return "a value (required)"
    return plain_message(str(item["msg"]))


def _known_fields_text(model: type[BaseModel], path: tuple[int | str, ...]) -> str | None:
    """"one of the fields a, b, ..." of the model found at ``path`` inside ``model``
    (list indices and union tags passed through); None where the path leads to no
    single set of fields."""
    candidates: list[type[BaseModel]] = [model]
    for part in path:
        if isinstance(part, int):
            continue
        holders = [c for c in candidates if part in c.model_fields]
        if holders:
            candidates = [inner for holder in holders
                          for inner in _models_in(holder.model_fields[part].annotation)]
        else:  # a union member's tag (its class name or discriminator value), or a key
            tagged = [c for c in candidates if c.__name__ == part or _has_tag(c, part)]
            candidates = tagged or candidates
    names = {tuple(_input_name(name, field) for name, field in c.model_fields.items())
             for c in candidates}
    if len(names) != 1:
        return None
    return "one of the fields " + ", ".join(names.pop())


def _input_name(name: str, field: FieldInfo) -> str:
    """The name a file gives the field: its validation alias, where it has one."""
    return field.validation_alias if isinstance(field.validation_alias, str) else name


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """The models an annotation can hold, through unions, Annotated and containers."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [model for arg in typing.get_args(annotation) for model in _models_in(arg)]


def _has_tag(model: type[BaseModel], tag: str) -> bool:
    """Whether a field of ``model`` is a Literal that admits ``tag`` (a union's tag)."""
    return any(typing.get_origin(f.annotation) is typing.Literal
               and tag in typing.get_args(f.annotation) for f in model.model_fields.values())


def plain_message(message: str) -> str:
    """A validator's message without pydantic's ``Value error, `` or ``Assertion
    failed, `` prefix, which says nothing to a reader."""
    for prefix in ("Value error, ", "Assertion failed, "):
        if message.startswith(prefix):
            return message[len(prefix):]
    return message

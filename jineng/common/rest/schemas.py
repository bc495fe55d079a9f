"""The base of every API input schema (输入模式基类): no text without a maximum length, no number without a range.

Every string of an ``InputSchema`` (a field, an item of a list, a value of a mapping) is refused above
``TEXT_MAX`` characters unless its field says less (``Field(max_length=…)`` or the types in ``types.py``), and the
published OpenAPI document says so (``maxLength`` on every string property), so clients and the fuzzing stage see the
same bound the server enforces. Likewise every number of an ``InputSchema`` without a declared range is held within
±``NUMBER_MAX`` (what a PostgreSQL ``integer`` holds), declared as ``minimum``/``maximum``; fields with a meaning give
their own range (``types.py``: years, hours, amounts in fen, coordinates). A test walks the document and fails on any
request-body string without ``maxLength`` or any number without bounds.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, get_args

import annotated_types
from ninja import Schema
from pydantic import ConfigDict, ValidationInfo, field_validator
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError

from jineng.common.rest.types import INT_MAX, TEXT_MAX, iso_date_only

NUMBER_MAX = INT_MAX
"""The default range of an input number without one of its own: -NUMBER_MAX..NUMBER_MAX."""

_UNBOUNDED_FORMATS = {"uuid", "date", "date-time", "time", "binary", "email", "uri", "decimal"}


def bound_strings(value: Any, limit: int = TEXT_MAX) -> None:
    """Add ``maxLength`` to every plain string in a JSON schema fragment that lacks one (in place)."""
    if isinstance(value, list):
        for item in value:
            bound_strings(item, limit)
        return
    if not isinstance(value, dict) or "$ref" in value:
        return  # another component: bounded where it is defined
    if (
        value.get("type") == "string"
        and "maxLength" not in value
        and "enum" not in value
        and "const" not in value
        and value.get("format") not in _UNBOUNDED_FORMATS
    ):
        value["maxLength"] = limit
    for key in ("anyOf", "oneOf", "allOf", "prefixItems"):
        if key in value:
            bound_strings(value[key], limit)
    for key in ("items", "additionalProperties"):
        if isinstance(value.get(key), dict):
            bound_strings(value[key], limit)
    for prop in value.get("properties", {}).values():
        bound_strings(prop, limit)


def bound_numbers(value: Any, limit: int = NUMBER_MAX) -> None:
    """Add the default ``minimum``/``maximum`` to every number in a JSON schema fragment that lacks them (in place)."""
    if isinstance(value, list):
        for item in value:
            bound_numbers(item, limit)
        return
    if not isinstance(value, dict) or "$ref" in value:
        return
    if value.get("type") in ("integer", "number"):
        if "minimum" not in value and "exclusiveMinimum" not in value:
            value["minimum"] = -limit
        if "maximum" not in value and "exclusiveMaximum" not in value:
            value["maximum"] = limit
    for key in ("anyOf", "oneOf", "allOf", "prefixItems"):
        if key in value:
            bound_numbers(value[key], limit)
    for key in ("items", "additionalProperties"):
        if isinstance(value.get(key), dict):
            bound_numbers(value[key], limit)
    for prop in value.get("properties", {}).values():
        bound_numbers(prop, limit)


def _is_number(annotation: Any) -> bool:
    """Whether a field is a number (or an optional one); a field typed ``Any`` or a union with text is not."""
    members = [a for a in (get_args(annotation) or (annotation,)) if a is not type(None)]
    return bool(members) and all(
        isinstance(a, type) and issubclass(a, int | float | Decimal) and not issubclass(a, bool) for a in members
    )


def _declared(metadata: list[Any]) -> tuple[bool, bool]:
    """Whether a field declares its own lower and upper bound."""
    low = any(isinstance(m, annotated_types.Ge | annotated_types.Gt) for m in metadata)
    high = any(isinstance(m, annotated_types.Le | annotated_types.Lt) for m in metadata)
    return low, high


class InputSchema(Schema):
    """An API input: strings at most ``TEXT_MAX`` characters unless the field says less."""

    model_config = ConfigDict(str_max_length=TEXT_MAX)

    @field_validator("*", mode="before")
    @classmethod
    def _dates_are_written_as_dates(cls, value: Any, info: ValidationInfo) -> Any:
        if info.field_name is None:
            return value
        members = get_args(cls.model_fields[info.field_name].annotation) or (
            cls.model_fields[info.field_name].annotation,
        )
        if any(isinstance(a, type) and issubclass(a, dt.date) for a in members):
            return iso_date_only(value)
        if isinstance(value, bool) and _is_number(cls.model_fields[info.field_name].annotation):
            # JSON true/false is not a number: lax parsing took ``true`` as 1 (an amount of 1 fen).
            raise PydanticCustomError("int_type", "Input should be a number, not true/false")
        return value

    @field_validator("*", mode="after")
    @classmethod
    def _number_in_default_range(cls, value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal) or info.field_name is None:
            return value
        field = cls.model_fields[info.field_name]
        if not _is_number(field.annotation):
            return value
        low, high = _declared(field.metadata)
        if not low and value < -NUMBER_MAX:
            raise PydanticCustomError(
                "greater_than_equal", "Input should be greater than or equal to {ge}", {"ge": -NUMBER_MAX}
            )
        if not high and value > NUMBER_MAX:
            raise PydanticCustomError(
                "less_than_equal", "Input should be less than or equal to {le}", {"le": NUMBER_MAX}
            )
        return value

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: Any) -> JsonSchemaValue:
        schema: JsonSchemaValue = handler(core_schema)
        properties = handler.resolve_ref_schema(schema).get("properties", {})
        for prop in properties.values():
            bound_strings(prop)
            bound_numbers(prop)
        return schema

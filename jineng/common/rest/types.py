"""Constrained types for API input (输入约束): every text has a maximum length, every number a range, every date a
window. The bounds are structural — they keep input within what storage and arithmetic can hold and appear in the
OpenAPI document (``maxLength``, ``minimum``, ``maximum``); the business limits (amount caps, time limits …) stay
per-region settings checked by the services. Documented in ``docs/foundation.md`` (API section).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

# ---- text ----------------------------------------------------------------------------------------------------------

CODE_MAX = 64
"""Codes, identifiers, numbers of documents, regions, occupations (代码与编号)."""
NAME_MAX = 200
"""Names and titles, short labels (名称、标题、标签)."""
TEXT_MAX = 2000
"""Free text: reasons, notes, descriptions, objections (说明、理由、异议) — the default of every input text."""
DOCUMENT_MAX = 20_000
"""Long documents pasted as text (a credential, a teaching plan's text)."""

Code = Annotated[str, Field(max_length=CODE_MAX)]
Name = Annotated[str, Field(max_length=NAME_MAX)]
Text = Annotated[str, Field(max_length=TEXT_MAX)]
LongText = Annotated[str, Field(max_length=DOCUMENT_MAX)]

# ---- numbers -------------------------------------------------------------------------------------------------------

INT_MAX = 2_147_483_647
"""The largest integer a count, hours or size field takes (PostgreSQL ``integer``)."""
FEN_MAX = 10**13
"""A structural bound on an amount in fen (分): 1000 亿元, far above any per-region cap, far below 64-bit overflow
even when summed a million times. The business cap is the per-region setting (h1, issue 14 defect 1)."""

Count = Annotated[int, Field(ge=0, le=INT_MAX)]
PositiveCount = Annotated[int, Field(ge=1, le=INT_MAX)]
Hours = Annotated[int, Field(ge=0, le=100_000)]
Months = Annotated[int, Field(ge=0, le=1200)]
AmountFen = Annotated[int, Field(ge=0, le=FEN_MAX)]
SignedAmountFen = Annotated[int, Field(ge=-FEN_MAX, le=FEN_MAX)]
# strict: a number (an integer is one), never true/false or a numeric string.
Latitude = Annotated[float, Field(ge=-90, le=90, strict=True)]
Longitude = Annotated[float, Field(ge=-180, le=180, strict=True)]
Score = Annotated[float, Field(ge=0, le=1000)]


# Decimals are published as JSON numbers with their range (pydantic would also publish a string form).
DecimalLatitude = Annotated[
    Decimal, Field(ge=-90, le=90), WithJsonSchema({"type": "number", "minimum": -90, "maximum": 90})
]
DecimalLongitude = Annotated[
    Decimal, Field(ge=-180, le=180), WithJsonSchema({"type": "number", "minimum": -180, "maximum": 180})
]
DecimalScore = Annotated[
    Decimal, Field(ge=0, le=1000), WithJsonSchema({"type": "number", "minimum": 0, "maximum": 1000})
]

# ---- years and dates -----------------------------------------------------------------------------------------------

YEAR_MIN = 1900
YEAR_MAX = 2100
"""Years and dates are accepted within 1900..2100 (年份与日期范围); outside answers 422."""

Year = Annotated[int, Field(ge=YEAR_MIN, le=YEAR_MAX)]
DATE_MIN = dt.date(YEAR_MIN, 1, 1)
DATE_MAX = dt.date(YEAR_MAX, 12, 31)


def _in_window(value: dt.date) -> dt.date:
    # A domain refusal (code out_of_range), not a schema one: JSON Schema cannot bound a date.
    if not DATE_MIN <= value <= DATE_MAX:
        raise PydanticCustomError(
            "date_out_of_range", "date must be within {low}..{high}", {"low": str(DATE_MIN), "high": str(DATE_MAX)}
        )
    return value


def iso_date_only(value: Any) -> Any:
    """Refuse what pydantic would otherwise read as a Unix timestamp (``0``, ``"1700000000"``): a date is written
    YYYY-MM-DD (a datetime ISO 8601), as the published schema says."""
    if isinstance(value, bool | int | float) or (isinstance(value, str) and value.strip().lstrip("+-").isdigit()):
        raise PydanticCustomError("date_parsing", "Input should be a date in the form YYYY-MM-DD")
    return value


BoundedDate = Annotated[
    dt.date,
    BeforeValidator(iso_date_only),
    AfterValidator(_in_window),
    Field(description=f"{DATE_MIN.isoformat()}..{DATE_MAX.isoformat()}"),
]

__all__ = [
    "CODE_MAX",
    "DATE_MAX",
    "DATE_MIN",
    "DOCUMENT_MAX",
    "FEN_MAX",
    "INT_MAX",
    "NAME_MAX",
    "TEXT_MAX",
    "YEAR_MAX",
    "YEAR_MIN",
    "AmountFen",
    "BoundedDate",
    "Code",
    "Count",
    "Workdays",
    "DecimalLatitude",
    "DecimalLongitude",
    "DecimalScore",
    "Hours",
    "Latitude",
    "LongText",
    "Longitude",
    "Months",
    "Name",
    "PositiveCount",
    "Score",
    "SignedAmountFen",
    "Text",
    "Year",
]


def _workdays(value: int) -> int:
    if not 0 <= value <= 366:
        raise PydanticCustomError("out_of_range", "workdays must be within 0..366")
    return value


Workdays = Annotated[int, AfterValidator(_workdays), WithJsonSchema({"type": "integer", "minimum": 0, "maximum": 366})]
"""A number of working days (工作日数), 0..366; outside answers 422 ``out_of_range``."""


def blank_is_none(value: Any) -> Any:
    """An optional id in a form: an empty field or the text ``null`` (how a form writes JSON's null) is no id."""
    return None if isinstance(value, str) and value.strip().lower() in ("", "null") else value

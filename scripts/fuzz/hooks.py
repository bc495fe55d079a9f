"""schemathesis hooks of the fuzzing stage (loaded through SCHEMATHESIS_HOOKS by scripts/fuzz.sh).

`schema_and_validator_agree`: a schema-valid request (positive mode) must never be refused by the framework's own
validation — a 422 whose field errors carry the codes ``jineng.common.rest.errors`` maps pydantic's errors to means the
published schema promises something the server does not accept. Domain refusals (their own codes) are fine.
"""

from __future__ import annotations

import json
import re

import schemathesis

# The field codes jineng.common.rest.errors.validation_error_response gives pydantic's errors.
FRAMEWORK_CODES = {
    "required",
    "too_long",
    "too_short",
    "not_integer",
    "bad_id",
    "bad_date",
    "bad_datetime",
    "too_small",
    "too_large",
    "bad_json",
    "bad_choice",
    "invalid",
}


# validation_error_response appends pydantic's own (English) message in full-width brackets; domain errors do not.
FRAMEWORK_DETAIL = re.compile(r"（[\x20-\x7e]+）$")


@schemathesis.check
def schema_and_validator_agree(ctx, response, case):  # type: ignore[no-untyped-def]
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive or response.status_code != 422:
        return None
    try:
        body = json.loads(response.content)
    except ValueError:
        return None
    if body.get("code") != "validation_failed":
        return None
    framework = [
        f
        for f in body.get("fields", [])
        if f.get("code") in FRAMEWORK_CODES and FRAMEWORK_DETAIL.search(str(f.get("message", "")))
    ]
    if framework:
        raise AssertionError(
            "A schema-valid request was refused by the framework's validation (schema and validator disagree): "
            + "; ".join(f"{f.get('field')}: {f.get('code')} {f.get('message')}" for f in framework)
        )
    return None

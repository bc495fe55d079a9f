"""A domain error shown on a page's form: each field detail on the field it names, the rest above the form."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jineng.common.errors import DomainError


def form_field_for(field: str, forms: tuple[Any, ...], aliases: Mapping[str, str]) -> tuple[Any, str | None]:
    """The form and its field for a service's field name (``sessions[0].date`` → ``sessions``; ``aliases`` maps a
    service name to the form's); ``(first form, None)`` when no form has it."""
    name = field.split("[")[0].split(".")[0]
    options = [name, *([aliases[name]] if name in aliases else [])]
    for form in forms:
        for option in options:
            if option and option in form.fields:
                return form, option
    return forms[0], None


def domain_error_to_form(form: Any, exc: DomainError, *others: Any, aliases: Mapping[str, str] | None = None) -> None:
    """Each field error on the first of ``form``, ``*others`` that has the field, the rest (and an error without
    field details) on ``form`` as a non-field error."""
    if not exc.fields:
        form.add_error(None, exc.message)
        return
    for fe in exc.fields:
        target, key = form_field_for(fe.field, (form, *others), aliases or {})
        target.add_error(key, fe.message)

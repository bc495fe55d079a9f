"""The registry persons behind pool roles and studio masters, reached without importing the registry.

``registry`` and ``providers`` are independent siblings in the layer contract (.importlinter), so this app never
imports ``jineng.registry``. Foreign keys name ``"registry.Person"`` by string, and finding a person by document
number goes through a resolver that the composition root registers (``config/api.py``:
``register_person_resolver(registry.api.person_resolve)``). Until one is registered, adding a role by document
number answers 503 ``person_lookup_unavailable`` (a process that has not loaded the URLconf yet loads it first);
adding it by the person's id always works.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError

from jineng.common.errors import DomainError, FieldError, ValidationFailed

PersonResolver = Callable[[str], Any]
_resolver: list[PersonResolver] = []


def register_person_resolver(resolver: PersonResolver) -> None:
    """``resolver(id_number)`` → the (surviving) person holding the number, or None; raises 422 for a bad number."""
    _resolver[:] = [resolver]


def person_model() -> Any:
    """The model the pool role's ``person`` foreign key points at (``"registry.Person"``, named by string)."""
    from jineng.providers.models import PoolRole

    return PoolRole._meta.get_field("person").related_model


def person_get(person_id: Any, field: str = "person_id") -> Any:
    """The registry person with this id (an active, unmerged one), or a 422 on ``field``."""
    model = person_model()
    try:
        person = model.objects.filter(pk=person_id).first()
    except (ValueError, TypeError, DjangoValidationError):  # a malformed UUID
        person = None
    if person is None:
        raise ValidationFailed("人员不存在。", [FieldError(field, "unknown_person", "实名人员库中没有该人员。")])
    if getattr(person, "status", "active") == "merged":
        raise ValidationFailed(
            "该人员记录已合并。",
            [FieldError(field, "merged_person", "该人员记录已合并到另一条记录，请使用合并后的记录。")],
        )
    return person


def person_by_document(id_number: str, name: str = "", field: str = "id_number") -> Any:
    """The registry person holding ``id_number``; the name, when given, must match the registry's."""
    if not _resolver:
        # The composition root registers the resolver when the URLconf loads; a worker process that has not
        # loaded it yet does so now.
        from django.urls import get_resolver

        get_resolver().url_patterns  # noqa: B018 - imports config.urls, hence config.api
    if not _resolver:
        raise DomainError(
            code="person_lookup_unavailable", message="实名人员库暂不可用，请稍后重试或按人员编号登记。", status=503
        )
    person = _resolver[0](id_number)
    if person is None:
        raise ValidationFailed(
            "实名人员库中没有该证件号码。",
            [FieldError(field, "person_not_registered", "该证件号码尚未在实名人员库登记，请先登记人员。")],
        )
    if name and name.strip() != person.name:
        raise ValidationFailed(
            "姓名与实名人员库不一致。",
            [FieldError("name", "name_mismatch", "填写的姓名与该证件号码登记的姓名不一致。")],
        )
    return person

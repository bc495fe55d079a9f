"""The person list (实名制人员库) as a ``ListSpec``: its filters, sortable columns and export columns."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from jineng.common.listing import Column, ListSpec, register_list
from jineng.registry.identity import open_number, open_phone
from jineng.registry.models import Person
from jineng.registry.selectors import group_label, person_filter, person_groups_on, persons_visible, primary_document


def _rows(user: Any, params: Mapping[str, str]) -> QuerySet[Person]:
    return person_filter(
        persons_visible(user),
        name=params.get("name") or None,
        region=params.get("region") or None,
        group=params.get("group") or None,
    )


def _reveal_rows(user: Any, params: Mapping[str, str]) -> QuerySet[Person]:
    return persons_visible(user, "registry.reveal")


def _id_masked(p: Person) -> str:
    doc = primary_document(p)
    return doc.number_masked if doc else ""


def _id_full(p: Person) -> str:
    doc = primary_document(p)
    return open_number(doc.number_enc) if doc else ""


def _groups(p: Person) -> str:
    from django.utils import timezone

    return "、".join(str(group_label(g)) for g in person_groups_on(p, timezone.localdate()))


PERSONS = register_list(
    ListSpec(
        name="registry.persons",
        title=_("实名制人员库"),
        filters=("name", "region", "group"),
        rows=_rows,
        sorts={
            "name": ("name",),
            "sex": ("sex",),
            "birth_date": ("birth_date",),
            "residence": ("residence_region__code",),
            "created": ("created_at",),
        },
        default_sort="name",
        related=("residence_region",),
        prefetch=("documents",),
        reveal_permission="registry.reveal",
        reveal_rows=_reveal_rows,
        columns=(
            Column(_("姓名"), lambda p: p.name),
            Column(_("性别"), lambda p: p.get_sex_display()),
            Column(_("出生日期"), lambda p: p.birth_date),
            Column(_("证件号码"), _id_masked, revealed=_id_full),
            Column(_("手机号码"), lambda p: p.phone_masked, revealed=lambda p: open_phone(p.phone_enc)),
            Column(_("居住地"), lambda p: p.residence_region.name if p.residence_region else ""),
            Column(_("人员类别"), _groups),
            Column(_("登记时间"), lambda p: p.created_at),
        ),
    )
)

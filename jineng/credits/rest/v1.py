"""API of the skill credit bank: the caller's own account, a person's account (an official in scope), the
recognition requests in scope. Writes go through the pages (services)."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from jineng.accounts.api import current_user, get_visible, require
from jineng.common.masking import mask_name
from jineng.common.rest.pagination import Paging, page_items, page_of
from jineng.credits import selectors, services
from jineng.credits.models import CreditEntry, Recognition
from jineng.credits.rest import schemas as s
from jineng.registry.api import Person

router = Router(tags=["credits 技能学分"])
RecognitionPage = page_of(s.RecognitionOut)


def _entry(e: CreditEntry) -> dict[str, Any]:
    return {
        "id": str(e.pk), "on": e.on, "category": e.category, "kind": e.kind, "credits": str(e.credits),
        "source": e.source_key.split(":")[0], "source_label": e.source_label, "region": e.region_id,
        "rule_version": e.rule_version, "expires_on": e.expires_on,
    }  # fmt: skip


def _account(person: Person) -> dict[str, Any]:
    balance = services.balance_of(person.pk)
    return {
        "person_id": str(person.pk), "name": mask_name(person.name),
        "total": str(sum(balance.values(), Decimal("0"))),
        "balance": [{"category": c, "credits": str(v)} for c, v in balance.items()],
        "entries": [_entry(e) for e in selectors.entries_of(person.pk)],
    }  # fmt: skip


@router.get("/credits/mine", response=s.CreditAccountOut, summary="我的学分 The caller's own credit account")
def my_account(request: HttpRequest) -> dict[str, Any]:
    user = current_user(request)
    require(user, "self.view")
    person = get_visible(Person.objects.all(), user, user.person_id, "self.view")
    return _account(person)


@router.get("/credits/persons/{person_id}", response=s.CreditAccountOut, summary="学分账户 A person's credit account")
def person_account(request: HttpRequest, person_id: uuid.UUID) -> dict[str, Any]:
    return _account(get_visible(Person.objects.all(), request.user, person_id))


def _recognition(r: Recognition) -> dict[str, Any]:
    return {
        "id": str(r.pk), "person_name": mask_name(r.person.name), "region": r.region_id,
        "from_region": r.from_region_id, "record_ref": r.record_ref, "description": r.description,
        "category": r.category, "credits": str(r.credits), "earned_on": r.earned_on, "status": r.status,
    }  # fmt: skip


@router.get("/credits/recognitions", response=RecognitionPage, summary="学分互认 Recognition requests in scope")
def recognition_list(request: HttpRequest, paging: Query[Paging], status: str = "") -> dict[str, Any]:
    return page_items(selectors.recognitions_visible(request.user, status=status[:10]), paging, _recognition)

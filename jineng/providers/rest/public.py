"""信息公开 — the public catalogs, no login: the provider catalog with its whole history, and the program catalog.

Nothing personal is published: no contact phone, no decider's name (the deciding office instead)."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router

from jineng.common.errors import NotFound
from jineng.common.rest.pagination import Paging, page_items, page_of
from jineng.providers import presenters
from jineng.providers.models import ProviderListing
from jineng.providers.rest import schemas as s
from jineng.providers.sanctions import sanction_marks
from jineng.providers.selectors import public_evaluators, public_programs, public_providers

public_router = Router(auth=None, tags=["public 公开"])

PublicListingPage = page_of(s.PublicListingRow)
PublicProgramPage = page_of(s.PublicProgramOut)
PublicEvaluatorPage = page_of(s.PublicEvaluatorOut)


@public_router.get("/providers", response=PublicListingPage, summary="培训机构目录（公开）The provider catalog")
def public_provider_list(
    request: HttpRequest,
    paging: Query[Paging],
    status: str = "listed",
    region: str = "",
    q: str = "",
    provider_type: str = "",
) -> dict[str, Any]:
    """``status``: ``listed`` (in force today, the default), ``suspended``, ``exited``, ``expired`` or ``all``."""
    qs = public_providers(status=status, region=region, q=q, provider_type=provider_type, on=timezone.localdate())
    return page_items(qs, paging, present_rows=_with_sanction_marks)


def _with_sanction_marks(rows: list[ProviderListing]) -> list[dict[str, Any]]:
    """Each listing as published, with the 黑名单 / 吊销许可 in force today marked (``sanction``), as the catalog page
    shows it (docs/sanctions.md «目录标注»): the organization and the decision only, nothing personal."""
    marks = sanction_marks([row.profile.organization_id for row in rows])
    return [
        {**presenters.listing_dict(row, public=True, history=False),
         "sanction": marks.get(str(row.profile.organization_id), "")}
        for row in rows
    ]  # fmt: skip


@public_router.get("/providers/{listing_id}", response=s.PublicListingOut, summary="目录机构详情及变更记录（公开）")
def public_provider_detail(request: HttpRequest, listing_id: uuid.UUID) -> dict[str, Any]:
    listing = ProviderListing.objects.select_related("profile__organization", "region").filter(pk=listing_id).first()
    if listing is None:
        raise NotFound()
    marks = sanction_marks([listing.profile.organization_id])
    return {
        **presenters.listing_dict(listing, public=True),
        "sanction": marks.get(str(listing.profile.organization_id), ""),
    }


@public_router.get("/programs", response=PublicProgramPage, summary="培训项目目录（公开）The program catalog")
def public_program_list(
    request: HttpRequest,
    paging: Query[Paging],
    region: str = "",
    q: str = "",
    training_kind: str = "",
    occupation: str = "",
) -> dict[str, Any]:
    """Programs listed and in force today; with ``region``, those listed in it, below it or above it."""
    qs = public_programs(
        region=region, q=q, training_kind=training_kind, occupation=occupation, on=timezone.localdate()
    )
    return page_items(qs, paging, presenters.public_program_dict)


@public_router.get("/evaluators", response=PublicEvaluatorPage, summary="评价机构名录（公开）Evaluation organizations")
def public_evaluator_list(request: HttpRequest, paging: Query[Paging], region: str = "", q: str = "") -> dict[str, Any]:
    """The evaluation organizations active on the platform: name, kind and region only (nothing else is published)."""
    return page_items(public_evaluators(q=q[:60], region=region[:12]), paging, presenters.public_evaluator_dict)

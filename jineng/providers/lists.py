"""The organization and program lists as ``ListSpec``s (培训机构与企业, 培训项目目录)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from jineng.accounts.api import visible
from jineng.common.listing import Column, ListSpec, register_list
from jineng.providers.models import OrganizationProfile, Program
from jineng.refdata.api import RegionClosure


def _subtree(region: str) -> Any:
    return RegionClosure.objects.filter(ancestor_id=region).values("descendant_id")


def _listing(p: OrganizationProfile) -> Any:
    return getattr(p, "listing", None)  # a profile not in the catalog has none (the lookup raises AttributeError)


def _organization_rows(user: Any, params: Mapping[str, str]) -> QuerySet[OrganizationProfile]:
    qs = visible(OrganizationProfile, user, "records.view").select_related("organization__region", "listing")
    if params.get("q"):
        q = params["q"]
        qs = qs.filter(Q(organization__name__icontains=q) | Q(organization__credit_code=q.upper()))
    if params.get("kind"):
        qs = qs.filter(organization__kind=params["kind"])
    if params.get("provider_type"):
        qs = qs.filter(provider_type=params["provider_type"])
    if params.get("region"):
        qs = qs.filter(organization__region_id__in=_subtree(params["region"]))
    if params.get("listing") == "none":
        qs = qs.filter(listing__isnull=True)
    elif params.get("listing"):
        qs = qs.filter(listing__status=params["listing"])
    return qs


ORGANIZATIONS = register_list(
    ListSpec(
        name="providers.organizations",
        title=_("培训机构与企业"),
        filters=("q", "kind", "provider_type", "region", "listing"),
        rows=_organization_rows,
        sorts={
            "name": ("organization__name",),
            "credit_code": ("organization__credit_code",),
            "kind": ("organization__kind", "provider_type"),
            "region": ("organization__region__code",),
            "listing": ("listing__status",),
            "valid_until": ("listing__valid_until",),
        },
        default_sort="name",
        columns=(
            Column(_("名称"), lambda p: p.organization.name),
            Column(_("统一社会信用代码"), lambda p: p.organization.credit_code),
            Column(_("类别"), lambda p: p.organization.get_kind_display()),
            Column(_("机构类型"), lambda p: p.get_provider_type_display() if p.provider_type else ""),
            Column(_("注册地"), lambda p: p.organization.region.name),
            Column(_("联系人"), lambda p: p.contact_name),
            Column(_("联系电话"), lambda p: p.contact_phone_masked),
            Column(_("目录状态"), lambda p: _listing(p).get_status_display() if _listing(p) else _("未入目录")),
            Column(_("有效期至"), lambda p: _listing(p).valid_until if _listing(p) else None),
        ),
    )
)


def _program_rows(user: Any, params: Mapping[str, str]) -> QuerySet[Program]:
    qs = visible(Program, user, "records.view").select_related("occupation", "level", "region")
    if params.get("q"):
        qs = qs.filter(Q(name__icontains=params["q"]) | Q(code=params["q"]))
    if params.get("training_kind"):
        qs = qs.filter(training_kind=params["training_kind"])
    if params.get("occupation"):
        qs = qs.filter(occupation__code__startswith=params["occupation"])
    return qs


PROGRAMS = register_list(
    ListSpec(
        name="providers.programs",
        title=_("培训项目目录"),
        filters=("q", "training_kind", "occupation"),
        rows=_program_rows,
        sorts={
            "code": ("code",),
            "name": ("name",),
            "occupation": ("occupation__code",),
            "level": ("level__rank",),
            "training_kind": ("training_kind",),
            "delivery": ("delivery",),
            "subsidy_category": ("subsidy_category",),
            "region": ("region__code",),
        },
        default_sort="code",
        columns=(
            Column(_("编号"), lambda p: p.code),
            Column(_("名称"), lambda p: p.name),
            Column(_("职业（工种）"), lambda p: f"{p.occupation.code} {p.occupation.name}" if p.occupation_id else ""),
            Column(_("等级"), lambda p: p.level.label if p.level_id else ""),
            Column(_("培训类型"), lambda p: p.get_training_kind_display()),
            Column(_("理论学时"), lambda p: p.hours_theory),
            Column(_("实操学时"), lambda p: p.hours_practice),
            Column(_("方式"), lambda p: p.get_delivery_display()),
            Column(_("补贴类别"), lambda p: p.get_subsidy_category_display()),
            Column(_("所属地区"), lambda p: p.region.name if p.region_id else ""),
            Column(_("停用时间"), lambda p: p.retired_at),
        ),
    )
)

"""The organization and program lists as ``ListSpec``s (培训机构与企业, 培训项目目录)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from jineng.accounts.api import visible
from jineng.common.listing import Column, ListSpec, register_list
from jineng.providers import selectors
from jineng.providers.models import OrganizationProfile, Program

ORGANIZATION_FILTERS = ("q", "kind", "provider_type", "region", "listing")
PROGRAM_FILTERS = ("q", "training_kind", "occupation")


def _listing(p: OrganizationProfile) -> Any:
    return getattr(p, "listing", None)  # a profile not in the catalog has none (the lookup raises AttributeError)


def _organization_rows(user: Any, params: Mapping[str, str]) -> QuerySet[OrganizationProfile]:
    qs = visible(OrganizationProfile, user, "records.view").select_related("organization__region", "listing")
    return selectors.profile_filter(qs, **{k: params.get(k, "") for k in ORGANIZATION_FILTERS})


ORGANIZATIONS = register_list(
    ListSpec(
        name="providers.organizations",
        title=_("培训机构与企业"),
        filters=ORGANIZATION_FILTERS,
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
    qs = selectors.programs_readable(user).select_related("occupation", "level", "region")
    return selectors.program_filter(qs, **{k: params.get(k, "") for k in PROGRAM_FILTERS})


PROGRAMS = register_list(
    ListSpec(
        name="providers.programs",
        title=_("培训项目目录"),
        filters=PROGRAM_FILTERS,
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

"""The certificate and exam session lists as ``ListSpec``s: filters, sortable columns, export columns."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from jineng.certificates import selectors
from jineng.certificates.models import Certificate, ExamSession
from jineng.common.listing import Column, ListSpec, register_list


def _certificate_rows(user: Any, params: Mapping[str, str]) -> QuerySet[Certificate]:
    return selectors.certificate_filter(
        selectors.certificates_visible(user),
        q=params.get("q", ""),
        region=params.get("region", ""),
        status=params.get("status", ""),
        kind=params.get("kind", ""),
    )


CERTIFICATES = register_list(
    ListSpec(
        name="certificates.certificates",
        title=_("证书"),
        filters=("q", "region", "status", "kind"),
        rows=_certificate_rows,
        sorts={
            "number": ("number",),
            "holder": ("holder_name",),
            "kind": ("kind__name",),
            "occupation": ("occupation_name",),
            "level": ("level__rank",),
            "issuer": ("issuer_name",),
            "issued_on": ("issued_on",),
            "status": ("status",),
        },
        default_sort="-issued_on",
        columns=(
            Column(_("证书编号"), lambda c: c.number),
            Column(_("持证人"), lambda c: c.holder_name),
            Column(_("证书类别"), lambda c: c.kind.display),
            Column(_("职业（工种）"), lambda c: c.occupation_name),
            Column(_("等级"), lambda c: c.level.display if c.level_id else ""),
            Column(_("发证机构"), lambda c: c.issuer_name),
            Column(_("发证日期"), lambda c: c.issued_on),
            Column(_("地区"), lambda c: c.region.name if c.region_id else ""),
            Column(_("状态"), lambda c: c.get_status_display()),
        ),
    )
)


def _session_rows(user: Any, params: Mapping[str, str]) -> QuerySet[ExamSession]:
    qs = selectors.sessions_visible(user)
    if params.get("status"):
        qs = qs.filter(status=params["status"])
    if params.get("occupation"):
        qs = qs.filter(occupation__code=params["occupation"])
    return qs


EXAM_SESSIONS = register_list(
    ListSpec(
        name="certificates.sessions",
        title=_("考试场次"),
        filters=("status", "occupation"),
        rows=_session_rows,
        sorts={
            "code": ("code",),
            "organization": ("organization__name",),
            "occupation": ("occupation__code", "level__rank"),
            "venue": ("venue_region__code",),
            "starts_at": ("starts_at",),
            "status": ("status",),
        },
        default_sort="-starts_at",
        columns=(
            Column(_("场次"), lambda s: s.code),
            Column(_("评价机构"), lambda s: s.organization.name),
            Column(_("职业（工种）"), lambda s: s.occupation.name),
            Column(_("等级"), lambda s: s.level.display if s.level_id else ""),
            Column(_("考场所在地"), lambda s: s.venue_region.name if s.venue_region_id else ""),
            Column(_("考场地址"), lambda s: s.venue_address),
            Column(_("开考时间"), lambda s: s.starts_at),
            Column(_("状态"), lambda s: s.get_status_display()),
        ),
    )
)

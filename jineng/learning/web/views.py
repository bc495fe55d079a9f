"""Pages of online learning (线上学习): the learner accounts in the user's scope with their online 学时 and signals,
one account's day-by-day evidence, the platform's credentials (create / rotate / revoke, audited) and the learner
accounts of its statements that match no enrollment. Thin: read a selector, call one service, render."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jineng.accounts.api import Organization, principal_for, visible
from jineng.common.errors import NotFound, PermissionDenied
from jineng.common.ids import uuid_or_none
from jineng.learning import online, services
from jineng.learning.models import CredentialStatus, LearnerAccount, LrsCredential
from jineng.providers.api import profile_of
from jineng.refdata.api import region_subtree

VIEW = "records.view"
ROWS_MAX = 500


def _own_platforms(user: Any) -> list[Any]:
    """The organizations the user works for that hold (or may hold) LRS credentials: online platforms."""
    ids = principal_for(user).orgs_with("org.edit")
    return list(Organization.objects.filter(pk__in=ids).order_by("name"))


def _platforms_in_scope(user: Any) -> list[Any]:
    """Platforms with a credential located in a region the official sees."""
    regions = principal_for(user).regions_with(VIEW)
    if not regions and not principal_for(user).superuser:
        return []
    holders = LrsCredential.objects.values("organization_id")
    qs = Organization.objects.filter(pk__in=holders)
    if not principal_for(user).superuser:
        qs = qs.filter(region_id__in=region_subtree(regions))
    return list(qs.order_by("name"))


def _accounts(user: Any, own: list[Any]) -> Any:
    qs = visible(LearnerAccount, user, VIEW) | LearnerAccount.objects.filter(organization__in=own)
    return qs.select_related("organization").order_by("class_code", "name")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    own = _own_platforms(request.user)
    accounts = _accounts(request.user, own)
    enrollment = uuid_or_none(request.GET.get("enrollment"))
    if enrollment is not None:
        accounts = accounts.filter(enrollment_id=enrollment)
    own_platforms = [p for p in own if LrsCredential.objects.filter(organization=p).exists() or _is_platform(p)]
    overseen = _platforms_in_scope(request.user)
    platforms = {p.pk: p for p in [*own_platforms, *overseen]}
    return render(
        request,
        "learning/home.html",
        {
            "accounts": list(accounts[:ROWS_MAX]),
            "rows_max": ROWS_MAX,
            "own_platforms": [
                {"org": p, "credentials": LrsCredential.objects.filter(organization=p).order_by("-created_at")[:20]}
                for p in own_platforms
            ],
            "unknown": [{"org": p, "accounts": online.unknown_accounts(p)[:ROWS_MAX]} for p in platforms.values()],
            "overseen": overseen,
            "issued": request.session.pop("lrs_issued", None),
        },
    )


def _is_platform(org: Any) -> bool:
    profile = profile_of(org.pk)
    return profile is not None and getattr(profile, "provider_type", "") == "online_platform"


@login_required
def account_detail(request: HttpRequest, account_id: uuid.UUID) -> HttpResponse:
    own = _own_platforms(request.user)
    qs = _accounts(request.user, own)
    account = qs.filter(pk=account_id).first()
    if account is None:
        raise NotFound()
    return render(request, "learning/account.html", {"account": account, "lines": online.shown_lines(account.lines)})


def _credential_for_action(user: Any, credential_id: uuid.UUID) -> LrsCredential:
    """An active credential of a platform the user works for, or of a platform in the official's region."""
    allowed = {p.pk for p in [*_own_platforms(user), *_platforms_in_scope(user)]}
    credential: LrsCredential | None = LrsCredential.objects.filter(
        pk=credential_id, status=CredentialStatus.ACTIVE, organization_id__in=allowed
    ).first()
    if credential is None:
        raise NotFound()
    return credential


@login_required
@require_POST
def credential_create(request: HttpRequest) -> HttpResponse:
    allowed = {str(p.pk): p for p in [*_own_platforms(request.user), *_platforms_in_scope(request.user)]}
    platform = allowed.get(str(uuid_or_none(request.POST.get("organization")) or ""))
    if platform is None or not (LrsCredential.objects.filter(organization=platform).exists() or _is_platform(platform)):
        raise PermissionDenied(_("只能为本机构或辖区内的线上培训平台签发凭据。"))
    issued = services.credential_create(actor=request.user, organization=platform)
    request.session["lrs_issued"] = f"{issued.key} {issued.secret}"
    messages.success(request, _("已签发新凭据：密钥只显示这一次，请立即交给平台。"))
    return redirect("learning:home")


@login_required
@require_POST
def credential_rotate(request: HttpRequest, credential_id: uuid.UUID) -> HttpResponse:
    issued = services.credential_rotate(
        actor=request.user, credential=_credential_for_action(request.user, credential_id)
    )
    request.session["lrs_issued"] = f"{issued.key} {issued.secret}"
    messages.success(request, _("凭据已轮换：旧凭据已吊销，新密钥只显示这一次。"))
    return redirect("learning:home")


@login_required
@require_POST
def credential_revoke(request: HttpRequest, credential_id: uuid.UUID) -> HttpResponse:
    services.credential_revoke(actor=request.user, credential=_credential_for_action(request.user, credential_id))
    messages.success(request, _("凭据已吊销：使用它的请求将被拒绝（401）。"))
    return redirect("learning:home")


@login_required
@require_POST
def sync(request: HttpRequest) -> HttpResponse:
    """Re-derive the online 学时 of the user's own platform(s) from the statements."""
    own = _own_platforms(request.user)
    if not own:
        raise PermissionDenied()
    recorded = sum(online.online_sync(actor=request.user, organization=p) for p in own)
    messages.success(request, _("已重新计算 %(n)s 名学员的线上学时。") % {"n": recorded})
    return redirect("learning:home")


# ---- 数字培训资源 (listed, searchable, rated by learners) -----------------------------------------------------------

Q_MAX = 60


@login_required
def resources(request: HttpRequest) -> HttpResponse:
    """数字培训资源 — the resources on offer (listed in the catalog, not retired), searched by title, code, occupation or
    platform, each with its learners' average rating; a learner (a user with a person record) rates them here."""
    from django.db.models import Avg, Count

    from jineng.common.web.lists import page
    from jineng.learning.models import ResourceRating
    from jineng.providers.api import listed_resources

    user = request.user
    q = request.GET.get("q", "").replace("\x00", "").strip()[:Q_MAX]
    listing = page(request, listed_resources(q=q))
    ids = [r.pk for r in listing.object_list]
    stats = {
        row["resource_id"]: row
        for row in ResourceRating.objects.filter(resource_id__in=ids)
        .values("resource_id")
        .annotate(avg=Avg("stars"), n=Count("id"))
    }
    person_id = principal_for(user).person_id
    mine = (
        dict(
            ResourceRating.objects.filter(resource_id__in=ids, person_id=person_id).values_list("resource_id", "stars")
        )
        if person_id
        else {}
    )
    rows = [{"r": r, "avg": stats.get(r.pk, {}).get("avg"), "n": stats.get(r.pk, {}).get("n", 0), "mine": mine.get(r.pk)}
            for r in listing.object_list]  # fmt: skip
    return render(request, "learning/resources.html", {"page_obj": listing, "rows": rows, "q": q,
                                                       "learner": person_id is not None, "stars": range(1, 6)})  # fmt: skip


@login_required
@require_POST
def resource_rate(request: HttpRequest, resource_id: uuid.UUID) -> HttpResponse:
    from jineng.common.errors import DomainError

    try:
        services.resource_rate(actor=request.user, resource_id=resource_id, stars=request.POST.get("stars", "")[:2],
                               comment=request.POST.get("comment", "")[:400])  # fmt: skip
    except DomainError as exc:
        messages.error(request, exc.fields[0].message if exc.fields else exc.message)
    else:
        messages.success(request, _("已评价，谢谢。"))
    q = request.POST.get("q", "").replace("\x00", "").strip()[:Q_MAX]
    return redirect(f"{reverse('learning:resources')}?{urlencode({'q': q})}" if q else reverse("learning:resources"))

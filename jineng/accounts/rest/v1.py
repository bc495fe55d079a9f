"""Accounts API: the current user, users and organizations in scope, tokens."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from jineng.accounts.models import ApiToken, Organization, User
from jineng.accounts.scope import current_user, get_visible, principal_for, require, visible
from jineng.accounts.services import token_create, token_revoke
from jineng.common.errors import NotFound
from jineng.common.rest.pagination import PageNumber
from jineng.common.rest.schemas import InputSchema

router = Router(tags=["accounts 账号"])


class GrantOut(Schema):
    id: uuid.UUID
    function: str
    function_label: str
    region: str | None
    organization: uuid.UUID | None
    valid_until: datetime | None


class MeOut(Schema):
    id: uuid.UUID
    username: str
    display_name: str
    grants: list[GrantOut]
    permissions: list[str]


@router.get("/me", response=MeOut, summary="当前用户 The current user, grants and permissions")
def me(request: HttpRequest) -> dict[str, Any]:
    user = current_user(request)
    p = principal_for(user)
    perms: set[str] = set(p.worker_perms)
    for s in list(p.region_perms.values()) + list(p.org_perms.values()):
        perms |= s
    grants = [
        {
            "id": g.id,
            "function": g.function,
            "function_label": str(g.get_function_display()),
            "region": g.region_id,
            "organization": g.organization_id,
            "valid_until": g.valid_until,
        }
        for g in user.grants.filter(revoked_at__isnull=True)
        if g.is_active()
    ]
    return {
        "id": user.pk,
        "username": user.username,
        "display_name": user.display_name,
        "grants": grants,
        "permissions": sorted(perms),
    }


class UserOut(Schema):
    id: uuid.UUID
    username: str
    display_name: str
    is_active: bool


@router.get("/users", response=list[UserOut], summary="用户列表 Users in scope")
@paginate(PageNumber)
def user_list(request: HttpRequest) -> Any:
    require(request.user, "users.manage")
    return visible(User, request.user, "users.manage").order_by("username")


@router.get("/users/{user_id}", response=UserOut, summary="用户详情 A user")
def user_detail(request: HttpRequest, user_id: uuid.UUID) -> Any:
    return get_visible(User, request.user, user_id, "users.manage")


class OrganizationOut(Schema):
    id: uuid.UUID
    kind: str
    name: str
    credit_code: str
    region: str

    @staticmethod
    def resolve_region(obj: Organization) -> str:
        return obj.region_id


@router.get("/organizations", response=list[OrganizationOut], summary="组织列表 Organizations in scope")
@paginate(PageNumber)
def organization_list(request: HttpRequest, kind: str | None = None) -> Any:
    qs = visible(Organization, request.user, "records.view")
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("name")


@router.get("/organizations/{org_id}", response=OrganizationOut, summary="组织详情 An organization")
def organization_detail(request: HttpRequest, org_id: uuid.UUID) -> Any:
    return get_visible(Organization, request.user, org_id, "records.view")


class TokenIn(InputSchema):
    label: Annotated[str, Field(max_length=100)] = ""  # the column's length (ApiToken.label)


class TokenOut(Schema):
    id: uuid.UUID
    prefix: str
    label: str
    created_at: datetime
    revoked_at: datetime | None


class TokenCreatedOut(TokenOut):
    secret: str


@router.get("/tokens", response=list[TokenOut], summary="我的令牌 My API tokens")
@paginate(PageNumber)
def token_list(request: HttpRequest) -> Any:
    return ApiToken.objects.filter(user=current_user(request)).order_by("-created_at")


@router.post("/tokens", response={201: TokenCreatedOut}, summary="创建令牌 Create a token (secret shown once)")
def token_new(request: HttpRequest, payload: TokenIn) -> Any:
    token, secret = token_create(actor=request.user, user=request.user, label=payload.label)  # type: ignore[arg-type]
    return Status(201, {**TokenOut.model_validate(token).model_dump(), "secret": secret})


@router.post("/tokens/{token_id}/revoke", response=TokenOut, summary="撤销令牌 Revoke a token")
def token_revoke_view(request: HttpRequest, token_id: uuid.UUID) -> Any:
    token = ApiToken.objects.filter(user=current_user(request), pk=token_id).first()
    if token is None:
        raise NotFound()
    return token_revoke(actor=request.user, token=token)

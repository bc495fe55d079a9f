"""Writes on organizations: profiles (机构档案), licences (办学许可证), self-registration (自助注册) and delegated
staff administration (机构账号管理). Each write is atomic and audited in its transaction.

The catalog workflow is in ``services/catalog.py``; programs in ``programs.py``; the pool in ``teachers.py``; bases
in ``bases.py``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from jineng.accounts.api import (
    Actor,
    Function,
    Grant,
    Organization,
    OrganizationKind,
    User,
    grant_create,
    grant_revoke,
    organization_create,
    require,
    user_create,
)
from jineng.common.audit.services import audit_event
from jineng.common.crypto import encrypt
from jineng.common.errors import FieldError, InvalidState, NotFound, PermissionDenied, ValidationFailed
from jineng.common.masking import mask_phone
from jineng.providers.events import Event
from jineng.providers.models import (
    EnterpriseSize,
    EvaluatorType,
    LicenceItem,
    OrganizationAdmin,
    OrganizationProfile,
    ProviderType,
    RegistrationSource,
)
from jineng.providers.services.support import (
    check_period,
    choice,
    level_or_none,
    occupation_or_error,
    raise_if,
    require_catalog,
    require_org_or_catalog,
    tags_or_error,
)
from jineng.rules.contact import normalize_phone
from jineng.rules.idcard import IdRejection

PHONE_CONTEXT = "providers.profile.contact_phone"

# The function a staff account of each kind of organization holds.
STAFF_FUNCTION = {
    OrganizationKind.PROVIDER: Function.PROVIDER_STAFF,
    OrganizationKind.ENTERPRISE: Function.ENTERPRISE_HR,
    OrganizationKind.EVALUATOR: Function.EVALUATOR,
}


@dataclass
class ProfileData:
    """The editable facts of a profile (all optional except what the organization's kind requires)."""

    provider_type: str = ""
    evaluator_type: str = ""
    is_above_scale: bool = False
    size: str = ""
    employees: int | None = None
    industry_tags: list[str] = field(default_factory=list)  # "taxonomy/code"
    legal_representative: str = ""
    address: str = ""
    latitude: Decimal | str | None = None
    longitude: Decimal | str | None = None
    contact_name: str = ""
    contact_phone: str = ""  # plain; stored encrypted and shown masked
    email: str = ""
    website: str = ""


@dataclass
class LicenceData:
    """办学许可证: number, issuer, validity, and the occupations licensed (``(occupation code, level code)``)."""

    number: str = ""
    issuer: str = ""
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    items: list[tuple[str, str]] = field(default_factory=list)


def _decimal(value: Any, field_name: str, low: int, high: int, label: str, errors: list[FieldError]) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        errors.append(FieldError(field_name, "bad_number", f"{label}须为数字：{value!r}"))
        return None
    if not number.is_finite() or not low <= number <= high:
        errors.append(FieldError(field_name, "out_of_range", f"{label}须在 {low} 到 {high} 之间。"))
        return None
    return number.quantize(Decimal("0.000001"))


def _clean_profile(kind: str, data: ProfileData) -> tuple[dict[str, Any], list[Any]]:
    """Validate ``data`` for an organization of ``kind``; returns the model values and the tags."""
    errors: list[FieldError] = []
    provider_type = choice(
        data.provider_type,
        ProviderType,
        "provider_type",
        "机构类型",
        errors,
        required=kind == OrganizationKind.PROVIDER,
    )
    evaluator_type = choice(
        data.evaluator_type,
        EvaluatorType,
        "evaluator_type",
        "评价机构类型",
        errors,
        required=kind == OrganizationKind.EVALUATOR,
    )
    size = choice(data.size, EnterpriseSize, "size", "企业规模", errors, required=False)
    if data.employees is not None and data.employees < 0:
        errors.append(FieldError("employees", "out_of_range", "职工人数不能为负数。"))
    latitude = _decimal(data.latitude, "latitude", -90, 90, "纬度", errors)
    longitude = _decimal(data.longitude, "longitude", -180, 180, "经度", errors)
    if (latitude is None) != (longitude is None):
        errors.append(FieldError("longitude", "incomplete_coordinates", "经度和纬度须同时填写。"))
    phone = normalize_phone(data.contact_phone)
    if isinstance(phone, IdRejection):
        errors.append(FieldError("contact_phone", phone.code, "联系电话格式不正确（手机号码或带区号的固定电话）。"))
        phone = ""
    tags = []
    try:
        tags = tags_or_error(data.industry_tags)
    except ValidationFailed as exc:
        errors.extend(exc.fields)
    raise_if(errors, "机构信息不正确。")
    values = {
        "provider_type": provider_type,
        "evaluator_type": evaluator_type,
        "is_above_scale": bool(data.is_above_scale),
        "size": size,
        "employees": data.employees,
        "legal_representative": (data.legal_representative or "").strip()[:60],
        "address": (data.address or "").strip()[:300],
        "latitude": latitude,
        "longitude": longitude,
        "contact_name": (data.contact_name or "").strip()[:60],
        "contact_phone_enc": encrypt(phone, context=PHONE_CONTEXT) if phone else "",
        "contact_phone_masked": mask_phone(phone),
        "email": (data.email or "").strip(),
        "website": (data.website or "").strip(),
    }
    return values, tags


def _profile_audit(profile: OrganizationProfile) -> dict[str, Any]:
    org = profile.organization
    return {
        "kind": org.kind,
        "name": org.name,
        "credit_code": org.credit_code,
        "region": org.region_id,
        "provider_type": profile.provider_type,
        "evaluator_type": profile.evaluator_type,
        "is_above_scale": profile.is_above_scale,
        "size": profile.size,
        "address": profile.address,
        "latitude": str(profile.latitude) if profile.latitude is not None else None,
        "longitude": str(profile.longitude) if profile.longitude is not None else None,
        "contact_name": profile.contact_name,
        "contact_phone": profile.contact_phone_masked,
        "licence_number": profile.licence_number,
        "licence_valid_until": profile.licence_valid_until,
    }


def _clean_licence(profile_type: str, licence: LicenceData | None) -> tuple[dict[str, Any], list[tuple[Any, Any]]]:
    errors: list[FieldError] = []
    licence = licence or LicenceData()
    number = (licence.number or "").strip()
    if profile_type in {ProviderType.TECHNICAL_SCHOOL, ProviderType.PRIVATE_TRAINING} and not number:
        errors.append(FieldError("licence_number", "licence_required", "该类机构须填写办学许可证编号。"))
    if number and not licence.valid_until:
        errors.append(FieldError("licence_valid_until", "required", "请填写办学许可证有效期。"))
    check_period(licence.valid_from, licence.valid_until, errors)
    items: list[tuple[Any, Any]] = []
    seen: set[str] = set()
    for index, (occupation_code, level_code) in enumerate(licence.items):
        try:
            occupation = occupation_or_error(occupation_code, f"licence_items[{index}].occupation")
            level = level_or_none(level_code, f"licence_items[{index}].max_level")
        except ValidationFailed as exc:
            errors.extend(exc.fields)
            continue
        if occupation.code in seen:
            errors.append(
                FieldError(f"licence_items[{index}].occupation", "duplicate", f"许可职业重复：{occupation.code}")
            )
        seen.add(occupation.code)
        items.append((occupation, level))
    raise_if(errors, "办学许可证信息不正确。")
    values = {
        "licence_number": number[:60],
        "licence_issuer": (licence.issuer or "").strip()[:100],
        "licence_valid_from": licence.valid_from,
        "licence_valid_until": licence.valid_until,
    }
    return values, items


def _write_licence_items(profile: OrganizationProfile, items: list[tuple[Any, Any]]) -> None:
    now = timezone.now()
    current = {i.occupation_id: i for i in profile.licence_items.filter(removed_at__isnull=True)}
    wanted = {occupation.pk: level for occupation, level in items}
    for occupation_id, item in current.items():
        if occupation_id not in wanted or wanted[occupation_id] != item.max_level:
            LicenceItem.objects.filter(pk=item.pk).update(removed_at=now)
    for occupation, level in items:
        item = current.get(occupation.pk)
        if item is None or item.max_level != level:
            LicenceItem.objects.create(profile=profile, occupation=occupation, max_level=level)


def profile_create(
    *,
    actor: Actor,
    kind: str,
    name: str,
    credit_code: str,
    region_code: str,
    data: ProfileData | None = None,
    licence: LicenceData | None = None,
    source: str = RegistrationSource.OFFICIAL,
    check_permission: bool = True,
) -> OrganizationProfile:
    """登记机构 — the organization (``accounts.organization_create``) and its profile, in one transaction."""
    data = data or ProfileData()
    if check_permission:
        require_catalog(actor, (region_code or "").strip())
    values, tags = _clean_profile(kind, data)
    licence_values, items = _clean_licence(values["provider_type"], licence)
    with transaction.atomic():
        org = organization_create(actor=actor, kind=kind, name=name, credit_code=credit_code, region_code=region_code)
        profile = OrganizationProfile.objects.create(
            organization=org,
            source=source,
            created_by=actor if isinstance(actor, User) else None,
            **values,
            **licence_values,
        )
        profile.industry_tags.set(tags)
        _write_licence_items(profile, items)
        audit_event(
            Event.ORG_PROFILE_CREATE,
            actor=actor,
            object_id=profile.pk,
            region_code=org.region_id,
            after={**_profile_audit(profile), "licence_items": [o.code for o, _level in items]},
        )
    return profile


def profile_complete(
    *, actor: Actor, organization: Organization, data: ProfileData | None = None, check_permission: bool = True
) -> OrganizationProfile:
    """完善机构档案 — the profile of an organization that exists as a principal (accounts) but has none yet: created
    by an account tool or an older seed. Its own staff (org.edit) or an official keeping the catalogs over its
    region may add it; a second call answers 409 ``profile_exists``."""
    data = data or ProfileData()
    if check_permission:
        require_org_or_catalog(actor, organization)
    values, tags = _clean_profile(organization.kind, data)
    with transaction.atomic():
        Organization.objects.select_for_update().filter(pk=organization.pk).first()
        if OrganizationProfile.objects.filter(organization=organization).exists():
            raise InvalidState("该机构的档案已登记。", code="profile_exists")
        profile = OrganizationProfile.objects.create(
            organization=organization,
            source=RegistrationSource.OFFICIAL,
            created_by=actor if isinstance(actor, User) else None,
            **values,
        )
        profile.industry_tags.set(tags)
        audit_event(
            Event.ORG_PROFILE_CREATE,
            actor=actor,
            object_id=profile.pk,
            region_code=organization.region_id,
            after=_profile_audit(profile),
        )
    return profile


def profile_update(
    *, actor: Actor, profile: OrganizationProfile, name: str | None = None, data: ProfileData
) -> OrganizationProfile:
    """Edit a profile (the organization's own staff or an official keeping the catalogs). The credit code and the
    registered region do not change here: they identify the organization."""
    org = profile.organization
    require_org_or_catalog(actor, org)
    values, tags = _clean_profile(org.kind, data)
    if not data.contact_phone:  # an empty phone in an edit keeps the stored one (it is never sent back unmasked)
        values.pop("contact_phone_enc")
        values.pop("contact_phone_masked")
    new_name = (name or "").strip() if name is not None else org.name
    if not new_name:
        raise ValidationFailed("机构信息不正确。", [FieldError("name", "required", "请填写组织名称。")])
    with transaction.atomic():
        locked: OrganizationProfile = (
            OrganizationProfile.objects.select_for_update().select_related("organization").get(pk=profile.pk)
        )
        before = _profile_audit(locked)
        for key, value in values.items():
            setattr(locked, key, value)
        locked.save()
        locked.industry_tags.set(tags)
        if new_name != org.name:
            Organization.objects.filter(pk=org.pk).update(name=new_name[:200])
            locked.organization.name = new_name[:200]
        audit_event(
            Event.ORG_PROFILE_UPDATE,
            actor=actor,
            object_id=locked.pk,
            region_code=org.region_id,
            before=before,
            after=_profile_audit(locked),
        )
    return locked


def licence_set(*, actor: Actor, profile: OrganizationProfile, licence: LicenceData) -> OrganizationProfile:
    """Record the 办学许可证 and the occupations it licenses (replacing the earlier list; old rows are kept)."""
    require_org_or_catalog(actor, profile.organization)
    values, items = _clean_licence(profile.provider_type, licence)
    with transaction.atomic():
        locked: OrganizationProfile = (
            OrganizationProfile.objects.select_for_update().select_related("organization").get(pk=profile.pk)
        )
        before = {k: getattr(locked, k) for k in values}
        for key, value in values.items():
            setattr(locked, key, value)
        locked.save()
        _write_licence_items(locked, items)
        audit_event(
            Event.ORG_PROFILE_LICENCE,
            actor=actor,
            object_id=locked.pk,
            region_code=locked.organization.region_id,
            before=before,
            after={**values, "items": [(o.code, lv.code if lv else None) for o, lv in items]},
        )
    return locked


# ---- self-registration and delegated staff administration ---------------------------------------------------


def organization_register(
    *,
    kind: str,
    name: str,
    credit_code: str,
    region_code: str,
    admin_username: str,
    admin_password: str,
    admin_display_name: str = "",
    admin_email: str = "",
    data: ProfileData | None = None,
    licence: LicenceData | None = None,
) -> tuple[OrganizationProfile, User]:
    """自助注册 — a provider, enterprise or evaluation organization registers itself and its first staff account,
    which becomes the organization's administrator (it creates and revokes the other staff accounts).

    Registering does not list anyone: the catalog needs an application reviewed by the city and approved by the
    province.
    """
    if kind not in OrganizationKind.values:
        raise ValidationFailed("组织信息不正确。", [FieldError("kind", "unknown_kind", f"未知的组织类别：{kind!r}")])
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError as DjangoValidationError

    try:
        validate_password(admin_password, User(username=admin_username, display_name=admin_display_name))
    except DjangoValidationError as exc:
        raise ValidationFailed(
            "密码不符合要求。", [FieldError("admin_password", "weak_password", " ".join(exc.messages))]
        ) from None
    with transaction.atomic():
        user = user_create(
            actor="self-registration",
            username=admin_username,
            password=admin_password,
            display_name=admin_display_name,
            email=admin_email,
        )
        profile = profile_create(
            actor=user,
            kind=kind,
            name=name,
            credit_code=credit_code,
            region_code=region_code,
            data=data,
            licence=licence,
            source=RegistrationSource.SELF,
            check_permission=False,
        )
        org = profile.organization
        grant_create(actor=user, user=user, function=STAFF_FUNCTION[OrganizationKind(kind)], organization=org)
        OrganizationAdmin.objects.create(organization=org, user=user, granted_by=None)
        audit_event(
            Event.ORG_ADMIN_GRANT,
            actor=user,
            object_id=org.pk,
            region_code=org.region_id,
            after={"user": user.username, "self_registered": True},
        )
    return profile, user


def is_org_admin(user: Any, organization: Organization) -> bool:
    if not getattr(user, "pk", None):
        return False
    return OrganizationAdmin.objects.filter(organization=organization, user=user, revoked_at__isnull=True).exists()


def require_staff_admin(actor: Actor, organization: Organization) -> None:
    """The organization's administrator (who must still hold a staff grant on it) or an official with
    ``users.manage`` over its region."""
    if is_org_admin(actor, organization):
        try:
            require(actor, "org.edit", organization_id=organization.pk)
            return
        except PermissionDenied:
            pass
    require(actor, "users.manage", region_code=organization.region_id)


def staff_create(
    *,
    actor: Actor,
    organization: Organization,
    username: str,
    password: str | None,
    display_name: str = "",
    email: str = "",
    make_admin: bool = False,
) -> User:
    """机构账号 — a staff account of the organization, created by its administrator."""
    require_staff_admin(actor, organization)
    with transaction.atomic():
        user = user_create(
            actor=actor,
            username=username,
            password=password,
            display_name=display_name,
            email=email,
            must_change=True,
        )
        grant_create(
            actor=actor,
            user=user,
            function=STAFF_FUNCTION[OrganizationKind(organization.kind)],
            organization=organization,
        )
        if make_admin:
            OrganizationAdmin.objects.create(organization=organization, user=user, granted_by=_user_or_none(actor))
        audit_event(
            Event.ORG_STAFF_CREATE,
            actor=actor,
            object_id=organization.pk,
            region_code=organization.region_id,
            after={"user": user.username, "admin": make_admin},
        )
    return user


def _user_or_none(actor: Actor) -> User | None:
    return actor if isinstance(actor, User) else None


def _staff_grants(organization: Organization, user: User) -> Any:
    return Grant.objects.filter(organization=organization, user=user, revoked_at__isnull=True)


def staff_revoke(*, actor: Actor, organization: Organization, user: User, reason: str) -> int:
    """Revoke a staff member's grants on the organization (and their administrator role). An administrator cannot
    revoke themselves, so an organization is never left without one by accident."""
    require_staff_admin(actor, organization)
    if getattr(actor, "pk", None) == user.pk:
        raise InvalidState("不能撤销自己的账号授权。", code="cannot_revoke_self")
    grants = list(_staff_grants(organization, user))
    if not grants:
        raise NotFound("该账号不是本机构人员。", code="not_staff")
    with transaction.atomic():
        for grant in grants:
            grant_revoke(actor=actor, grant=grant, reason=reason)
        OrganizationAdmin.objects.filter(organization=organization, user=user, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        audit_event(
            Event.ORG_STAFF_REVOKE,
            actor=actor,
            object_id=organization.pk,
            region_code=organization.region_id,
            after={"user": user.username},
            reason=reason,
        )
    return len(grants)


def staff_admin_set(*, actor: Actor, organization: Organization, user: User, admin: bool) -> None:
    """Make a staff member an administrator of the organization, or stop them being one."""
    require_staff_admin(actor, organization)
    if not _staff_grants(organization, user).exists():
        raise NotFound("该账号不是本机构人员。", code="not_staff")
    with transaction.atomic():
        current = OrganizationAdmin.objects.select_for_update().filter(
            organization=organization, user=user, revoked_at__isnull=True
        )
        if admin and not current.exists():
            OrganizationAdmin.objects.create(organization=organization, user=user, granted_by=_user_or_none(actor))
        elif not admin:
            if getattr(actor, "pk", None) == user.pk:
                raise InvalidState("不能取消自己的管理员身份。", code="cannot_revoke_self")
            current.update(revoked_at=timezone.now())
        audit_event(
            Event.ORG_ADMIN_GRANT if admin else Event.ORG_ADMIN_REVOKE,
            actor=actor,
            object_id=organization.pk,
            region_code=organization.region_id,
            after={"user": user.username},
        )


def staff_of(organization: Organization) -> list[dict[str, Any]]:
    """The organization's staff accounts with active grants, and whether each administers it."""
    admins = set(
        OrganizationAdmin.objects.filter(organization=organization, revoked_at__isnull=True).values_list(
            "user_id", flat=True
        )
    )
    now = timezone.now()
    users = (
        User.objects.filter(
            grants__organization=organization, grants__revoked_at__isnull=True, grants__valid_from__lte=now
        )
        .distinct()
        .order_by("username")
    )
    return [
        {"id": u.pk, "username": u.username, "display_name": u.display_name, "admin": u.pk in admins, "user": u}
        for u in users
    ]

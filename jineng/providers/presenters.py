"""Records as plain dicts for the API (and the public pages): personal data masked, labels beside codes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from jineng.providers.models import (
    CatalogListing,
    DigitalResource,
    ListingEvent,
    ListingScope,
    OrganizationProfile,
    PoolRole,
    Program,
    ProviderApplication,
    ProviderListing,
    StandardWork,
    TrainingBase,
    TrainingBrand,
)
from jineng.providers.selectors import listing_state_on, scope_on


def _occupation(o: Any) -> dict[str, str] | None:
    return {"code": o.code, "name": o.name} if o is not None else None


def _level(lv: Any) -> dict[str, str] | None:
    return {"code": lv.code, "name": lv.label} if lv is not None else None


def scope_row(row: Any) -> dict[str, Any]:
    return {
        "occupation": _occupation(row.occupation),
        "level": _level(row.level),
        "training_kind": row.training_kind,
        "training_kind_label": str(row.get_training_kind_display()),
    }


def listing_summary(listing: ProviderListing | None, on: dt.date | None = None) -> dict[str, Any] | None:
    if listing is None:
        return None
    on = on or timezone.localdate()
    return {
        "id": listing.pk,
        "status": listing.status,
        "status_label": str(listing.get_status_display()),
        "state_today": listing_state_on(listing, on).state,
        "valid_from": listing.valid_from,
        "valid_until": listing.valid_until,
        "capacity_per_year": listing.capacity_per_year,
    }


def _listing_of(profile: OrganizationProfile) -> ProviderListing | None:
    try:
        return profile.listing  # select_related by the list views
    except ProviderListing.DoesNotExist:
        return None


def profile_dict(profile: OrganizationProfile) -> dict[str, Any]:
    org = profile.organization
    return {
        "id": profile.pk,
        "organization_id": org.pk,
        "kind": org.kind,
        "name": org.name,
        "credit_code": org.credit_code,
        "region": org.region_id,
        "region_name": org.region.name,
        "provider_type": profile.provider_type,
        "provider_type_label": str(profile.get_provider_type_display()) if profile.provider_type else "",
        "evaluator_type": profile.evaluator_type,
        "is_above_scale": profile.is_above_scale,
        "size": profile.size,
        "employees": profile.employees,
        "industry_tags": [f"{t.taxonomy_id}/{t.code}" for t in profile.industry_tags.all()],
        "legal_representative": profile.legal_representative,
        "address": profile.address,
        "latitude": profile.latitude,
        "longitude": profile.longitude,
        "contact_name": profile.contact_name,
        "contact_phone": profile.contact_phone_masked,
        "email": profile.email,
        "website": profile.website,
        "licence": {
            "number": profile.licence_number,
            "issuer": profile.licence_issuer,
            "valid_from": profile.licence_valid_from,
            "valid_until": profile.licence_valid_until,
            "items": [
                {"occupation": _occupation(i.occupation), "max_level": _level(i.max_level)}
                for i in profile.licence_items.all()  # prefetched by the list views
                if i.removed_at is None
            ],
        },
        "listing": listing_summary(_listing_of(profile)),
        "source": profile.source,
        "created_at": profile.created_at,
    }


def application_dict(app: ProviderApplication) -> dict[str, Any]:
    return {
        "id": app.pk,
        "profile_id": app.profile_id,
        "organization_name": app.profile.organization.name,
        "kind": app.kind,
        "status": app.status,
        "status_label": str(app.get_status_display()),
        "region": app.region_id,
        "capacity_per_year": app.capacity_per_year,
        "description": app.description,
        "scope": [scope_row(s) for s in app.scope.select_related("occupation", "level")],
        "submitted_at": app.submitted_at,
        "review_due": app.review_due,
        "reviewed_at": app.reviewed_at,
        "review_opinion": app.review_opinion,
        "approval_due": app.approval_due,
        "decided_at": app.decided_at,
        "decision_opinion": app.decision_opinion,
        "listing_id": app.listing_id,
        "created_at": app.created_at,
    }


def event_dict(event: ListingEvent, *, public: bool) -> dict[str, Any]:
    office = event.deciding_office
    data: dict[str, Any] = {
        "kind": event.kind,
        "kind_label": str(event.get_kind_display()),
        "effective_date": event.effective_date,
        "valid_until": event.valid_until,
        "reason": event.reason,
        "document_number": event.document_number,
        "deciding_office": f"{office.name}人力资源和社会保障部门" if office else "",
    }
    if not public:
        data["decided_by"] = event.decided_by_name
        data["decided_at"] = event.created_at
    return data


def listing_dict(listing: ProviderListing, *, public: bool, history: bool = True) -> dict[str, Any]:
    today = timezone.localdate()
    profile = listing.profile
    org = profile.organization
    data: dict[str, Any] = {
        "id": listing.pk,
        "profile_id": profile.pk,
        "name": org.name,
        "credit_code": org.credit_code,
        "provider_type": profile.provider_type,
        "provider_type_label": str(profile.get_provider_type_display()) if profile.provider_type else "",
        "region": listing.region_id,
        "region_name": listing.region.name,
        "address": profile.address,
        "latitude": profile.latitude,
        "longitude": profile.longitude,
        "status": listing.status,
        "status_label": str(listing.get_status_display()),
        "state_today": listing_state_on(listing, today).state,
        "valid_from": listing.valid_from,
        "valid_until": listing.valid_until,
        "capacity_per_year": listing.capacity_per_year,
        "scope": [scope_row(s) for s in scope_on(listing, today).select_related("occupation", "level")],
    }
    if history:
        events = listing.events.select_related("deciding_office").order_by("effective_date", "created_at")
        data["history"] = [event_dict(e, public=public) for e in events]
    return data


def program_dict(program: Program) -> dict[str, Any]:
    return {
        "id": program.pk,
        "code": program.code,
        "name": program.name,
        "occupation": _occupation(program.occupation),
        "level": _level(program.level),
        "training_kind": program.training_kind,
        "training_kind_label": str(program.get_training_kind_display()),
        "hours_theory": program.hours_theory,
        "hours_practice": program.hours_practice,
        "hours_total": program.hours_total,
        "syllabus": program.syllabus,
        "delivery": program.delivery,
        "delivery_label": str(program.get_delivery_display()),
        "subsidy_category": program.subsidy_category,
        "industry_tags": [f"{t.taxonomy_id}/{t.code}" for t in program.industry_tags.all()],
        "brands": [b.code for b in program.brands.all()],
        "region": program.region_id,
        "retired": program.retired_at is not None,
    }


def catalog_listing_dict(listing: CatalogListing) -> dict[str, Any]:
    return {
        "id": listing.pk,
        "program_id": listing.program_id,
        "resource_id": listing.resource_id,
        "region": listing.region_id,
        "region_name": listing.region.name,
        "valid_from": listing.valid_from,
        "valid_until": listing.valid_until,
        "status": listing.status,
        "document_number": listing.document_number,
        "withdraw_reason": listing.withdraw_reason,
    }


def public_program_dict(listing: CatalogListing) -> dict[str, Any]:
    assert listing.program is not None
    return {**program_dict(listing.program), "listing": catalog_listing_dict(listing)}


def resource_dict(resource: DigitalResource) -> dict[str, Any]:
    return {
        "id": resource.pk,
        "platform_id": resource.platform_id,
        "platform_name": resource.platform.organization.name,
        "code": resource.code,
        "title": resource.title,
        "resource_type": resource.resource_type,
        "occupation": _occupation(resource.occupation),
        "level": _level(resource.level),
        "training_kind": resource.training_kind,
        "hours": resource.hours,
        "url": resource.url,
        "region": resource.region_id,
    }


def role_dict(role: PoolRole) -> dict[str, Any]:
    return {
        "id": role.pk,
        "person_id": role.person_id,
        "person_name": role.person.name,
        "role": role.role,
        "role_label": str(role.get_role_display()),
        "region": role.region_id,
        "organization_id": role.organization_id,
        "employer_name": role.employer_name,
        "title": role.title,
        "teacher_qualification": role.teacher_qualification,
        "is_integrated": role.is_integrated,
        "specialities": [_occupation(o) for o in role.specialities.all()],
        "served_regions": [r.code for r in role.served_regions.all()],
        "valid_from": role.valid_from,
        "valid_until": role.valid_until,
        "status": role.status,
        "status_reason": role.status_reason,
        "qualifications": [
            {
                "kind": q.kind,
                "certificate_kind": q.certificate_kind_id,
                "occupation": _occupation(q.occupation),
                "level": _level(q.level),
                "number": q.number,
                "issuer": q.issuer,
                "issued_on": q.issued_on,
            }
            for q in role.qualifications.select_related("occupation", "level")
        ],
        "affiliations": [
            {
                "id": a.pk,
                "profile_id": a.profile_id,
                "organization_name": a.profile.organization.name,
                "kind": a.kind,
                "kind_label": a.get_kind_display(),
                "valid_from": a.valid_from,
                "valid_to": a.valid_to,
            }
            for a in role.affiliations.select_related("profile__organization")
        ],
    }


def base_dict(base: TrainingBase) -> dict[str, Any]:
    return {
        "id": base.pk,
        "kind": base.kind,
        "kind_label": str(base.get_kind_display()),
        "name": base.name,
        "level": base.level,
        "level_label": str(base.get_level_display()),
        "approval_year": base.approval_year,
        "approval_document": base.approval_document,
        "region": base.region_id,
        "host_id": base.host_id,
        "host_name": base.host_name,
        "master_name": base.master.name if base.master_id and base.master else "",
        "revoked_year": base.revoked_year,
        "revoke_reason": base.revoke_reason,
    }


def listing_scope_rows(listing: ProviderListing) -> list[ListingScope]:
    return list(listing.scope.select_related("occupation", "level").order_by("added_on", "pk"))


def brand_dict(brand: TrainingBrand) -> dict[str, Any]:
    return {
        "id": brand.pk,
        "code": brand.code,
        "name": brand.name,
        "region": brand.region_id,
        "region_name": brand.region.name,
        "recognized_year": brand.recognized_year,
        "recognition": brand.recognition,
        "retired_year": brand.retired_year,
        "retire_reason": brand.retire_reason,
        "programs": brand.program_count if hasattr(brand, "program_count") else brand.programs.count(),
    }


def standard_dict(work: StandardWork) -> dict[str, Any]:
    return {
        "id": work.pk,
        "kind": work.kind,
        "kind_label": str(work.get_kind_display()),
        "title": work.title,
        "developer": work.developer,
        "occupation": work.occupation.code if work.occupation else "",
        "occupation_name": work.occupation.name if work.occupation else "",
        "level": work.level.code if work.level else "",
        "level_name": work.level.label if work.level else "",
        "year": work.year,
        "status": work.status,
        "status_label": str(work.get_status_display()),
        "document_number": work.document_number,
        "region": work.region_id,
    }


def public_evaluator_dict(org: Any) -> dict[str, Any]:
    """An evaluation organization as the public list shows it: name, kind (its profile's, when completed), region."""
    profile = getattr(org, "profile", None)
    return {"name": org.name, "evaluator_type": profile.evaluator_type if profile else "",
            "evaluator_type_label": str(profile.get_evaluator_type_display() or "") if profile else "",
            "region": org.region_id or "", "region_name": org.region.name if org.region_id else ""}  # fmt: skip

"""The provider catalog: application → city review → province approval → listed; suspension, resumption, exit;
licence checks; transitions out of order; who may decide what."""

from __future__ import annotations

import datetime as dt

import pytest

from jineng.common.errors import Conflict, PermissionDenied, ValidationFailed
from jineng.common.models import AuditEntry
from jineng.providers import api as providers_api
from jineng.providers.errors import ProviderNotListed, ProviderSuspended, TransitionRefused
from jineng.providers.models import (
    ApplicationStatus,
    ListingEventKind,
    ListingStatus,
    ProviderApplication,
)
from jineng.providers.services.catalog import (
    ScopeInput,
    application_create,
    application_decide,
    application_review,
    application_submit,
    application_update,
    application_withdraw,
    listing_exit,
    listing_resume,
    listing_suspend,
    listing_withdraw,
)
from jineng.providers.services.organizations import LicenceData, ProfileData, licence_set, profile_create

from .conftest import credit_code

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def _codes(exc: ValidationFailed) -> set[str]:
    return {f.code for f in exc.fields}


def _draft(profile, staff, scope=None, kind="new"):
    return application_create(
        actor=staff,
        profile=profile,
        kind=kind,
        capacity_per_year=300,
        scope=scope or [ScopeInput("4-04-05-01", "grade4", "employment")],
    )


# ---- the happy path ------------------------------------------------------------------------------------------


def test_a_provider_applies_is_reviewed_approved_and_listed(make_provider, make_user, officials, ref):
    profile = make_provider()
    staff = make_user("provider_staff", organization=profile.organization)
    app = _draft(
        profile, staff, [ScopeInput("4-04-05-01", "grade4", "employment"), ScopeInput("4-10-01-06", "", "upgrading")]
    )
    assert app.status == ApplicationStatus.DRAFT
    assert not providers_api.provider_is_listed_for(profile, ref.programmer, ref.levels["grade4"], "employment", TODAY)

    app = application_submit(actor=staff, application=app)
    assert app.status == ApplicationStatus.SUBMITTED and app.review_due > TODAY

    app = application_review(actor=officials.city, application=app, passed=True, opinion="材料齐全，现场核查通过")
    assert app.status == ApplicationStatus.CITY_PASSED and app.approval_due > TODAY

    app = application_decide(
        actor=officials.province, application=app, approved=True, document_number="粤人社函〔2026〕1号"
    )
    assert app.status == ApplicationStatus.APPROVED
    listing = app.listing
    assert listing.status == ListingStatus.LISTED
    assert listing.valid_from == TODAY and listing.valid_until > TODAY
    assert listing.capacity_per_year == 300
    event = listing.events.get()
    assert event.kind == ListingEventKind.LISTED and event.document_number == "粤人社函〔2026〕1号"
    assert event.decided_by == officials.province and event.deciding_office_id == "440000"

    # what it may train: exactly the listed scope; a scope row without a level covers every level
    assert providers_api.provider_is_listed_for(profile, ref.programmer, ref.levels["grade4"], "employment", TODAY)
    assert not providers_api.provider_is_listed_for(profile, ref.programmer, ref.levels["grade3"], "employment", TODAY)
    assert not providers_api.provider_is_listed_for(profile, ref.programmer, ref.levels["grade4"], "upgrading", TODAY)
    assert providers_api.provider_is_listed_for(profile, ref.carer, ref.levels["grade5"], "upgrading", TODAY)
    assert not providers_api.provider_is_listed_for(profile, ref.welder, None, "employment", TODAY)
    assert not providers_api.provider_is_listed_for(
        profile, ref.programmer, ref.levels["grade4"], "employment", listing.valid_until + dt.timedelta(days=1)
    )

    actions = list(AuditEntry.objects.filter(object_id=str(app.pk)).order_by("seq").values_list("action", flat=True))
    assert actions == ["provider_app.create", "provider_app.submit", "provider_app.review", "provider_app.decide"]


def test_the_listing_ends_no_later_than_the_licence(make_provider, listed):
    short = TODAY + dt.timedelta(days=200)
    entry = listed(licence_until=short)
    assert entry.listing.valid_until == short


def test_review_deadlines_follow_the_region_setting(listed, make_provider, make_user, officials):
    from jineng.refdata.api import setting_set, workdays_between

    setting_set(
        actor=officials.province,
        key="catalog.city_review_workdays",
        region_code="440100",
        value=3,
        valid_from=TODAY,
        reason="提速",
    )
    profile = make_provider()
    staff = make_user("provider_staff", organization=profile.organization)
    app = application_submit(actor=staff, application=_draft(profile, staff))
    assert workdays_between(TODAY, app.review_due, "440106") == 3


# ---- bad input -------------------------------------------------------------------------------------------------


def test_a_wrong_credit_code_is_refused(ref, officials):
    good = credit_code()
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    with pytest.raises(ValidationFailed) as exc:
        profile_create(
            actor=officials.province,
            kind="provider",
            name="某培训学校",
            credit_code=bad,
            region_code="440106",
            data=ProfileData(provider_type="university"),
        )
    assert "bad_credit_code" in _codes(exc.value)
    from jineng.accounts.models import Organization

    assert not Organization.objects.filter(credit_code=bad).exists()


def test_a_duplicate_credit_code_is_refused(make_provider, officials):
    profile = make_provider(provider_type="university")
    with pytest.raises(ValidationFailed) as exc:
        profile_create(
            actor=officials.province,
            kind="provider",
            name="另一个",
            credit_code=profile.organization.credit_code,
            region_code="440106",
            data=ProfileData(provider_type="university"),
        )
    assert "duplicate_credit_code" in _codes(exc.value)


def test_a_licensed_type_needs_its_licence(ref, officials):
    with pytest.raises(ValidationFailed) as exc:
        profile_create(
            actor=officials.province,
            kind="provider",
            name="无证学校",
            credit_code=credit_code(),
            region_code="440106",
            data=ProfileData(provider_type="private_training"),
        )
    assert "licence_required" in _codes(exc.value)


def test_an_expired_licence_stops_the_application(make_provider, make_user):
    profile = make_provider(licence_until=TODAY - dt.timedelta(days=1))
    staff = make_user("provider_staff", organization=profile.organization)
    app = _draft(profile, staff)
    with pytest.raises(ValidationFailed) as exc:
        application_submit(actor=staff, application=app)
    assert "licence_expired" in _codes(exc.value)
    app.refresh_from_db()
    assert app.status == ApplicationStatus.DRAFT


def test_a_licence_that_expires_between_review_and_approval_stops_the_approval(make_provider, make_user, officials):
    profile = make_provider()
    staff = make_user("provider_staff", organization=profile.organization)
    app = application_submit(actor=staff, application=_draft(profile, staff))
    application_review(actor=officials.city, application=app, passed=True)
    licence_set(
        actor=officials.city,
        profile=profile,
        licence=LicenceData(
            number=profile.licence_number,
            valid_from=dt.date(2020, 1, 1),
            valid_until=TODAY - dt.timedelta(days=1),
            items=[("4-04-05-01", "grade3")],
        ),
    )
    with pytest.raises(ValidationFailed) as exc:
        application_decide(actor=officials.province, application=app, approved=True)
    assert "licence_expired" in _codes(exc.value)
    app.refresh_from_db()
    assert app.status == ApplicationStatus.CITY_PASSED and app.listing is None


@pytest.mark.parametrize(
    ("scope", "code"),
    [
        (ScopeInput("6-18-02-04", "grade5", "employment"), "scope_outside_licence"),  # occupation not licensed
        (ScopeInput("4-10-01-06", "grade3", "employment"), "scope_outside_licence"),  # above the licensed level
    ],
)
def test_a_scope_outside_the_licence_is_refused(make_provider, make_user, scope, code):
    profile = make_provider()
    staff = make_user("provider_staff", organization=profile.organization)
    app = _draft(profile, staff, [ScopeInput("4-04-05-01", "grade4", "employment"), scope])
    with pytest.raises(ValidationFailed) as exc:
        application_submit(actor=staff, application=app)
    assert code in _codes(exc.value)
    assert any(f.field == "scope[1].occupation" or f.field == "scope[1].level" for f in exc.value.fields)


def test_an_unlicensed_type_is_not_held_to_a_licence(make_provider, make_user, officials, ref):
    profile = make_provider(provider_type="vocational_college")
    staff = make_user("provider_staff", organization=profile.organization)
    app = application_submit(
        actor=staff, application=_draft(profile, staff, [ScopeInput("6-18-02-04", "grade3", "employment")])
    )
    assert app.status == ApplicationStatus.SUBMITTED


@pytest.mark.parametrize(
    ("scope", "code"),
    [
        (ScopeInput("9-99-99-99", "grade4", "employment"), "unknown_occupation"),
        (ScopeInput("4-04-05", "grade4", "employment"), "not_an_occupation"),
        (ScopeInput("4-04-05-01", "grade9", "employment"), "unknown_level"),
        (ScopeInput("4-04-05-01", "grade4", "juggling"), "bad_choice"),
        (ScopeInput("", "grade4", "employment"), "required"),
    ],
)
def test_a_scope_naming_what_does_not_exist_is_refused(make_provider, make_user, scope, code):
    profile = make_provider()
    staff = make_user("provider_staff", organization=profile.organization)
    with pytest.raises(ValidationFailed) as exc:
        _draft(profile, staff, [scope])
    assert code in _codes(exc.value)
    assert not ProviderApplication.objects.filter(profile=profile).exists()


def test_entrepreneurship_needs_no_occupation(make_provider, make_user, officials, ref):
    profile = make_provider(provider_type="university")
    staff = make_user("provider_staff", organization=profile.organization)
    app = application_submit(actor=staff, application=_draft(profile, staff, [ScopeInput("", "", "entrepreneurship")]))
    application_review(actor=officials.city, application=app, passed=True)
    application_decide(actor=officials.province, application=app, approved=True)
    assert providers_api.provider_is_listed_for(profile, None, None, "entrepreneurship", TODAY)


def test_only_providers_apply(ref, officials, make_user):
    profile = profile_create(
        actor=officials.province,
        kind="enterprise",
        name="某制造企业",
        credit_code=credit_code(),
        region_code="440106",
        data=ProfileData(is_above_scale=True, size="large"),
    )
    hr = make_user("enterprise_hr", organization=profile.organization)
    with pytest.raises(ValidationFailed) as exc:
        _draft(profile, hr)
    assert "not_a_provider" in _codes(exc.value)


# ---- transitions out of order ----------------------------------------------------------------------------------


def test_transitions_out_of_order_are_refused(make_provider, make_user, officials):
    profile = make_provider()
    staff = make_user("provider_staff", organization=profile.organization)
    app = _draft(profile, staff)
    with pytest.raises(TransitionRefused) as exc:
        application_review(actor=officials.city, application=app, passed=True)
    assert exc.value.code == "application_not_submitted"
    with pytest.raises(TransitionRefused) as exc:
        application_decide(actor=officials.province, application=app, approved=True)
    assert exc.value.code == "application_not_reviewed"
    application_submit(actor=staff, application=app)
    with pytest.raises(TransitionRefused):
        application_submit(actor=staff, application=app)
    with pytest.raises(TransitionRefused):
        application_update(
            actor=staff, application=app, capacity_per_year=10, scope=[ScopeInput("4-04-05-01", "grade4", "employment")]
        )
    with pytest.raises(TransitionRefused):
        application_decide(actor=officials.province, application=app, approved=True)
    application_review(actor=officials.city, application=app, passed=False, opinion="场地不符合要求")
    app.refresh_from_db()
    assert app.status == ApplicationStatus.REJECTED
    with pytest.raises(TransitionRefused):
        application_decide(actor=officials.province, application=app, approved=True)
    with pytest.raises(TransitionRefused):
        application_withdraw(actor=staff, application=app)
    assert app.listing is None


def test_a_rejection_needs_reasons(make_provider, make_user, officials):
    profile = make_provider()
    staff = make_user("provider_staff", organization=profile.organization)
    app = application_submit(actor=staff, application=_draft(profile, staff))
    with pytest.raises(ValidationFailed) as exc:
        application_review(actor=officials.city, application=app, passed=False, opinion="  ")
    assert "required" in _codes(exc.value)


def test_one_open_application_at_a_time(make_provider, make_user):
    profile = make_provider()
    staff = make_user("provider_staff", organization=profile.organization)
    _draft(profile, staff)
    with pytest.raises(Conflict) as exc:
        _draft(profile, staff)
    assert exc.value.code == "open_application_exists"


def test_a_withdrawn_application_frees_the_way_for_a_new_one(make_provider, make_user):
    profile = make_provider()
    staff = make_user("provider_staff", organization=profile.organization)
    app = application_submit(actor=staff, application=_draft(profile, staff))
    application_withdraw(actor=staff, application=app, reason="材料有误")
    assert _draft(profile, staff).status == ApplicationStatus.DRAFT


# ---- who decides -------------------------------------------------------------------------------------------------


def test_the_reviewer_of_one_step_is_not_the_approver_of_the_next(make_provider, make_user, officials):
    from jineng.accounts.services import grant_create

    both = officials.city
    grant_create(actor=None, user=both, function="province_official", region_code="440000")
    profile = make_provider()
    staff = make_user("provider_staff", organization=profile.organization)
    app = application_submit(actor=staff, application=_draft(profile, staff))
    application_review(actor=both, application=app, passed=True)
    with pytest.raises(PermissionDenied) as exc:
        application_decide(actor=both, application=app, approved=True)
    assert exc.value.code == "approver_is_reviewer"
    app.refresh_from_db()
    assert app.status == ApplicationStatus.CITY_PASSED
    application_decide(actor=officials.province, application=app, approved=True)


def test_an_official_who_filed_for_a_provider_cannot_review_it(make_provider, officials):
    profile = make_provider()
    app = application_submit(actor=officials.city, application=_draft(profile, officials.city))
    with pytest.raises(PermissionDenied) as exc:
        application_review(actor=officials.city, application=app, passed=True)
    assert exc.value.code == "reviewer_is_submitter"
    application_review(actor=officials.city2, application=app, passed=True)


@pytest.mark.parametrize("who", ["county", "shenzhen", "staff_of_other"])
def test_officials_outside_the_region_and_others_cannot_review_and_nothing_changes(
    make_provider, make_user, officials, who
):
    profile = make_provider()
    staff = make_user("provider_staff", organization=profile.organization)
    app = application_submit(actor=staff, application=_draft(profile, staff))
    actor = {
        "county": officials.county,
        "shenzhen": officials.shenzhen,
        "staff_of_other": make_user("provider_staff", organization=make_provider().organization),
    }[who]
    audit_before = AuditEntry.objects.count()
    with pytest.raises(PermissionDenied):
        application_review(actor=actor, application=app, passed=True)
    with pytest.raises(PermissionDenied):
        application_decide(actor=actor, application=app, approved=True)
    app.refresh_from_db()
    assert app.status == ApplicationStatus.SUBMITTED and app.reviewed_by is None
    assert AuditEntry.objects.count() == audit_before


def test_a_city_cannot_approve_its_own_review(make_provider, make_user, officials):
    profile = make_provider()
    staff = make_user("provider_staff", organization=profile.organization)
    app = application_submit(actor=staff, application=_draft(profile, staff))
    application_review(actor=officials.city, application=app, passed=True)
    with pytest.raises(PermissionDenied):
        application_decide(actor=officials.city2, application=app, approved=True)


def test_staff_of_another_provider_cannot_apply_for_it(make_provider, make_user):
    profile = make_provider()
    other = make_user("provider_staff", organization=make_provider().organization)
    with pytest.raises(PermissionDenied):
        _draft(profile, other)


# ---- after listing: suspension, resumption, exit, renewal, extension -------------------------------------------


def test_a_suspended_provider_is_refused_until_resumed(listed, officials, ref):
    entry = listed()
    grade4 = ref.levels["grade4"]
    listing = listing_suspend(
        actor=officials.city, listing=entry.listing, reason="学员签到造假，停业整顿", document_number="穗人社函5号"
    )
    assert listing.status == ListingStatus.SUSPENDED
    assert providers_api.provider_is_suspended(entry.profile, TODAY)
    assert not providers_api.provider_is_listed_for(entry.profile, ref.programmer, grade4, "employment", TODAY)
    with pytest.raises(ProviderSuspended) as exc:
        providers_api.provider_require_listed_for(entry.profile, ref.programmer, grade4, "employment", TODAY)
    assert exc.value.code == "provider_suspended" and exc.value.status == 409

    with pytest.raises(TransitionRefused):
        listing_suspend(actor=officials.city, listing=listing, reason="again")
    with pytest.raises(PermissionDenied):  # a suspended provider cannot leave on its own
        listing_withdraw(actor=officials.county, listing=listing, reason="不干了")
    with pytest.raises(TransitionRefused):
        listing_withdraw(actor=entry.staff, listing=listing, reason="不干了")

    listing = listing_resume(actor=officials.city, listing=listing, reason="整改完成")
    assert listing.status == ListingStatus.LISTED
    providers_api.provider_require_listed_for(entry.profile, ref.programmer, grade4, "employment", TODAY)
    kinds = list(listing.events.order_by("created_at").values_list("kind", flat=True))
    assert kinds == ["listed", "suspended", "resumed"]


def test_a_suspension_takes_effect_on_its_date(listed, officials, ref):
    entry = listed()
    later = TODAY + dt.timedelta(days=10)
    listing_suspend(actor=officials.city, listing=entry.listing, reason="停业整顿", effective_date=later)
    grade4 = ref.levels["grade4"]
    assert providers_api.provider_is_listed_for(
        entry.profile, ref.programmer, grade4, "employment", later - dt.timedelta(days=1)
    )
    assert not providers_api.provider_is_listed_for(entry.profile, ref.programmer, grade4, "employment", later)


def test_exit_is_the_provinces_decision(listed, officials, ref):
    entry = listed()
    with pytest.raises(PermissionDenied):
        listing_exit(actor=officials.city, listing=entry.listing, reason="骗取补贴")
    listing = listing_exit(
        actor=officials.province, listing=entry.listing, reason="骗取补贴", document_number="粤人社函9号"
    )
    assert listing.status == ListingStatus.EXITED
    with pytest.raises(ProviderNotListed) as exc:
        providers_api.provider_require_listed_for(
            entry.profile, ref.programmer, ref.levels["grade4"], "employment", TODAY
        )
    assert exc.value.code == "provider_exited"
    with pytest.raises(TransitionRefused):
        listing_resume(actor=officials.city, listing=listing, reason="x")


def test_a_provider_may_leave_the_catalog_and_apply_again(listed, officials, ref):
    entry = listed()
    listing_withdraw(actor=entry.staff, listing=entry.listing, reason="转型")
    app = application_submit(
        actor=entry.staff,
        application=_draft(entry.profile, entry.staff, [ScopeInput("4-10-01-06", "grade4", "employment")]),
    )
    application_review(actor=officials.city, application=app, passed=True)
    app = application_decide(actor=officials.province, application=app, approved=True)
    assert app.listing_id == entry.listing.pk
    # the scope of the new listing replaces the old one
    assert providers_api.provider_is_listed_for(entry.profile, ref.carer, ref.levels["grade4"], "employment", TODAY)
    assert not providers_api.provider_is_listed_for(
        entry.profile, ref.programmer, ref.levels["grade4"], "employment", TODAY
    )
    kinds = list(entry.listing.events.order_by("created_at").values_list("kind", flat=True))
    assert kinds == ["listed", "withdrawn", "listed"]


def test_applying_as_new_while_listed_is_refused(listed):
    entry = listed()
    with pytest.raises(ValidationFailed) as exc:
        _draft(entry.profile, entry.staff)
    assert "already_listed" in _codes(exc.value)


def test_an_extension_widens_the_scope_and_a_renewal_continues_the_period(listed, officials, ref):
    entry = listed(licence_until=TODAY + dt.timedelta(days=3650))
    old_until = entry.listing.valid_until
    app = application_submit(
        actor=entry.staff,
        application=_draft(
            entry.profile, entry.staff, [ScopeInput("4-04-05-01", "grade3", "employment")], kind="extension"
        ),
    )
    application_review(actor=officials.city, application=app, passed=True)
    application_decide(actor=officials.province, application=app, approved=True)
    assert providers_api.provider_is_listed_for(
        entry.profile, ref.programmer, ref.levels["grade3"], "employment", TODAY
    )
    assert providers_api.provider_is_listed_for(
        entry.profile, ref.programmer, ref.levels["grade4"], "employment", TODAY
    )

    app = application_submit(
        actor=entry.staff,
        application=_draft(
            entry.profile, entry.staff, [ScopeInput("4-04-05-01", "grade4", "employment")], kind="renewal"
        ),
    )
    application_review(actor=officials.city, application=app, passed=True)
    app = application_decide(actor=officials.province, application=app, approved=True)
    listing = app.listing
    listing.refresh_from_db()
    assert listing.valid_until > old_until
    start = old_until + dt.timedelta(days=1)
    # until the renewal starts, the old scope holds; from its start, only the renewed scope
    assert providers_api.provider_is_listed_for(
        entry.profile, ref.programmer, ref.levels["grade3"], "employment", old_until
    )
    assert not providers_api.provider_is_listed_for(
        entry.profile, ref.programmer, ref.levels["grade3"], "employment", start
    )
    assert providers_api.provider_is_listed_for(
        entry.profile, ref.programmer, ref.levels["grade4"], "employment", start
    )


def test_a_renewal_for_a_provider_that_was_never_listed_is_refused(make_provider, make_user):
    profile = make_provider()
    staff = make_user("provider_staff", organization=profile.organization)
    with pytest.raises(ValidationFailed) as exc:
        _draft(profile, staff, kind="renewal")
    assert "not_listed" in _codes(exc.value)


def test_a_renewal_beyond_the_licence_is_refused(listed, officials):
    entry = listed()  # the listing already ends with the licence
    app = application_submit(actor=entry.staff, application=_draft(entry.profile, entry.staff, kind="renewal"))
    application_review(actor=officials.city, application=app, passed=True)
    with pytest.raises(TransitionRefused) as exc:
        application_decide(actor=officials.province, application=app, approved=True)
    assert exc.value.code == "licence_expires_first"
    app.refresh_from_db()
    assert app.status == ApplicationStatus.CITY_PASSED

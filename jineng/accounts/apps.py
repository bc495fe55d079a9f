from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "jineng.accounts"
    label = "accounts"
    verbose_name = "账号与授权 Accounts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from jineng.accounts.signals import on_logged_in, on_login_failed

        user_logged_in.connect(on_logged_in, dispatch_uid="jineng.accounts.sign_in")
        user_login_failed.connect(on_login_failed, dispatch_uid="jineng.accounts.sign_in_failed")
        # The kernel's own tables are scoped here: common sits below accounts and cannot import the mechanism.
        from jineng.accounts.models import Grant, Organization, User
        from jineng.accounts.scope import ScopeSpec, register_scope
        from jineng.common.models import Attachment, AuditEntry, Job
        from jineng.refdata.api import RegionSetting

        register_scope(AuditEntry, ScopeSpec(region="region_code"))
        register_scope(Job, ScopeSpec(region="region_code", owner="created_by_id"))
        register_scope(
            Attachment, ScopeSpec(region="region_code", organization="organization_id", owner="uploaded_by_id")
        )
        register_scope(RegionSetting, ScopeSpec(region="region_id"))
        register_scope(Organization, ScopeSpec(region="region_id", organization="id"))
        register_scope(
            Grant,
            ScopeSpec(
                region="region_id", organization="organization_id", owner="user_id", extra_region=_org_grants_in_regions
            ),
        )
        register_scope(User, ScopeSpec(extra_region=_users_in_regions, owner="id"))


def _users_in_regions(sub):  # type: ignore[no-untyped-def]
    """A user is visible where any of their grants points (for user administration)."""
    from django.db.models import Q

    from jineng.accounts.models import Grant

    return Q(pk__in=Grant.objects.filter(Q(region_id__in=sub) | Q(organization__region_id__in=sub)).values("user_id"))


def _org_grants_in_regions(sub):  # type: ignore[no-untyped-def]
    """An organization's grants are visible where the organization is."""
    from django.db.models import Q

    return Q(organization__region_id__in=sub)

"""Users, the organizations they may act for, their grants (function × scope), and API tokens."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jineng.accounts.roles import Function
from jineng.common.ids import uuid7


class User(AbstractUser):
    """A person who logs in. A worker's account links to their registry person (``person_id``)."""

    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    display_name = models.CharField(max_length=100, blank=True)
    person_id = models.UUIDField(null=True, blank=True, unique=True)
    language = models.CharField(max_length=10, default="zh-hans")
    # When the password was last set (password expiry, 密码有效期); set by set_password().
    password_changed_at = models.DateTimeField(null=True, blank=True)
    # An administrator set this password: the user must choose their own at the next sign-in.
    password_must_change = models.BooleanField(default=False)

    class Meta:
        verbose_name = "用户"

    def __str__(self) -> str:
        return self.display_name or self.username

    def save(self, *args: object, **kwargs: object) -> None:
        if self.password_changed_at is None and self.password:  # create_user() sets the hash directly
            self.password_changed_at = timezone.now()
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def set_password(self, raw_password: str | None) -> None:
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()


class PasswordHistory(models.Model):
    """历史密码 — the hashes of a user's earlier passwords, so the last few are not chosen again."""

    id = models.BigAutoField(primary_key=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "历史密码"
        ordering = ["-created_at", "-id"]


class SignInEvent(models.Model):
    """登录记录 — each sign-in attempt by username, shown to the user at the next sign-in (last success, failures)."""

    id = models.BigAutoField(primary_key=True)
    username = models.CharField(max_length=150, db_index=True)
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    succeeded = models.BooleanField()
    at = models.DateTimeField(default=timezone.now)
    address = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = "登录记录"
        indexes = [models.Index(fields=["username", "at"], name="signin_username_at")]


class OrganizationKind(models.TextChoices):
    PROVIDER = "provider", _("培训机构")
    ENTERPRISE = "enterprise", _("企业")
    EVALUATOR = "evaluator", _("评价机构")


class Organization(models.Model):
    """A provider, enterprise or evaluation organization as a principal that grants point at.

    The providers app keeps the full profile (licence, catalog listing …); this is the identity and its region.
    """

    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    kind = models.CharField(max_length=12, choices=OrganizationKind.choices)
    name = models.CharField(max_length=200)
    credit_code = models.CharField(max_length=18, unique=True)
    region = models.ForeignKey("refdata.Region", on_delete=models.PROTECT)
    status = models.CharField(max_length=12, default="active")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "组织"

    def __str__(self) -> str:
        return self.name


class Grant(models.Model):
    """授权 — a function over a region subtree or over one organization, optionally time-boxed."""

    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="grants")
    function = models.CharField(max_length=24, choices=Function.choices)
    region = models.ForeignKey("refdata.Region", null=True, blank=True, on_delete=models.PROTECT)
    organization = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.PROTECT)
    valid_from = models.DateTimeField(default=timezone.now)
    valid_until = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=200, blank=True)
    granted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "授权"
        constraints = [
            models.CheckConstraint(
                condition=(Q(region__isnull=False) & Q(organization__isnull=True))
                | (Q(region__isnull=True) & Q(organization__isnull=False))
                | (Q(function="worker") & Q(region__isnull=True) & Q(organization__isnull=True)),
                name="grant_region_xor_organization",
            )
        ]

    def __str__(self) -> str:
        target = self.region_id or (self.organization.name if self.organization is not None else "本人")
        return f"{self.get_function_display()} @ {target}"

    def is_active(self, at: object = None) -> bool:
        now = at or timezone.now()
        return (
            self.revoked_at is None
            and self.valid_from <= now  # type: ignore[operator]
            and (self.valid_until is None or self.valid_until > now)  # type: ignore[operator]
        )


class ApiToken(models.Model):
    """A bearer token for systems. Only a SHA-256 of the secret is stored; the secret is shown once."""

    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="api_tokens")
    prefix = models.CharField(max_length=12, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    label = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "API 令牌"


class ExternalIdentity(models.Model):
    """统一身份认证账号 — an account at the identity provider (issuer + subject) linked to a user.

    A worker's is made at the first sign-in, after the verified ID number matched their registry person; an
    official's is made by a deployer (``jineng oidc link USERNAME SUBJECT``), since an official is no registry person.
    """

    id = models.BigAutoField(primary_key=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="external_identities")
    issuer = models.CharField(max_length=200)
    subject = models.CharField(max_length=255)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "统一身份认证账号"
        constraints = [models.UniqueConstraint(fields=["issuer", "subject"], name="external_identity_unique")]


class UsedNonce(models.Model):
    """An ID token's nonce once it signed someone in (its SHA-256): the same token presented again is refused."""

    digest = models.CharField(max_length=64, primary_key=True)
    used_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "已用登录随机数"

"""The learning record store's tables: platform credentials, statements with their lookup index, attachments, the
State / Activity Profile / Agent Profile documents, and the activities' canonical definitions.

Statements keep the JSON exactly as stored (``data``, JSONB on PostgreSQL) and a narrow index table
(``StatementIndex``) of the agents and activities each one mentions, so the query filters of the statement resource
are plain indexed joins on SQLite and PostgreSQL alike. Every row belongs to one platform (``organization``): a
platform's credential never reads another platform's records.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from jineng.common.models import BaseModel


class CredentialStatus(models.TextChoices):
    ACTIVE = "active", _("有效")
    REVOKED = "revoked", _("已吊销")


class LrsCredential(BaseModel):
    """Basic-auth key and secret of one online platform. The secret is kept as its SHA-256 (it is 32 random bytes,
    so a slow hash adds nothing but latency on every statement)."""

    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    key = models.CharField(max_length=40, unique=True)
    secret_sha256 = models.CharField(max_length=64)
    status = models.CharField(max_length=12, choices=CredentialStatus.choices, default=CredentialStatus.ACTIVE)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]


class Statement(models.Model):
    """One stored statement. ``seq`` orders the store (``stored`` ties within a batch)."""

    seq = models.BigAutoField(primary_key=True)
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    statement_id = models.UUIDField()
    data = models.JSONField()
    submitted = models.JSONField(help_text="The statement as the platform sent it, to compare a resend.")
    stored = models.DateTimeField()
    verb_id = models.CharField(max_length=2048)
    registration = models.UUIDField(null=True, blank=True)
    voided = models.BooleanField(default=False)
    voids = models.UUIDField(null=True, blank=True, help_text="The statement a voiding statement voids.")
    ref_id = models.UUIDField(null=True, blank=True, help_text="The statement a StatementRef object targets.")
    has_attachments = models.BooleanField(default=False)
    version = models.CharField(max_length=12, default="1.0.0")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "statement_id"], name="learning_statement_unique_id")
        ]
        indexes = [
            models.Index(fields=["organization", "stored", "seq"], name="learning_stmt_org_stored"),
            models.Index(fields=["organization", "verb_id"], name="learning_stmt_org_verb"),
            models.Index(fields=["organization", "registration"], name="learning_stmt_org_reg"),
        ]


class IndexKind(models.TextChoices):
    AGENT = "agent", "agent"
    ACTIVITY = "activity", "activity"


class StatementIndex(models.Model):
    """An agent (by its identifier) or an activity (by its IRI) a statement mentions; ``direct`` marks the actor or
    object (the plain filter), the others match only with ``related_agents`` / ``related_activities``."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="index_rows")
    kind = models.CharField(max_length=8, choices=IndexKind.choices)
    value = models.CharField(max_length=2048)
    direct = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["kind", "value"], name="learning_stmt_index_value")]


class Attachment(models.Model):
    """An attachment's content, by its SHA-2, for one platform."""

    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    sha2 = models.CharField(max_length=128)
    content_type = models.CharField(max_length=255)
    content = models.BinaryField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "sha2"], name="learning_attachment_unique_sha2")]


class DocumentKind(models.TextChoices):
    STATE = "state", "State"
    ACTIVITY_PROFILE = "activity_profile", "Activity Profile"
    AGENT_PROFILE = "agent_profile", "Agent Profile"


class Document(models.Model):
    """A State, Activity Profile or Agent Profile document. ``agent`` is the agent's identifier key, ``registration``
    is empty when none was given; ``doc_id`` is the stateId or profileId."""

    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=DocumentKind.choices)
    activity_id = models.CharField(max_length=2048, blank=True)
    agent = models.CharField(max_length=2048, blank=True)
    registration = models.CharField(max_length=36, blank=True)
    doc_id = models.CharField(max_length=2048)
    content = models.BinaryField()
    content_type = models.CharField(max_length=255)
    etag = models.CharField(max_length=64)
    updated = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["organization", "kind", "activity_id", "agent"], name="learning_doc_lookup")]


class Activity(models.Model):
    """The canonical definition of an activity as the platform last defined it."""

    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    activity_id = models.CharField(max_length=2048)
    definition = models.JSONField(default=dict)

    class Meta:
        indexes = [models.Index(fields=["organization", "activity_id"], name="learning_activity_lookup")]


class LearnerAccount(BaseModel):
    """A learner account of a platform (the statements' actor: ``homePage`` + ``name``) mapped to one enrollment of
    training. ``region`` and ``provider_organization`` are the class's, so officials and the class's provider see it
    (accounts.api.visible); ``online_hours`` and ``lines`` are the last derivation (learning.services.online_sync)."""

    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    home_page = models.CharField(_("平台主页"), max_length=2048)
    name = models.CharField(_("平台学员账号"), max_length=255)
    enrollment_id = models.UUIDField(_("学员名册"))
    training_class_id = models.UUIDField()
    class_code = models.CharField(_("班级编号"), max_length=32)
    person_name_masked = models.CharField(_("姓名"), max_length=60)
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey("refdata.Region", on_delete=models.PROTECT, related_name="+")
    provider_organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    online_hours = models.PositiveIntegerField(_("线上学时"), default=0)
    signals = models.PositiveIntegerField(_("异常信号"), default=0)
    lines = models.JSONField(_("逐日说明"), default=list, blank=True)
    synced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["class_code", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "home_page", "name"], name="learning_learner_account_unique"
            ),
        ]
        indexes = [models.Index(fields=["enrollment_id"], name="learning_learner_enrollment")]


class ResourceRating(BaseModel):
    """学员评价 — a learner's rating (1–5 stars) of a 数字培训资源 (providers' ``DigitalResource``), with an optional
    short comment: the national plan asks the online platforms to let learners rate resources so the good ones are
    found. One per learner and resource (rating again replaces it)."""

    resource = models.ForeignKey("providers.DigitalResource", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    stars = models.PositiveSmallIntegerField(_("评分"))
    comment = models.CharField(_("评价"), max_length=300, blank=True)

    class Meta:
        verbose_name = "数字培训资源评价"
        constraints = [
            models.UniqueConstraint(fields=["resource", "person"], name="resource_rating_once_per_learner"),
            models.CheckConstraint(condition=models.Q(stars__gte=1, stars__lte=5), name="resource_rating_stars"),
        ]

"""Every read of the skill credit bank: one function per list, used by the pages and the API alike; lists are
scoped through ``accounts.api.visible``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, QuerySet, Sum

from jineng.accounts.api import visible
from jineng.common.masking import mask_name
from jineng.credits.models import (
    Conversion,
    ConversionStatus,
    CreditEntry,
    CreditRuleSet,
    Recognition,
    RecognitionStatus,
    RuleSetStatus,
    TranscriptImport,
    TrustedIssuer,
)
from jineng.refdata.api import region_ancestors
from jineng.registry.api import Person, person_resolve


def accounts_visible(user: Any, q: str = "") -> list[dict[str, Any]]:
    """学分账户 — the persons with entries attributed to a region in the user's scope, with the net credits of those
    entries (masked names). ``q``: a whole ID number or a whole name."""
    entries = visible(CreditEntry, user)
    if q:
        found = person_by_number(q)
        if found is not None:
            entries = entries.filter(person_id=found.pk)
        else:
            entries = entries.filter(person_id__in=Person.objects.filter(name=q).values("pk"))
    rows = list(
        entries.values("person_id")
        .annotate(total=Sum("credits"), count=Count("id"), last=Max("on"))
        .order_by("-last", "person_id")[:500]
    )
    people = {p.pk: p for p in Person.objects.filter(pk__in=[row["person_id"] for row in rows])}
    out = []
    for row in rows:
        person = people.get(row["person_id"])
        total = Decimal(str(row["total"] or 0)).quantize(Decimal("0.1"))  # SQLite sums decimals as floats
        out.append({**row, "total": total, "name": mask_name(person.name) if person else ""})
    return out


def person_by_number(text: str) -> Person | None:
    """The person holding this ID number, or None (a malformed number is None, never an error)."""
    from jineng.common.errors import DomainError

    text = (text or "").strip().upper()
    if len(text) not in (15, 18):
        return None
    try:
        return person_resolve(text)
    except DomainError:
        return None


def entries_of(person_id: Any) -> QuerySet[CreditEntry]:
    """A person's whole account (the caller has checked the person is in scope or is the person)."""
    return (
        CreditEntry.objects.filter(person_id=person_id)
        .select_related("region", "rule_set__region")
        .order_by("on", "created_at")
    )


def entry_regions(person_id: Any) -> list[tuple[str, str]]:
    """(code, name) of the regions the person's entries are attributed to."""
    rows = CreditEntry.objects.filter(person_id=person_id).values_list("region_id", "region__name").distinct()
    return sorted(set(rows))


def conversions_of(person_id: Any) -> QuerySet[Conversion]:
    return (
        Conversion.objects.filter(person_id=person_id)
        .select_related("region", "created_by", "decided_by")
        .order_by("-created_at")
    )


def conversions_visible(user: Any, status: str = "") -> QuerySet[Conversion]:
    qs = visible(Conversion, user).select_related("person", "region", "created_by")
    if status in ConversionStatus.values:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at")


def pending_conversions(user: Any) -> QuerySet[Conversion]:
    """学分转换待审 — pending requests of the user's regions that another person filed."""
    return (
        visible(Conversion, user, "records.review")
        .filter(status=ConversionStatus.PENDING)
        .exclude(created_by_id=getattr(user, "pk", None))
        .exclude(consent_method="online", consented_at__isnull=True)  # waits for the person first
    )


def pending_rule_drafts(user: Any) -> list[CreditRuleSet]:
    """学分规则待发布 — drafts of the user's regions that another person drafted."""
    return [rs for rs in rule_drafts_visible(user) if rs.status == RuleSetStatus.DRAFT
            and rs.created_by_id != getattr(user, "pk", None)]  # fmt: skip


def conversions_awaiting_consent(user: Any) -> QuerySet[Conversion]:
    """待本人确认 — the user's own pending conversions asked with online consent, not yet agreed to."""
    person_id = getattr(user, "person_id", None)
    return Conversion.objects.filter(person_id=person_id, status=ConversionStatus.PENDING, consent_method="online",
                                     consented_at__isnull=True) if person_id else Conversion.objects.none()  # fmt: skip


def recognitions_of(person_id: Any) -> QuerySet[Recognition]:
    return Recognition.objects.filter(person_id=person_id).select_related("from_region").order_by("-created_at")


def recognitions_visible(user: Any, status: str = "") -> QuerySet[Recognition]:
    qs = visible(Recognition, user).select_related("person", "from_region", "region", "requested_by")
    if status in RecognitionStatus.values:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at")


def pending_recognitions(user: Any) -> QuerySet[Recognition]:
    """互认待审 — the user's to-do: pending requests of the user's regions that another person filed."""
    return (
        visible(Recognition, user, "records.review")
        .filter(status=RecognitionStatus.PENDING)
        .exclude(requested_by_id=getattr(user, "pk", None))
    )


def rule_sets() -> QuerySet[CreditRuleSet]:
    """The published versions (the rules that count)."""
    return (
        CreditRuleSet.objects.filter(status=RuleSetStatus.PUBLISHED)
        .select_related("region", "created_by", "published_by")
        .order_by("region_id", "-version")
    )


def rule_drafts_visible(user: Any) -> list[CreditRuleSet]:
    """The drafts (and returned drafts) of the regions the user may set rules for (theirs and below), newest
    first."""
    from jineng.accounts.api import can

    qs = CreditRuleSet.objects.exclude(status=RuleSetStatus.PUBLISHED).select_related("region", "created_by")
    return [rs for rs in qs.order_by("-created_at")[:200] if can(user, "settings.edit", region_code=rs.region_id)]


def trusted_issuers() -> QuerySet[TrustedIssuer]:
    return TrustedIssuer.objects.select_related("region", "created_by").order_by("-active", "name")


def imports_visible(user: Any) -> QuerySet[TranscriptImport]:
    return visible(TranscriptImport, user).select_related("person", "region", "issuer", "imported_by")


def imports_of(person_id: Any) -> QuerySet[TranscriptImport]:
    return TranscriptImport.objects.filter(person_id=person_id).select_related("issuer", "region")


def rule_sets_for_person(person_id: Any) -> QuerySet[CreditRuleSet]:
    """The rules a worker is credited under: those of the regions of the worker's credit entries, residence and
    户籍地, and of the regions above them (a region without rules of its own uses the nearest one above)."""
    person = Person.objects.filter(pk=person_id).values("residence_region_id", "hukou_region_id").first() or {}
    own = set(CreditEntry.objects.filter(person_id=person_id).values_list("region_id", flat=True).distinct())
    own |= {code for code in person.values() if code}
    codes = {a for code in own for a in region_ancestors(code)}
    return rule_sets().filter(region_id__in=codes)

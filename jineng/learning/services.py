"""Every write of the learning record store: credentials (created, rotated, revoked by officials or the command),
statements (stored with their index, voiding applied) and documents (State, Activity Profile, Agent Profile with
their ETag rules)."""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from jineng.common.audit.services import audit_event
from jineng.learning import validation as v
from jineng.learning.events import Event
from jineng.learning.models import (
    Activity,
    Attachment,
    CredentialStatus,
    Document,
    IndexKind,
    LrsCredential,
    Statement,
    StatementIndex,
)


class XapiConflict(Exception):
    """409: a statement id already stored with other content, or a document PUT without a precondition."""


class XapiPreconditionFailed(Exception):
    """412: If-Match / If-None-Match does not hold."""


class XapiNotFound(Exception):
    """404."""


def secret_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedCredential:
    key: str
    secret: str


def credential_create(*, actor: Any, organization: Any) -> IssuedCredential:
    """A new Basic-auth key and secret for the platform; the secret is shown once."""
    key = secrets.token_hex(10)
    secret = secrets.token_urlsafe(24)
    with transaction.atomic():
        credential = LrsCredential.objects.create(
            organization=organization, key=key, secret_sha256=secret_digest(secret)
        )
        audit_event(Event.CREDENTIAL_CREATE, actor=actor, object_id=credential.id)
    return IssuedCredential(key=key, secret=secret)


def credential_revoke(*, actor: Any, credential: LrsCredential) -> None:
    with transaction.atomic():
        credential.status = CredentialStatus.REVOKED
        credential.revoked_at = timezone.now()
        credential.save(update_fields=["status", "revoked_at", "updated_at"])
        audit_event(Event.CREDENTIAL_REVOKE, actor=actor, object_id=credential.id)


def credential_rotate(*, actor: Any, credential: LrsCredential) -> IssuedCredential:
    """Revoke the credential and issue its successor to the same platform."""
    with transaction.atomic():
        credential_revoke(actor=actor, credential=credential)
        return credential_create(actor=actor, organization=credential.organization)


# --- agents and statements -------------------------------------------------------------------------------------


def agent_key(agent: dict[str, Any]) -> str | None:
    """The identifier of an agent or identified group as one string (None for an anonymous group)."""
    if "mbox" in agent:
        return f"mbox:{agent['mbox']}"
    if "mbox_sha1sum" in agent:
        return f"mbox_sha1sum:{agent['mbox_sha1sum'].lower()}"
    if "openid" in agent:
        return f"openid:{agent['openid']}"
    if "account" in agent:
        return f"account:{agent['account']['homePage']}|{agent['account']['name']}"
    return None


def _agents(agent: Any) -> list[str]:
    """The keys of an agent or group and of a group's members."""
    if not isinstance(agent, dict):
        return []
    keys = [key] if (key := agent_key(agent)) else []
    for member in agent.get("member") or []:
        if member_key := agent_key(member):
            keys.append(member_key)
    return keys


def _context_index(context: dict[str, Any], agents: set[str], activities: set[str]) -> None:
    for key in ("instructor", "team"):
        agents.update(_agents(context.get(key)))
    for item in context.get("contextAgents") or []:
        agents.update(_agents(item.get("agent")))
    for item in context.get("contextGroups") or []:
        agents.update(_agents(item.get("group")))
    for items in (context.get("contextActivities") or {}).values():
        for item in items if isinstance(items, list) else [items]:
            activities.add(item["id"])


def statement_index(data: dict[str, Any]) -> list[tuple[str, str, bool]]:
    """(kind, value, direct) rows: the actor and object directly, every other agent and activity as related."""
    rows: list[tuple[str, str, bool]] = []
    direct_agents = set(_agents(data["actor"])[:1]) if agent_key(data["actor"]) else set()
    agents: set[str] = set(_agents(data["actor"]))
    activities: set[str] = set()
    obj = data["object"]
    kind = obj.get("objectType", "Activity")
    direct_activities: set[str] = set()
    if kind == "Activity":
        direct_activities.add(obj["id"])
    elif kind in ("Agent", "Group"):
        if key := agent_key(obj):
            direct_agents.add(key)
        agents.update(_agents(obj))
    elif kind == "SubStatement":
        agents.update(_agents(obj["actor"]))
        sub_object = obj["object"]
        if sub_object.get("objectType", "Activity") == "Activity":
            activities.add(sub_object["id"])
        else:
            agents.update(_agents(sub_object))
        _context_index(obj.get("context") or {}, agents, activities)
    agents.update(_agents(data.get("authority")))
    _context_index(data.get("context") or {}, agents, activities)
    activities |= direct_activities
    agents |= direct_agents
    rows += [(IndexKind.AGENT, key, key in direct_agents) for key in sorted(agents)]
    rows += [(IndexKind.ACTIVITY, key, key in direct_activities) for key in sorted(activities)]
    return rows


def _duration_key(text: str) -> str:
    """Durations compare to 0.01 s: the seconds' further digits are cut."""
    return re.sub(r"(\d+)[.,](\d{1,2})\d*S$", lambda m: f"{m.group(1)}.{m.group(2).ljust(2, '0')}S", text)


def comparable(data: dict[str, Any]) -> dict[str, Any]:
    """A statement as two sends of it are compared (the LRS's own properties left out, durations to 0.01 s)."""
    out = {key: value for key, value in data.items() if key not in ("id", "stored", "authority", "version")}
    if isinstance(out.get("result"), dict) and isinstance(out["result"].get("duration"), str):
        out["result"] = {**out["result"], "duration": _duration_key(out["result"]["duration"])}
    return out


def _activity_definitions(organization: Any, data: dict[str, Any]) -> None:
    """Keep the last definition each activity of the statement carried (the Activities resource answers it)."""
    found: list[dict[str, Any]] = []
    for obj in (data["object"], data["object"].get("object") if isinstance(data["object"], dict) else None):
        if isinstance(obj, dict) and obj.get("objectType", "Activity") == "Activity" and "id" in obj:
            found.append(obj)
    for items in ((data.get("context") or {}).get("contextActivities") or {}).values():
        found += items if isinstance(items, list) else [items]
    for item in found:
        row = Activity.objects.filter(organization=organization, activity_id=item["id"]).first()
        if row is None:
            Activity.objects.create(
                organization=organization, activity_id=item["id"], definition=item.get("definition") or {}
            )
        elif "definition" in item:
            merged = _merge_definition(row.definition, item["definition"])
            if merged != row.definition:
                row.definition = merged
                row.save(update_fields=["definition"])


def _merge_definition(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """A newer definition replaces properties, but language maps gain the languages they did not have."""
    merged = {**old, **new}
    for key in ("name", "description"):
        if isinstance(old.get(key), dict) and isinstance(new.get(key), dict):
            merged[key] = {**old[key], **new[key]}
    return merged


def statements_store(
    *,
    organization: Any,
    statements: list[dict[str, Any]],
    authority: dict[str, Any],
    version: str,
    attachments: dict[str, tuple[str, bytes]],
) -> list[str]:
    """Store a batch (all or nothing): ids assigned, authority and stored set, voiding applied. A resend of a stored
    id with the same content is accepted and not stored twice; with other content it is a conflict."""
    now = timezone.now()
    stored_text = now.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    ids: list[str] = []
    seen: set[str] = set()
    for data in statements:
        data.setdefault("id", v.new_uuid())
        data["id"] = str(data["id"]).lower()
        if data["id"] in seen:
            raise v.XapiInvalid(f"statement.id: {data['id']} is twice in the batch")
        seen.add(data["id"])
        ids.append(data["id"])
    with transaction.atomic():
        existing = {
            str(row.statement_id): row
            for row in Statement.objects.filter(organization=organization, statement_id__in=ids)
        }
        voids: list[str] = []
        fresh: list[dict[str, Any]] = []
        for data in statements:
            if data["id"] in existing:
                if comparable(existing[data["id"]].submitted) != comparable(data):
                    raise XapiConflict(f"Statement {data['id']} is already stored with other content.")
                continue
            fresh.append(data)
            if data["verb"]["id"] == v.VOIDED:
                voids.append(data["object"]["id"].lower())
        if voids:
            targets = Statement.objects.filter(organization=organization, statement_id__in=voids)
            if any(target.verb_id == v.VOIDED for target in targets):
                raise v.XapiInvalid("statement.object: a voiding statement cannot be voided")
        for data in fresh:
            submitted = json.loads(json.dumps(data))
            data["authority"] = authority
            data["stored"] = stored_text
            data.setdefault("timestamp", stored_text)
            data.setdefault("version", version)
            obj = data["object"]
            row = Statement.objects.create(
                organization=organization,
                statement_id=data["id"],
                data=data,
                submitted=submitted,
                stored=now,
                verb_id=data["verb"]["id"],
                registration=(data.get("context") or {}).get("registration"),
                voids=obj["id"] if data["verb"]["id"] == v.VOIDED else None,
                ref_id=obj["id"] if obj.get("objectType") == "StatementRef" else None,
                has_attachments=bool(data.get("attachments")),
                version=data["version"],
            )
            StatementIndex.objects.bulk_create(
                [
                    StatementIndex(statement=row, kind=kind, value=value, direct=direct)
                    for kind, value, direct in statement_index(data)
                ]
            )
            _activity_definitions(organization, data)
        if voids:
            Statement.objects.filter(organization=organization, statement_id__in=voids).exclude(
                verb_id=v.VOIDED
            ).update(voided=True)
        for sha2, (content_type, content) in attachments.items():
            try:
                with transaction.atomic():
                    Attachment.objects.get_or_create(
                        organization=organization,
                        sha2=sha2,
                        defaults={"content_type": content_type, "content": content},
                    )
            except IntegrityError:
                pass
    return ids


# --- documents -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentKey:
    kind: str
    activity_id: str = ""
    agent: str = ""
    registration: str = ""


def _matches(etag: str, header: str) -> bool:
    tags = [tag.strip() for tag in header.split(",")]
    return "*" in tags or any(tag.strip('"').removeprefix("W/").strip('"') == etag for tag in tags)


def _check_preconditions(
    existing: Document | None, if_match: str | None, if_none_match: str | None, *, put_needs_one: bool
) -> None:
    if if_match is not None and (existing is None or not _matches(existing.etag, if_match)):
        raise XapiPreconditionFailed("If-Match does not match the document's ETag.")
    if if_none_match is not None and existing is not None and _matches(existing.etag, if_none_match):
        raise XapiPreconditionFailed("If-None-Match: the document already exists.")
    if put_needs_one and existing is not None and if_match is None and if_none_match is None:
        raise XapiConflict(
            "The document exists: send If-Match with its ETag to replace it (or If-None-Match: * to create only)."
        )


def document_write(
    *,
    organization: Any,
    key: DocumentKey,
    doc_id: str,
    content: bytes,
    content_type: str,
    merge: bool,
    if_match: str | None,
    if_none_match: str | None,
    put_needs_precondition: bool,
    new_needs_precondition: bool = False,
) -> None:
    """PUT (replace) or POST (merge JSON objects) one document."""
    is_json = content_type.split(";")[0].strip().lower() == "application/json"
    with transaction.atomic():
        existing = (
            Document.objects.select_for_update()
            .filter(organization=organization, doc_id=doc_id, **key.__dict__)
            .first()
        )
        _check_preconditions(existing, if_match, if_none_match, put_needs_one=put_needs_precondition and not merge)
        if new_needs_precondition and not merge and if_match is None and if_none_match is None:
            raise v.XapiInvalid("PUT of a profile document sends If-Match or If-None-Match (xAPI 1.0.3)")
        if merge:
            incoming = _json_object(content) if is_json else None
            if existing is not None:
                was_json = existing.content_type.split(";")[0].strip().lower() == "application/json"
                current = _json_object(bytes(existing.content)) if was_json else None
                if incoming is None or current is None:
                    raise v.XapiInvalid("POST merges JSON objects only: the stored or sent document is not one")
                content = json.dumps({**current, **incoming}).encode()
                content_type = "application/json"
            elif is_json and incoming is None:
                raise v.XapiInvalid("POST merges JSON objects only: the sent document is not one")
        etag = hashlib.sha1(content, usedforsecurity=False).hexdigest()
        if existing is None:
            Document.objects.create(
                organization=organization,
                doc_id=doc_id,
                content=content,
                content_type=content_type,
                etag=etag,
                updated=timezone.now(),
                **key.__dict__,
            )
        else:
            existing.content = content
            existing.content_type = content_type
            existing.etag = etag
            existing.updated = timezone.now()
            existing.save()


def _json_object(content: bytes) -> dict[str, Any] | None:
    try:
        value = json.loads(content.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return None
    return value if isinstance(value, dict) else None


def document_delete(*, organization: Any, key: DocumentKey, doc_id: str | None, if_match: str | None) -> None:
    """DELETE one document, or (State without stateId) all of the activity, agent and registration."""
    with transaction.atomic():
        rows = Document.objects.filter(organization=organization, **key.__dict__)
        if doc_id is not None:
            rows = rows.filter(doc_id=doc_id)
            existing = rows.first()
            if if_match is not None and (existing is None or not _matches(existing.etag, if_match)):
                raise XapiPreconditionFailed("If-Match does not match the document's ETag.")
        rows.delete()


# ---- 数字培训资源评价 (learners rate the digital resources) --------------------------------------------------------

RATING_COMMENT_MAX = 300


def resource_rate(*, actor: Any, resource_id: Any, stars: Any, comment: str = "") -> Any:
    """评价 — a learner (a user with a person record) rates a listed, not retired 数字培训资源 1–5 stars, with an
    optional comment (≤ 300 characters); rating again replaces their rating. Refusals name the field: ``resource``
    (``not_found``), ``stars`` (``out_of_range``: an integer 1–5, never true/false or 4.5), ``comment``
    (``too_long``); a user without a person record is refused (403: only learners rate)."""
    from django.utils.translation import gettext as _

    from jineng.accounts.api import principal_for
    from jineng.common.errors import PermissionDenied, invalid
    from jineng.common.ids import uuid_or_none
    from jineng.learning.models import ResourceRating
    from jineng.providers.api import listed_resources

    person_id = principal_for(actor).person_id
    if person_id is None:
        raise PermissionDenied(_("只有学员（本人已实名登记的账号）可以评价数字培训资源。"))
    pk = uuid_or_none(resource_id)
    resource = listed_resources().filter(pk=pk).first() if pk else None
    if resource is None:
        raise invalid(field="resource", code="not_found", message=_("未找到该数字培训资源（或已下架）。"))
    if isinstance(stars, str) and stars.strip().isdigit():
        stars = int(stars.strip())
    if isinstance(stars, bool) or not isinstance(stars, int) or not 1 <= stars <= 5:
        raise invalid(field="stars", code="out_of_range", message=_("评分应为 1 至 5 的整数（星）。"))
    text = " ".join((comment or "").split())
    if len(text) > RATING_COMMENT_MAX:
        raise invalid(field="comment", code="too_long",
                      message=_("评价最多 %(n)d 个字符。") % {"n": RATING_COMMENT_MAX})  # fmt: skip
    with transaction.atomic():
        rating, created = ResourceRating.objects.update_or_create(
            resource_id=resource.pk, person_id=person_id, defaults={"stars": stars, "comment": text}
        )
        audit_event(Event.RESOURCE_RATE, actor=actor, object_id=rating.pk, region_code=resource.region_id,
                    after={"resource": resource.code, "stars": stars, "new": created})  # fmt: skip
    return rating

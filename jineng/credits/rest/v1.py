"""API of the skill credit bank — the same services as the pages: the caller's own account, transcript (signed JWT
and PDF) and online consent; a person's account (an official in scope); recognition and conversion requests and
their review by a second person; the rules (draft, publish); the trusted issuers and imported transcripts."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status

from jineng.accounts.api import can, current_user, get_visible, require
from jineng.certificates import api as certificates_api
from jineng.common.errors import NotFound
from jineng.common.ids import uuid_or_none
from jineng.common.masking import mask_name
from jineng.common.rest.pagination import Paging, page_items, page_of
from jineng.credits import exchange, selectors, services
from jineng.credits.models import (
    Conversion,
    CreditEntry,
    CreditRuleSet,
    Recognition,
    TranscriptImport,
    TrustedIssuer,
)
from jineng.credits.rest import schemas as s
from jineng.registry.api import Person

router = Router(tags=["credits 技能学分"])
RecognitionPage = page_of(s.RecognitionOut)


def _entry(e: CreditEntry) -> dict[str, Any]:
    return {
        "id": str(e.pk), "on": e.on, "category": e.category, "kind": e.kind, "credits": str(e.credits),
        "source": e.source_key.split(":")[0], "source_label": e.source_label, "region": e.region_id,
        "rule_version": e.rule_version, "expires_on": e.expires_on,
    }  # fmt: skip


def _account(person: Person) -> dict[str, Any]:
    balance = services.balance_of(person.pk)
    return {
        "person_id": str(person.pk), "name": mask_name(person.name),
        "total": str(sum(balance.values(), Decimal("0"))),
        "balance": [{"category": c, "credits": str(v)} for c, v in balance.items()],
        "entries": [_entry(e) for e in selectors.entries_of(person.pk)],
    }  # fmt: skip


@router.get("/credits/mine", response=s.CreditAccountOut, summary="我的学分 The caller's own credit account")
def my_account(request: HttpRequest) -> dict[str, Any]:
    user = current_user(request)
    require(user, "self.view")
    person = get_visible(Person.objects.all(), user, user.person_id, "self.view")
    return _account(person)


@router.get("/credits/persons/{person_id}", response=s.CreditAccountOut, summary="学分账户 A person's credit account")
def person_account(request: HttpRequest, person_id: uuid.UUID) -> dict[str, Any]:
    return _account(get_visible(Person.objects.all(), request.user, person_id))


def _recognition(r: Recognition) -> dict[str, Any]:
    return {
        "id": str(r.pk), "person_name": mask_name(r.person.name), "region": r.region_id,
        "from_region": r.from_region_id, "record_ref": r.record_ref, "description": r.description,
        "category": r.category, "credits": str(r.credits), "earned_on": r.earned_on, "status": r.status,
    }  # fmt: skip


@router.get("/credits/recognitions", response=RecognitionPage, summary="学分互认 Recognition requests in scope")
def recognition_list(request: HttpRequest, paging: Query[Paging], status: str = "") -> dict[str, Any]:
    return page_items(selectors.recognitions_visible(request.user, status=status[:10]), paging, _recognition)


def _person_in_scope(request: HttpRequest, person_id: str) -> Person:
    pk = uuid_or_none(person_id)
    if pk is None:
        raise NotFound()
    person: Person = get_visible(Person.objects.all(), request.user, pk)
    return person


@router.post("/credits/recognitions", response={201: s.RecognitionOut}, summary="申请互认 Ask to recognize a record")
def recognition_create(request: HttpRequest, payload: s.RecognitionRequestIn) -> Any:
    user = current_user(request)
    rec = services.recognition_request(
        actor=user, person=_person_in_scope(request, payload.person_id), region_code=payload.region,
        from_region=payload.from_region, record_ref=payload.record_ref, issuer=payload.issuer,
        description=payload.description, category=payload.category, credits=payload.credits,
        earned_on=payload.earned_on,
    )  # fmt: skip
    return Status(201, _recognition(rec))


@router.post("/credits/recognitions/{recognition_id}/decision", response=s.RecognitionOut,
             summary="审核互认 A second official approves or refuses")  # fmt: skip
def recognition_decision(request: HttpRequest, recognition_id: str, payload: s.CreditDecisionIn) -> Any:
    user = current_user(request)
    rec = get_visible(Recognition.objects.select_related("person"), user, uuid_or_none(recognition_id))
    rec = services.recognition_decide(actor=user, recognition=rec, approve=payload.approve, reason=payload.reason)
    return _recognition(rec)


def _conversion(c: Conversion) -> dict[str, Any]:
    return {
        "id": str(c.pk), "person_name": mask_name(c.person.name), "region": c.region_id, "target": c.target,
        "target_label": c.target_label, "category": c.category, "credits": str(c.credits),
        "hours_waived": c.hours_waived, "status": c.status, "consent_method": c.consent_method,
        "consent_on": c.consent_on, "consented": c.consented_at is not None or c.consent_method not in ("", "online"),
    }  # fmt: skip


ConversionPage = page_of(s.ConversionOut)


@router.get("/credits/conversions", response=ConversionPage, summary="学分转换 Conversions in scope")
def conversion_list(request: HttpRequest, paging: Query[Paging], status: str = "") -> dict[str, Any]:
    return page_items(selectors.conversions_visible(request.user, status=status[:10]), paging, _conversion)


@router.post("/credits/conversions", response={201: s.ConversionOut},
             summary="申请学分转换 Ask to spend a person's credits (with their consent)")  # fmt: skip
def conversion_create(request: HttpRequest, payload: s.ConversionRequestIn) -> Any:
    user = current_user(request)
    c = services.conversion_request(
        actor=user, person=_person_in_scope(request, payload.person_id), region_code=payload.region,
        target=payload.target, target_label=payload.target_label, credits=payload.credits or None,
        category=payload.category, reason=payload.reason, consent_method=payload.consent_method,
        consent_ref=payload.consent_ref, consent_on=payload.consent_on,
    )  # fmt: skip
    return Status(201, _conversion(c))


@router.post("/credits/conversions/{conversion_id}/decision", response=s.ConversionOut,
             summary="审核学分转换 A second official approves (spends) or refuses")  # fmt: skip
def conversion_decision(request: HttpRequest, conversion_id: str, payload: s.CreditDecisionIn) -> Any:
    user = current_user(request)
    c = get_visible(Conversion.objects.select_related("person"), user, uuid_or_none(conversion_id))
    return _conversion(services.conversion_decide(actor=user, conversion=c, approve=payload.approve,
                                                  reason=payload.reason))  # fmt: skip


@router.get(
    "/credits/mine/conversions", response=list[s.ConversionOut], summary="我的学分转换 The caller's conversions"
)
def my_conversions(request: HttpRequest) -> list[dict[str, Any]]:
    user = current_user(request)
    require(user, "self.view")
    return [_conversion(c) for c in selectors.conversions_of(user.person_id).select_related("person")]


@router.post("/credits/mine/conversions/{conversion_id}/consent", response=s.ConversionOut,
             summary="本人确认或撤回学分转换 The person agrees to, or withdraws, a pending conversion")  # fmt: skip
def my_consent(request: HttpRequest, conversion_id: str, payload: s.CreditConsentIn) -> Any:
    user = current_user(request)
    pk = uuid_or_none(conversion_id)
    c = Conversion.objects.select_related("person").filter(pk=pk, person_id=user.person_id).first() if pk else None
    if c is None or not user.person_id:
        raise NotFound()
    c = services.conversion_consent(actor=user, conversion=c, agree=payload.agree)
    return _conversion(Conversion.objects.select_related("person").get(pk=c.pk))


@router.get("/credits/mine/transcript", summary="下载学分证明 The caller's signed transcript (vc+jwt)")
def my_transcript(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    require(user, "self.view")
    person = get_visible(Person.objects.all(), user, user.person_id, "self.view")
    token = certificates_api.credential_sign(
        services.transcript_payload(person, certificates_api.credential_issuer(request))
    )
    return HttpResponse(token, content_type=certificates_api.CREDENTIAL_MEDIA_TYPE)


@router.get("/credits/mine/transcript.pdf", summary="学分证明 PDF The caller's transcript on paper")
def my_transcript_pdf(request: HttpRequest) -> HttpResponse:
    from jineng.credits.pdf import transcript_pdf_bytes

    user = current_user(request)
    require(user, "self.view")
    person = get_visible(Person.objects.all(), user, user.person_id, "self.view")
    base = str(certificates_api.credential_issuer(request).get("url") or "").rstrip("/")
    return HttpResponse(transcript_pdf_bytes(person, base), content_type="application/pdf")


def _rule_set(rs: CreditRuleSet) -> dict[str, Any]:
    return {"id": str(rs.pk), "region": rs.region_id, "version": rs.version, "status": rs.status,
            "valid_from": rs.valid_from, "basis": rs.basis, "rules": rs.rules}  # fmt: skip


@router.get("/credits/rules", response=list[s.CreditRuleSetOut],
            summary="学分规则 Published versions (and, for who sets rules, the drafts)")  # fmt: skip
def rules_list(request: HttpRequest) -> list[dict[str, Any]]:
    user = current_user(request)
    if can(user, "records.view"):
        sets = list(selectors.rule_sets())
    else:
        sets = list(selectors.rule_sets_for_person(user.person_id)) if user.person_id else []
    drafts = selectors.rule_drafts_visible(user) if can(user, "settings.edit") else []
    return [_rule_set(rs) for rs in [*drafts, *sets]]


@router.post("/credits/rules", response={201: s.CreditRuleSetOut}, summary="起草学分规则 Draft a region's next version")
def rules_draft(request: HttpRequest, payload: s.RuleDraftIn) -> Any:
    user = current_user(request)
    rs = services.rules_draft(actor=user, region_code=payload.region, valid_from=payload.valid_from,
                              basis=payload.basis, rules=payload.rules)  # fmt: skip
    return Status(201, _rule_set(rs))


@router.post("/credits/rules/{rule_set_id}/decision", response=s.CreditRuleSetOut,
             summary="发布学分规则 A second official publishes the draft or sends it back")  # fmt: skip
def rules_decision(request: HttpRequest, rule_set_id: str, payload: s.CreditDecisionIn) -> Any:
    user = current_user(request)
    require(user, "settings.edit")
    pk = uuid_or_none(rule_set_id)
    rs = CreditRuleSet.objects.filter(pk=pk).first() if pk else None
    if rs is None or not can(user, "settings.edit", region_code=rs.region_id):
        raise NotFound()
    return _rule_set(services.rules_publish(actor=user, rule_set=rs, approve=payload.approve, reason=payload.reason))


def _issuer(i: TrustedIssuer) -> dict[str, Any]:
    return {"id": str(i.pk), "name": i.name, "issuer_url": i.issuer_url, "region": i.region_id,
            "kids": [str(k.get("kid")) for k in i.keys], "active": i.active}  # fmt: skip


@router.get("/credits/issuers", response=list[s.TrustedIssuerOut], summary="受信任的签发方 Trusted issuers")
def issuer_list(request: HttpRequest) -> list[dict[str, Any]]:
    require(current_user(request), "records.view")
    return [_issuer(i) for i in selectors.trusted_issuers()]


@router.post("/credits/issuers", response={201: s.TrustedIssuerOut},
             summary="登记受信任的签发方 Register another platform's keys")  # fmt: skip
def issuer_create(request: HttpRequest, payload: s.TrustedIssuerIn) -> Any:
    i = exchange.issuer_add(actor=current_user(request), name=payload.name, issuer_url=payload.issuer_url,
                            region_code=payload.region, keys=payload.keys)  # fmt: skip
    return Status(201, _issuer(i))


@router.post("/credits/issuers/{issuer_id}/deactivate", response=s.TrustedIssuerOut,
             summary="停用签发方 Stop trusting an issuer")  # fmt: skip
def issuer_deactivate(request: HttpRequest, issuer_id: str, payload: s.IssuerDeactivateIn) -> Any:
    user = current_user(request)
    require(user, "settings.edit")
    pk = uuid_or_none(issuer_id)
    issuer = TrustedIssuer.objects.filter(pk=pk).first() if pk else None
    if issuer is None:
        raise NotFound()
    return _issuer(exchange.issuer_deactivate(actor=user, issuer=issuer, reason=payload.reason))


def _import(t: TranscriptImport) -> dict[str, Any]:
    return {
        "id": str(t.pk), "person_name": mask_name(t.person.name), "region": t.region_id, "issuer": t.issuer.name,
        "credential_id": t.credential_id, "issued_on": t.issued_on, "as_of": t.as_of, "credits": str(t.credits),
        "entries_recorded": t.entries_recorded, "skipped": t.skipped,
    }  # fmt: skip


ImportPage = page_of(s.TranscriptImportOut)


@router.get("/credits/imports", response=ImportPage, summary="导入的学分证明 Imported transcripts in scope")
def import_list(request: HttpRequest, paging: Query[Paging]) -> dict[str, Any]:
    return page_items(selectors.imports_visible(request.user), paging, _import)


@router.post("/credits/imports", response={201: s.TranscriptImportOut},
             summary="导入学分证明 Verify another platform's signed transcript and recognize its credits")  # fmt: skip
def import_create(request: HttpRequest, payload: s.TranscriptImportIn) -> Any:
    user = current_user(request)
    t = exchange.transcript_import(actor=user, person=_person_in_scope(request, payload.person_id),
                                   region_code=payload.region, token=payload.token)  # fmt: skip
    return Status(201, _import(TranscriptImport.objects.select_related("person", "issuer").get(pk=t.pk)))

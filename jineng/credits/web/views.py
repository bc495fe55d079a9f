"""Pages of the skill credit bank: the worker's own credits (/credits/mine/), the officials' accounts list, a
person's account (derive, convert), recognition requests and their review, the rules."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from jineng.accounts.api import can, current_user, get_visible, home_region, require, visible
from jineng.certificates import api as certificates_api
from jineng.common.errors import DomainError, PermissionDenied
from jineng.common.masking import mask_name
from jineng.common.middleware import client_address
from jineng.common.web.forms import domain_error_to_form
from jineng.common.web.lists import page
from jineng.competitions.api import EventLevel
from jineng.credits import exchange, selectors, services
from jineng.credits.models import (
    Category,
    Conversion,
    ConversionStatus,
    EntryKind,
    Recognition,
    RecognitionStatus,
)
from jineng.credits.web import forms as f
from jineng.refdata.api import SkillLevel
from jineng.registry.api import Person

T = TypeVar("T")


def _attempt(form: django_forms.Form, call: Callable[[], T]) -> T | None:
    """The service's answer, or None with its error on the form (a permission error stays a 403)."""
    try:
        return call()
    except PermissionDenied:
        raise
    except DomainError as exc:
        domain_error_to_form(form, exc)
        return None


def _account(person_id: Any) -> dict[str, Any]:
    balance = services.balance_of(person_id)
    labels = dict(Category.choices)
    return {
        "balance": [{"category": c, "label": labels[c], "credits": v} for c, v in balance.items()],
        "total": sum(balance.values(), Decimal("0")),
        "entries": selectors.entries_of(person_id),
        "recognitions": selectors.recognitions_of(person_id),
        "conversions": selectors.conversions_of(person_id),
        "imports": selectors.imports_of(person_id),
    }


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """我的学分 — the worker's balance by category, every entry with its source and rule version."""
    user = current_user(request)
    context: dict[str, Any] = {"linked": bool(user.person_id)}
    if user.person_id:
        context.update(_account(user.person_id))
        context["awaiting"] = [c for c in context["conversions"] if c.status == ConversionStatus.PENDING]
    return render(request, "credits/mine.html", context)


@login_required
def my_transcript(request: HttpRequest) -> HttpResponse:
    """下载学分证明 — the worker's account as a signed credential (``vc+jwt``), verifiable offline."""
    user = current_user(request)
    if not user.person_id:
        raise Http404
    person = get_visible(Person.objects.all(), user, user.person_id, "self.view")
    token = certificates_api.credential_sign(
        services.transcript_payload(person, certificates_api.credential_issuer(request))
    )
    response = HttpResponse(token, content_type=certificates_api.CREDENTIAL_MEDIA_TYPE)
    response["Content-Disposition"] = 'attachment; filename="credits-transcript.jwt"'
    return response


@login_required
def account_list(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    require(user, "records.view")
    q = request.GET.get("q", "").strip()[:30]
    return render(request, "credits/account_list.html", {
        "page_obj": page(request, selectors.accounts_visible(user, q=q)), "q": q,
        "pending": selectors.pending_recognitions(user).count(),
        "pending_conversions": selectors.pending_conversions(user).count(),
    })  # fmt: skip


def _person(request: HttpRequest, person_id: uuid.UUID) -> Person:
    person: Person = get_visible(Person.objects.all(), request.user, person_id)
    return person


def _person_page(request: HttpRequest, person: Person, form: django_forms.Form | None = None,
                 status: int = 200) -> HttpResponse:  # fmt: skip
    user = current_user(request)
    region = home_region(user) or ""
    return render(request, "credits/person_detail.html", {
        **_account(person.pk), "person": person, "masked_name": mask_name(person.name),
        "can_act": can(user, "records.review"),
        "convert_form": form or f.ConversionForm(initial={"region": region, "consent_on": timezone.localdate()},
                                                 user=user),
    }, status=status)  # fmt: skip


@login_required
def person_detail(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    return _person_page(request, _person(request, person_id))


@login_required
@require_POST
def person_derive(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """重新核算 — bring the person's ledger up to date with their records now (the nightly job does it too)."""
    person = _person(request, person_id)
    user = current_user(request)
    require(user, "records.review")
    written = services.credits_derive(actor=user, person_ids=[person.pk])
    messages.success(request, _("已核算，新记入 %(n)s 条。") % {"n": written})
    return redirect("credits:person", person_id=person.pk)


@login_required
@require_POST
def person_convert(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """申请学分转换 — the request (with the person's consent); another official approves it on its page."""
    person = _person(request, person_id)
    user = current_user(request)
    form = f.ConversionForm(request.POST, user=user)
    if not form.is_valid():
        return _person_page(request, person, form, status=422)
    d = form.cleaned_data
    conversion = _attempt(form, lambda: services.conversion_request(
        actor=user, person=person, region_code=d["region"], target=d["target"], target_label=d["target_label"],
        credits=d["credits"], category=d["category"], reason=d["reason"], consent_method=d["consent_method"],
        consent_ref=d["consent_ref"], consent_on=d["consent_on"],
    ))  # fmt: skip
    if conversion is None:
        return _person_page(request, person, form, status=422)
    messages.success(request, _("转换申请已提交（%(c)s 学分），待另一人审核后生效。") % {"c": conversion.credits})
    return redirect("credits:conversion", conversion_id=conversion.pk)


@login_required
def conversion_list(request: HttpRequest) -> HttpResponse:
    """学分转换 — the requests of the user's regions; 待审核 first is the reviewer's to-do."""
    user = current_user(request)
    require(user, "records.view")
    status = request.GET.get("status", "")
    page_obj = page(request, selectors.conversions_visible(user, status=status))
    for c in page_obj:
        c.masked_name = mask_name(c.person.name)
    return render(request, "credits/conversion_list.html", {
        "page_obj": page_obj, "status": status, "statuses": ConversionStatus.choices,
    })  # fmt: skip


def _conversion(request: HttpRequest, conversion_id: uuid.UUID) -> Conversion:
    qs = Conversion.objects.select_related("person", "region", "rule_set__region", "created_by", "decided_by")
    conversion: Conversion = get_visible(qs, request.user, conversion_id)
    return conversion


def _conversion_page(request: HttpRequest, c: Conversion, form: django_forms.Form | None = None,
                     status: int = 200) -> HttpResponse:  # fmt: skip
    user = current_user(request)
    may_decide = (c.status == ConversionStatus.PENDING and c.created_by_id != user.pk
                  and can(user, "records.review", region_code=c.region_id))  # fmt: skip
    available = sum(services.balance_of(c.person_id).values(), Decimal("0"))
    return render(request, "credits/conversion_detail.html", {
        "c": c, "masked_name": mask_name(c.person.name), "may_decide": may_decide, "available": available,
        "own_request": c.created_by_id == user.pk, "form": form or f.DecideForm(),
    }, status=status)  # fmt: skip


@login_required
def conversion_detail(request: HttpRequest, conversion_id: uuid.UUID) -> HttpResponse:
    return _conversion_page(request, _conversion(request, conversion_id))


@login_required
@require_POST
def conversion_decide(request: HttpRequest, conversion_id: uuid.UUID, decision: str) -> HttpResponse:
    c = _conversion(request, conversion_id)
    done = (_("已转换，学分已扣减。"), _("已不予转换。"))
    return _decide(request, decision, lambda form: _conversion_page(request, c, form, status=422),
                   lambda approve, reason: services.conversion_decide(actor=current_user(request), conversion=c,
                                                                      approve=approve, reason=reason),
                   done, redirect("credits:conversion", conversion_id=c.pk))  # fmt: skip


def _decide(request: HttpRequest, decision: str, again: Callable[[django_forms.Form], HttpResponse],
            call: Callable[[bool, str], Any], done: tuple[str, str], after: HttpResponse) -> HttpResponse:  # fmt: skip
    """A second person's decision (approve/reject with a reason) on a request page; errors back on the page."""
    if decision not in ("approve", "reject"):
        raise Http404
    form = f.DecideForm(request.POST)
    if not form.is_valid():
        return again(form)
    approve = decision == "approve"
    if _attempt(form, lambda: call(approve, form.cleaned_data["reason"])) is None:
        return again(form)
    messages.success(request, done[0] if approve else done[1])
    return after


@login_required
def recognition_list(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    require(user, "records.view")
    status = request.GET.get("status", "")
    page_obj = page(request, selectors.recognitions_visible(user, status=status))
    for rec in page_obj:
        rec.masked_name = mask_name(rec.person.name)
    return render(request, "credits/recognition_list.html", {
        "page_obj": page_obj, "status": status, "statuses": RecognitionStatus.choices,
        "can_request": can(user, "records.review"),
    })  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def recognition_new(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    require(user, "records.review")
    form = f.RecognitionForm(request.POST or None, user=user, initial={"region": home_region(user) or ""})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        person = selectors.person_by_number(d["id_number"])
        if person is not None and not visible(Person.objects.filter(pk=person.pk), user).exists():
            person = None  # outside the official's area: answered like an unknown person (no ID-name oracle)
        if person is None or person.name != d["name"].strip():
            form.add_error("id_number", _("证件号码与姓名不符，或该人员未实名登记。"))
        else:
            rec = _attempt(form, lambda: services.recognition_request(
                actor=user, person=person, region_code=d["region"], from_region=d["from_region"],
                record_ref=d["record_ref"], issuer=d["issuer"], description=d["description"],
                category=d["category"], credits=d["credits"], earned_on=d["earned_on"],
            ))  # fmt: skip
            if rec is not None:
                messages.success(request, _("互认申请已提交，待另一人审核。"))
                return redirect("credits:recognition", recognition_id=rec.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "credits/recognition_form.html", {"form": form}, status=status)


def _recognition(request: HttpRequest, recognition_id: uuid.UUID) -> Recognition:
    qs = Recognition.objects.select_related("person", "region", "from_region", "requested_by", "decided_by")
    rec: Recognition = get_visible(qs, request.user, recognition_id)
    return rec


def _recognition_page(request: HttpRequest, rec: Recognition, form: django_forms.Form | None = None,
                      status: int = 200) -> HttpResponse:  # fmt: skip
    user = current_user(request)
    may_decide = (rec.status == RecognitionStatus.PENDING and rec.requested_by_id != user.pk
                  and can(user, "records.review", region_code=rec.region_id))  # fmt: skip
    return render(request, "credits/recognition_detail.html", {
        "rec": rec, "masked_name": mask_name(rec.person.name), "may_decide": may_decide,
        "own_request": rec.requested_by_id == user.pk, "form": form or f.DecideForm(),
    }, status=status)  # fmt: skip


@login_required
def recognition_detail(request: HttpRequest, recognition_id: uuid.UUID) -> HttpResponse:
    return _recognition_page(request, _recognition(request, recognition_id))


@login_required
@require_POST
def recognition_decide(request: HttpRequest, recognition_id: uuid.UUID, decision: str) -> HttpResponse:
    rec = _recognition(request, recognition_id)
    done = (_("已认定，学分已记入。"), _("已不予认定。"))
    return _decide(request, decision, lambda form: _recognition_page(request, rec, form, status=422),
                   lambda approve, reason: services.recognition_decide(actor=current_user(request), recognition=rec,
                                                                       approve=approve, reason=reason),
                   done, redirect("credits:recognition", recognition_id=rec.pk))  # fmt: skip


@login_required
def rule_list(request: HttpRequest) -> HttpResponse:
    """学分规则 — every region's versions for officials; a worker reads (only) the rules they are credited under."""
    user = current_user(request)
    if can(user, "records.view"):
        sets = selectors.rule_sets()
    else:
        sets = selectors.rule_sets_for_person(user.person_id) if user.person_id else selectors.rule_sets().none()
    rows = [{"rs": rs, **_rule_words(rs.rules)} for rs in sets]
    may_draft = can(user, "settings.edit")
    return render(request, "credits/rule_list.html", {
        "rows": rows, "applies": _rules_applying(user.person_id), "may_draft": may_draft,
        "drafts": selectors.rule_drafts_visible(user) if may_draft else [],
    })  # fmt: skip


def _rules_applying(person_id: Any) -> list[dict[str, Any]]:
    """For each region the person's entries are attributed to: the rule set in force there today and whether it is
    a region above's (天河区 without rules of its own counts under 广东省's)."""
    if not person_id:
        return []
    out = []
    for code, name in selectors.entry_regions(person_id):
        rs = services.rules_in_force(code, timezone.localdate())
        out.append({"region": name, "rs": rs, "inherited": rs is not None and rs.region_id != code})
    return out


REASONS = {
    "malformed": gettext_lazy("格式不对：不是完整的学分证明（JWT 三段文本）。"),
    "unsupported_alg": gettext_lazy("签名算法不受支持。"),
    "unknown_kid": gettext_lazy("签名密钥不是本平台公布的密钥（/.well-known/jwks.json 中没有）：不是本平台签发。"),
    "bad_signature": gettext_lazy("签名无效：内容被改动过，或不是本平台签发。"),
    "not_yet_valid": gettext_lazy("证明尚未生效。"),
    "expired": gettext_lazy("证明已过期。"),
    "unknown_certificate": gettext_lazy("签名有效，但这是证书凭证，不是学分证明。"),
    "revoked": gettext_lazy("签名有效，但这是已撤销证书的凭证，不是学分证明。"),
}


def _verdict(result: dict[str, Any]) -> dict[str, Any]:
    """The verifier's answer in words: valid or not and why; for a transcript its facts and entries."""
    transcript: dict[str, Any] = result.get("transcript") or {}
    if result["valid"] and not transcript:  # a valid certificate credential: genuine, but not a transcript
        return {"valid": False, "not_transcript": True, "reason": _("签名有效，但这是证书凭证，不是学分证明。")}
    if not result["valid"]:
        return {
            "valid": False,
            "reason": str(REASONS.get(result["reason"], result["reason"])),
            "code": result["reason"],
        }
    subject = (result.get("credential") or {}).get("credentialSubject") or {}
    labels, kinds = dict(Category.choices), dict(EntryKind.choices)
    rows = [a for a in subject.get("achievement") or [] if isinstance(a, dict)][:500]
    return {
        "valid": True, "kid": result["kid"], "facts": transcript,
        "balance": [(labels.get(c, c), v) for c, v in transcript["balance"].items()],
        "entries": [{"on": str(a.get("on") or "")[:10], "name": str(a.get("name") or "")[:200],
                     "category": labels.get(str(a.get("category")), ""), "kind": kinds.get(str(a.get("kind")), ""),
                     "credits": str(a.get("creditsAvailable") or "")[:12], "region": str(a.get("region") or "")[:60],
                     "rule": a.get("ruleVersion") if isinstance(a.get("ruleVersion"), int) else None}
                    for a in rows],
    }  # fmt: skip


@require_http_methods(["GET", "POST"])
def transcript_verify(request: HttpRequest) -> HttpResponse:
    """核验学分证明 (public) — paste or upload a signed transcript: its signature is checked against the keys the
    platform publishes at ``/.well-known/jwks.json``; the answer says valid or not, and why."""
    form = f.TranscriptVerifyForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"form": form}
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            decision = certificates_api.rate_limit_hit("credits_verify", client_address(request))
            if not decision.allowed:
                context["limited"], status = decision, 429
            else:
                context["result"] = _verdict(certificates_api.credential_verify(form.cleaned_data["token"]))
                status = 200
    response = render(request, "credits/verify.html", context, status=status)
    if status == 429:
        response["Retry-After"] = str(context["limited"].retry_after)
    response["Cache-Control"] = "no-store"
    return response


# ---- online consent (本人确认) ------------------------------------------------------------------------------------


@login_required
@require_POST
def conversion_consent(request: HttpRequest, conversion_id: uuid.UUID, decision: str) -> HttpResponse:
    """本人确认 / 撤回 — the worker agrees to a pending conversion of their credits, or withdraws it, on 我的学分."""
    if decision not in ("agree", "withdraw"):
        raise Http404
    user = current_user(request)
    if not user.person_id:
        raise Http404
    conversion = Conversion.objects.filter(pk=conversion_id, person_id=user.person_id).first()
    if conversion is None:
        raise Http404
    try:
        services.conversion_consent(actor=user, conversion=conversion, agree=decision == "agree")
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("已确认同意，待经办人员审核。") if decision == "agree" else _("已撤回，本次转换不再办理。")
        )
    return redirect("credits:mine")


# ---- the transcript as a PDF ------------------------------------------------------------------------------------


@login_required
def my_transcript_pdf(request: HttpRequest) -> HttpResponse:
    """学分证明（PDF） — the same account on paper: balance, entries, and where to verify the signed file."""
    from jineng.credits.pdf import transcript_pdf_bytes

    user = current_user(request)
    if not user.person_id:
        raise Http404
    person = get_visible(Person.objects.all(), user, user.person_id, "self.view")
    base = str(certificates_api.credential_issuer(request).get("url") or "").rstrip("/")
    response = HttpResponse(transcript_pdf_bytes(person, base), content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="credits-transcript.pdf"'
    return response


# ---- rules: draft and publish -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def rules_new(request: HttpRequest) -> HttpResponse:
    """起草学分规则 — the next version of a region's rules, prefilled with the version in force there."""
    user = current_user(request)
    require(user, "settings.edit")
    region = request.GET.get("region", "")[:6] or home_region(user) or "440000"
    current = services.rules_in_force(region, timezone.localdate())
    from jineng.credits.demo import GD_RULES

    initial = {"region": region, "valid_from": timezone.localdate() + dt.timedelta(days=1),
               **f.RulesDraftForm.initial_from(current.rules if current else GD_RULES)}  # fmt: skip
    form = f.RulesDraftForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        rs = _attempt(form, lambda: services.rules_draft(actor=user, region_code=d["region"],
                                                         valid_from=d["valid_from"], basis=d["basis"],
                                                         rules=form.rules()))  # fmt: skip
        if rs is not None:
            messages.success(request, _("规则草稿已保存，须由另一人审核发布后生效。"))
            return redirect("credits:rules_draft", rule_set_id=rs.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "credits/rules_form.html", {"form": form, "current": current}, status=status)


def _rule_words(rules: dict[str, Any]) -> dict[str, Any]:
    labels = dict(Category.choices)
    levels = dict((lv.code, lv.display) for lv in SkillLevel.objects.all())
    event_levels = dict(EventLevel.choices)
    return {"rules": rules,
            "certificates": [(levels.get(k, k), v) for k, v in rules.get("certificate_levels", {}).items()],
            "competitions": [(event_levels.get(k, k), v) for k, v in rules.get("competition_levels", {}).items()],
            "caps": [(labels.get(k, k), v) for k, v in rules.get("annual_caps", {}).items()],
            "expiry": [(labels.get(k, k), v) for k, v in rules.get("expiry_years", {}).items() if v]}  # fmt: skip


def _draft_page(
    request: HttpRequest, rs: Any, form: django_forms.Form | None = None, status: int = 200
) -> HttpResponse:
    user = current_user(request)
    from jineng.credits.models import RuleSetStatus

    may_decide = (rs.status == RuleSetStatus.DRAFT and rs.created_by_id != user.pk
                  and can(user, "settings.edit", region_code=rs.region_id))  # fmt: skip
    return render(request, "credits/rules_draft.html", {
        "rs": rs, "row": {"rs": rs, **_rule_words(rs.rules)}, "may_decide": may_decide,
        "own": rs.created_by_id == user.pk, "form": form or f.DecideForm(),
        "current": services.rules_in_force(rs.region_id, timezone.localdate()),
    }, status=status)  # fmt: skip


def _draft(request: HttpRequest, rule_set_id: uuid.UUID) -> Any:
    from jineng.credits.models import CreditRuleSet

    user = current_user(request)
    require(user, "settings.edit")
    rs = CreditRuleSet.objects.select_related("region", "created_by", "published_by").filter(pk=rule_set_id).first()
    if rs is None or not can(user, "settings.edit", region_code=rs.region_id):
        raise Http404
    return rs


@login_required
def rules_draft(request: HttpRequest, rule_set_id: uuid.UUID) -> HttpResponse:
    return _draft_page(request, _draft(request, rule_set_id))


@login_required
@require_POST
def rules_decide(request: HttpRequest, rule_set_id: uuid.UUID, decision: str) -> HttpResponse:
    rs = _draft(request, rule_set_id)
    done = (_("已发布，自生效日期起按新版本记入学分。"), _("已退回起草人。"))
    return _decide(request, decision, lambda form: _draft_page(request, rs, form, status=422),
                   lambda approve, reason: services.rules_publish(actor=current_user(request), rule_set=rs,
                                                                  approve=approve, reason=reason),
                   done, redirect("credits:rules_draft", rule_set_id=rs.pk))  # fmt: skip


# ---- trusted issuers and imported transcripts -------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def issuer_list(request: HttpRequest) -> HttpResponse:
    """受信任的签发方 — the other platforms whose signed transcripts are recognized; an official with
    ``settings.edit`` registers one (name, issuer id, region, public keys) or stops trusting it."""
    user = current_user(request)
    require(user, "records.view")
    may_edit = can(user, "settings.edit")
    form = f.IssuerForm(request.POST or None) if may_edit else None
    status = 200
    if request.method == "POST":
        if form is None:
            raise PermissionDenied()
        if form.is_valid():
            d = form.cleaned_data
            issuer = _attempt(form, lambda: exchange.issuer_add(actor=user, name=d["name"], issuer_url=d["issuer_url"],
                                                                region_code=d["region"], keys=d["keys"]))  # fmt: skip
            if issuer is not None:
                messages.success(request, _("已登记受信任的签发方：%(n)s。") % {"n": issuer.name})
                return redirect("credits:issuers")
        status = 422
    return render(request, "credits/issuer_list.html", {
        "issuers": selectors.trusted_issuers(), "form": form, "may_edit": may_edit, "reason_form": f.ReasonForm(),
    }, status=status)  # fmt: skip


@login_required
@require_POST
def issuer_deactivate(request: HttpRequest, issuer_id: uuid.UUID) -> HttpResponse:
    user = current_user(request)
    require(user, "settings.edit")
    issuer = selectors.trusted_issuers().filter(pk=issuer_id).first()
    if issuer is None:
        raise Http404
    form = f.ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写停用理由（2–300 字）。"))
        return redirect("credits:issuers")
    try:
        exchange.issuer_deactivate(actor=user, issuer=issuer, reason=form.cleaned_data["reason"])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已停用：不再接受其签发的学分证明。"))
    return redirect("credits:issuers")


@login_required
def import_list(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    require(user, "records.view")
    page_obj = page(request, selectors.imports_visible(user))
    for row in page_obj:
        row.masked_name = mask_name(row.person.name)
    return render(request, "credits/import_list.html", {"page_obj": page_obj,
                                                        "can_import": can(user, "records.review")})  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def import_new(request: HttpRequest) -> HttpResponse:
    """导入学分证明 — another platform's signed transcript of a person in scope: verified, then recorded as 互认."""
    user = current_user(request)
    require(user, "records.review")
    form = f.TranscriptImportForm(request.POST or None, request.FILES or None, user=user,
                                  initial={"region": home_region(user) or ""})  # fmt: skip
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        person = selectors.person_by_number(d["id_number"])
        if person is not None and not visible(Person.objects.filter(pk=person.pk), user).exists():
            person = None
        if person is None or person.name != d["name"].strip():
            form.add_error("id_number", _("证件号码与姓名不符，或该人员未实名登记。"))
        else:
            done = _attempt(form, lambda: exchange.transcript_import(actor=user, person=person,
                                                                     region_code=d["region"], token=d["token"]))  # fmt: skip
            if done is not None:
                messages.success(request, _("已导入：记入 %(n)s 条互认学分，共 %(c)s 学分。")
                                 % {"n": done.entries_recorded, "c": done.credits})  # fmt: skip
                return redirect("credits:import", import_id=done.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "credits/import_form.html", {"form": form}, status=status)


@login_required
def import_detail(request: HttpRequest, import_id: uuid.UUID) -> HttpResponse:
    qs = selectors.imports_visible(current_user(request))
    row = get_visible(qs, request.user, import_id)
    entries = selectors.entries_of(row.person_id).filter(pk__in=row.entry_ids)
    return render(request, "credits/import_detail.html", {"row": row, "masked_name": mask_name(row.person.name),
                                                          "entries": entries})  # fmt: skip

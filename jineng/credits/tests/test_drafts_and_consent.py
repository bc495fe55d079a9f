"""Rules are drafted by one official and published by another, in force from a date (never back-dated); a conversion
asked with the worker's online consent waits for the worker, who agrees or withdraws on their own page; the PDF
transcript; hours waived are the credits times the rule's rate, rounded down (hypothesis)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from django.utils.translation import override
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jineng.common.errors import DomainError, PermissionDenied
from jineng.credits import services
from jineng.credits.demo import GD_RULES
from jineng.credits.models import ConversionStatus, CreditEntry
from jineng.credits.tests.conftest import certificate, make_person

pytestmark = pytest.mark.django_db


def _draft(bank, **kw):
    data = {"region_code": "440000", "valid_from": timezone.localdate() + dt.timedelta(days=10),
            "basis": "广东省技能学分银行管理办法（2027 修订）", "rules": {**GD_RULES, "training_hours_per_credit": 8}}  # fmt: skip
    data.update(kw)
    return services.rules_draft(actor=bank.province, **data)


def test_a_draft_counts_for_nothing_until_a_second_official_publishes_it_from_its_date(bank):
    draft = _draft(bank)
    later = draft.valid_from
    assert draft.status == "draft" and draft.version is None
    assert services.rules_in_force("440106", later) == bank.rules  # a draft is not in force
    with pytest.raises(DomainError) as exc:  # the drafter cannot publish their own draft
        services.rules_publish(actor=bank.province, rule_set=draft, approve=True)
    assert exc.value.code == "self_review"
    with pytest.raises(PermissionDenied):  # a county official has no say over the province's rules
        services.rules_publish(actor=bank.county, rule_set=draft, approve=True)
    published = services.rules_publish(actor=bank.reviewer, rule_set=draft, approve=True)
    assert published.status == "published" and published.version == 2 and published.published_by == bank.reviewer
    assert services.rules_in_force("440106", later) == published
    assert services.rules_in_force("440106", later - dt.timedelta(days=1)) == bank.rules  # not before its date
    with pytest.raises(DomainError) as exc:
        services.rules_publish(actor=bank.reviewer, rule_set=draft, approve=True)
    assert exc.value.code == "rules_state"


def test_a_draft_is_sent_back_with_a_reason_and_never_back_dated(bank):
    with pytest.raises(DomainError) as exc:
        _draft(bank, valid_from=timezone.localdate() - dt.timedelta(days=1))
    assert exc.value.code == "bad_date" and exc.value.fields[0].field == "valid_from"
    with pytest.raises(DomainError) as exc:
        _draft(bank, rules={"training_hours_per_credit": 0})
    assert exc.value.fields[0].field == "rules.training_hours_per_credit"
    draft = _draft(bank)
    with pytest.raises(DomainError) as exc:
        services.rules_publish(actor=bank.reviewer, rule_set=draft, approve=False, reason="")
    assert exc.value.code == "reason_required"
    sent_back = services.rules_publish(actor=bank.reviewer, rule_set=draft, approve=False, reason="上限须再议")
    assert sent_back.status == "rejected" and sent_back.version is None


def test_the_rules_pages_draft_and_publish(bank, client):
    client.force_login(bank.province)
    listing = client.get("/credits/rules/").content.decode()
    assert 'id="rules-new"' in listing
    form = client.get("/credits/rules/new/").content.decode()
    assert 'name="rules-training_hours_per_credit"' in form and 'value="16"' in form  # prefilled from the rules
    data = {"rules-region": "440000", "rules-valid_from": (timezone.localdate() + dt.timedelta(days=3)).isoformat(),
            "rules-basis": "修订办法", "rules-training_hours_per_credit": "12", "rules-online_hours_per_credit": "16",
            "rules-cert_grade4": "5", "rules-certificate_other": "1", "rules-comp_province": "4",
            "rules-cap_training": "30", "rules-exp_online": "5", "rules-conversion_hours_per_credit": "16",
            "rules-theory_waiver_credits": "6"}  # fmt: skip
    assert client.post("/credits/rules/new/", {**data, "rules-training_hours_per_credit": "0"}).status_code == 422
    saved = client.post("/credits/rules/new/", data)
    assert saved.status_code == 302
    own = client.get(saved["Location"]).content.decode()
    assert "须由另一人审核发布" in own and "decide-form" not in own
    client.force_login(bank.reviewer)
    assert "待您审核发布" in client.get("/credits/rules/").content.decode()
    page = client.get(saved["Location"]).content.decode()
    assert "decide-form" in page and "每 12 学时" in page
    assert client.post(saved["Location"] + "approve/", {"dec-reason": ""}).status_code == 302
    rs = services.rules_in_force("440000", timezone.localdate() + dt.timedelta(days=3))
    assert rs is not None and rs.version == 2 and rs.rules["certificate_levels"] == {"grade4": "5.0"}


def _online(bank, person, **kw):
    data = {"region_code": "440106", "target": "module_hours", "target_label": "电工基础模块", "credits": "2",
            "reason": "本人申请免修", "consent_method": "online"}  # fmt: skip
    data.update(kw)
    return services.conversion_request(actor=bank.county, person=person, **data)


@pytest.fixture
def holder(bank, make_user):
    person = make_person()
    certificate(bank.province, person, level="grade4")  # 4 credits
    services.credits_derive(actor=bank.province, person_ids=[person.pk])
    worker = make_user("worker")
    worker.person_id = person.pk
    worker.save(update_fields=["person_id"])
    return person, worker


def test_an_online_request_waits_for_the_workers_consent(bank, holder, make_user):
    person, worker = holder
    asked = _online(bank, person)
    assert asked.consent_on is None and asked.consent_ref == ""
    with pytest.raises(DomainError) as exc:
        services.conversion_decide(actor=bank.reviewer, conversion=asked, approve=True)
    assert exc.value.code == "consent_pending" and not CreditEntry.objects.filter(kind="convert").exists()
    stranger = make_user("worker")
    with pytest.raises(DomainError) as exc:
        services.conversion_consent(actor=stranger, conversion=asked, agree=True)
    assert exc.value.code == "not_yours"
    agreed = services.conversion_consent(actor=worker, conversion=asked, agree=True)
    assert agreed.consented_at is not None and agreed.consent_on == timezone.localdate()
    done = services.conversion_decide(actor=bank.reviewer, conversion=asked, approve=True)
    assert done.status == "approved" and services.balance_of(person.pk)["certificate"] == Decimal("2.0")
    with pytest.raises(DomainError) as exc:  # decided: no more consent or withdrawal
        services.conversion_consent(actor=worker, conversion=asked, agree=False)
    assert exc.value.code == "conversion_state"


def test_the_worker_withdraws_on_their_page_and_the_target_is_free_again(bank, holder, client):
    person, worker = holder
    asked = _online(bank, person)
    client.force_login(worker)
    mine = client.get("/credits/mine/").content.decode()
    assert f'id="consent-{asked.pk}"' in mine and "待您确认的学分转换" in mine
    assert client.post(f"/credits/conversions/{asked.pk}/consent/withdraw/").status_code == 302
    asked.refresh_from_db()
    assert asked.status == ConversionStatus.WITHDRAWN
    again = _online(bank, person)  # the same module may be asked again
    api = client.post(f"/api/v1/credits/mine/conversions/{again.pk}/consent", {"agree": 1},
                      content_type="application/json")  # fmt: skip
    assert api.status_code == 422  # a strict yes/no
    ok = client.post(f"/api/v1/credits/mine/conversions/{again.pk}/consent", {"agree": True},
                     content_type="application/json")  # fmt: skip
    assert ok.status_code == 200 and ok.json()["consented"] is True
    # agreed, it waits for the reviewer: no longer headed as the worker's to confirm
    mine = client.get("/credits/mine/").content.decode()
    card = mine[mine.index(f'id="consent-{again.pk}"') :][:600]
    assert "审核中的学分转换" in card and "待您确认的学分转换" not in card


def test_the_worker_downloads_the_transcript_as_a_pdf(holder, client):
    _person, worker = holder
    client.force_login(worker)
    assert 'id="credit-transcript-pdf"' in client.get("/credits/mine/").content.decode()
    pdf = client.get("/credits/mine/transcript.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert client.get("/api/v1/credits/mine/transcript.pdf").content.startswith(b"%PDF")


def test_id_number_messages_follow_the_readers_language():
    from jineng.registry.api import check_id_number
    from jineng.registry.identity import ID_MESSAGES
    from jineng.rules import contact, idcard

    rules_messages = {
        v.message for m in (idcard, contact) for v in vars(m).values() if isinstance(v, idcard.IdRejection)
    }
    assert rules_messages == set(ID_MESSAGES)  # every rejection of the rules is in the catalogue
    from jineng.registry.tests.factories import id18

    good = id18("440106", seq=5)
    bad = good[:17] + ("0" if good[17] != "0" else "1")  # a wrong check character
    with override("en"), pytest.raises(DomainError) as exc:
        check_id_number(bad)
    assert exc.value.fields[0].code == "id_bad_checksum" and "check" in exc.value.fields[0].message.lower()
    with override("zh-hans"), pytest.raises(DomainError) as exc:
        check_id_number(bad)
    assert "校验位" in exc.value.fields[0].message


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tenths=st.integers(min_value=1, max_value=100), rate=st.integers(min_value=1, max_value=200))
def test_property_hours_waived_are_credits_times_the_rate_rounded_down(bank, tenths, rate):
    person = make_person()
    certificate(bank.province, person, level="grade1")  # 10 credits
    services.credits_derive(actor=bank.province, person_ids=[person.pk])
    bank.rules.rules = {**bank.rules.rules, "conversion_hours_per_credit": rate}
    bank.rules.save(update_fields=["rules"])
    credits = Decimal(tenths) / 10
    asked = services.conversion_request(
        actor=bank.county, person=person, region_code="440106", target="module_hours",
        target_label=f"模块 {tenths}-{rate}-{timezone.now().timestamp()}", credits=str(credits), reason="免修",
        consent_method="signed_form", consent_ref="表-1", consent_on=timezone.localdate(),
    )  # fmt: skip
    assert asked.hours_waived == int(credits * rate) and asked.hours_waived <= credits * rate
    before = services.balance_of(person.pk)["certificate"]
    services.conversion_decide(actor=bank.reviewer, conversion=asked, approve=True)
    spent = -sum(e.credits for e in CreditEntry.objects.filter(conversion=asked))
    assert spent == credits and services.balance_of(person.pk)["certificate"] == before - credits


def test_the_second_official_and_the_worker_are_told_on_their_workbench(bank, holder, client):
    from jineng.credits.api import pending_conversions

    person, worker = holder
    draft = _draft(bank)
    asked = _online(bank, person)
    assert asked not in pending_conversions(bank.reviewer)  # not the reviewer's to-do until the person agrees
    client.force_login(bank.reviewer)
    home = client.get("/").content.decode()
    assert "学分规则待发布" in home and f"/credits/rules/{draft.pk}/" in home
    client.force_login(worker)
    assert "1 项学分转换待您确认" in client.get("/").content.decode()
    services.conversion_consent(actor=worker, conversion=asked, agree=True)
    assert asked in pending_conversions(bank.reviewer)

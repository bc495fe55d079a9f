"""Four eyes (双人复核): whoever entered results may not review, publish or finalize them; the reviewer may not
publish; an event's creator may not approve it; the proposer of award rules may not publish them."""

from __future__ import annotations

import datetime as dt

import pytest

from jineng.common.errors import DomainError
from jineng.competitions import services
from jineng.competitions.models import AwardRuleSet, EventStatus, ResultsStage, RuleSetStatus
from jineng.competitions.tests.conftest import GD_RULES, TODAY

pytestmark = pytest.mark.django_db
LATER = TODAY + dt.timedelta(days=services.OBJECTION_DAYS + 30)


def _code(exc: pytest.ExceptionInfo[DomainError]) -> str:
    return exc.value.code


def test_one_official_cannot_take_review_and_publish(world, make_event, contestant):
    event = make_event()
    c = contestant(event)
    services.result_record(actor=world.staff, event=event, id_number=c.id_number, score="90", rank=1)
    services.results_review(actor=world.province, event=event)
    with pytest.raises(DomainError) as exc:
        services.results_publish(actor=world.province, event=event)
    assert _code(exc) == "same_person" and "审核成绩的人不能再公示" in str(exc.value)
    event = services.results_publish(actor=world.province2, event=event)
    assert (event.reviewed_by_id, event.published_by_id) == (world.province.pk, world.province2.pk)
    # the reviewer or the publisher may confirm: two people have looked
    services.results_finalize(actor=world.province, event=event, today=LATER)
    event.refresh_from_db()
    assert event.results_stage == ResultsStage.FINAL


def test_whoever_entered_a_result_may_not_review_publish_or_finalize(world, make_event, contestant, make_user):
    event = make_event(region="440100", name="广州市焊工技能竞赛（双人）")
    c = contestant(event)
    entering_official = make_user("city_official", region="440100")
    from jineng.accounts.services import grant_create

    # a city official who also works for the organizer (org.edit over it): enters results, then tries to pass them
    grant_create(actor=None, user=entering_official, function="provider_staff", organization=world.organizer)
    services.result_record(actor=entering_official, event=event, id_number=c.id_number, score="90", rank=1)
    with pytest.raises(DomainError) as exc:
        services.results_review(actor=entering_official, event=event)
    assert _code(exc) == "same_person" and "录入成绩的人" in str(exc.value)
    services.results_review(actor=world.city, event=event)
    with pytest.raises(DomainError) as exc:
        services.results_publish(actor=entering_official, event=event)
    assert _code(exc) == "same_person"
    services.results_publish(actor=world.province, event=event)
    with pytest.raises(DomainError) as exc:
        services.results_finalize(actor=entering_official, event=event, today=LATER)
    assert _code(exc) == "same_person"
    services.results_finalize(actor=world.city, event=event, today=LATER)


def test_an_official_who_created_an_event_may_not_approve_it(world):
    data = services.EventData(name="广东省焊工职业技能大赛（官办）", level="province", event_class="class1",
                              occupation="6-18-02-04", approving_department="广东省人社厅", region="440000",
                              starts_on=dt.date(2026, 10, 10), ends_on=dt.date(2026, 10, 12))  # fmt: skip
    event = services.event_create(actor=world.province, organizer=world.organizer, data=data)
    services.event_file(actor=world.staff, event=event)
    with pytest.raises(DomainError) as exc:
        services.event_decide(actor=world.province, event=event, approve=True, document_number="粤人社函〔2026〕1号")
    assert _code(exc) == "same_person"
    event = services.event_decide(
        actor=world.province2, event=event, approve=True, document_number="粤人社函〔2026〕1号"
    )
    assert event.status == EventStatus.APPROVED


def test_award_rules_are_proposed_by_one_and_published_by_another(world, make_event, contestant):
    lines = [dict(GD_RULES[0], title="广东省技术能手（新）")]
    draft = services.award_rules_propose(actor=world.province, region_code="440000", valid_from=dt.date(2025, 1, 1),
                                         basis="粤人社规〔2025〕2号", lines=lines)  # fmt: skip
    assert draft.status == RuleSetStatus.DRAFT and draft.version is None
    # a draft decides nothing
    event = make_event()
    assert services.rules_for(event).version == 1
    with pytest.raises(DomainError) as exc:
        services.award_rules_publish(actor=world.province, rule_set=draft)
    assert _code(exc) == "same_person"
    published = services.award_rules_publish(actor=world.province2, rule_set=draft)
    assert (published.status, published.version) == (RuleSetStatus.PUBLISHED, 2)
    assert services.rules_for(event).pk == published.pk
    with pytest.raises(DomainError) as exc:  # published already
        services.award_rules_publish(actor=world.province2, rule_set=published)
    assert _code(exc) == "rules_state"


def test_a_returned_draft_is_never_in_force(world, make_event):
    draft = services.award_rules_propose(actor=world.province2, region_code="440000", valid_from=dt.date(2025, 1, 1),
                                         basis="粤人社规〔2025〕3号", lines=GD_RULES)  # fmt: skip
    with pytest.raises(DomainError) as exc:
        services.award_rules_return(actor=world.province, rule_set=draft, reason="")
    assert _code(exc) == "reason_required"
    returned = services.award_rules_return(actor=world.province, rule_set=draft, reason="称号名称有误")
    assert returned.status == RuleSetStatus.DISCARDED and returned.version is None
    assert services.rules_for(make_event()).version == 1
    assert AwardRuleSet.objects.filter(status=RuleSetStatus.PUBLISHED).count() == 1
    with pytest.raises(DomainError) as exc:
        services.award_rules_propose(actor=world.province, region_code="440000", valid_from=dt.date(1990, 1, 1),
                                     basis="粤人社规", lines=GD_RULES)  # fmt: skip
    assert _code(exc) == "bad_dates" and exc.value.fields[0].field == "valid_from"


def test_the_workbench_offers_each_step_only_to_who_may_take_it(world, make_event, contestant):
    from jineng.competitions.selectors import official_steps

    event = make_event(starts_on=dt.date(2026, 10, 10))
    c = contestant(event)
    services.result_record(actor=world.staff, event=event, id_number=c.id_number, score="90", rank=1)
    services.results_review(actor=world.province, event=event)
    assert event not in official_steps(world.province, today=TODAY)["publish"]
    assert event in official_steps(world.province2, today=TODAY)["publish"]

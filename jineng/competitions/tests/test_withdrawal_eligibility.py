"""Withdrawal (退赛) by the organizer or the recommending organization before the event starts, and eligibility by
the event's occupations and levels (报名条件), checked at registration — every refusal named."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from django.utils import timezone

from jineng.common.errors import DomainError, PermissionDenied
from jineng.competitions import services
from jineng.competitions.models import Contestant, ContestantStatus, Event
from jineng.competitions.tests.conftest import WELDER, make_person
from jineng.registry.tests.factories import id18

pytestmark = pytest.mark.django_db
BEFORE = dt.date(2026, 10, 1)  # make_event's events start on 2026-10-10


def _code(exc: pytest.ExceptionInfo[DomainError]) -> str:
    return exc.value.code


def _enterprise_entry(world, event, name="郑工"):
    number = id18("440106")
    make_person(name=name, id_number=number)
    c = services.contestant_register(actor=world.hr, event=event, id_number=number, name=name,
                                     organization=world.enterprise)  # fmt: skip
    return c, number


def test_the_organizer_or_the_recommending_enterprise_withdraws_before_the_start(world, make_event, contestant,
                                                                                make_org, make_user):  # fmt: skip
    event = make_event()
    own, number = _enterprise_entry(world, event)
    other_hr = make_user("enterprise_hr", organization=make_org(region="440106", kind="enterprise"))
    with pytest.raises(PermissionDenied):
        services.contestant_withdraw(actor=other_hr, contestant=own, reason="个人原因", today=BEFORE)
    with pytest.raises(DomainError) as exc:
        services.contestant_withdraw(actor=world.hr, contestant=own, reason="", today=BEFORE)
    assert _code(exc) == "reason_required"
    with pytest.raises(DomainError) as exc:  # on the first day: too late
        services.contestant_withdraw(actor=world.hr, contestant=own, reason="个人原因", today=event.starts_on)
    assert _code(exc) == "withdraw_closed"
    done = services.contestant_withdraw(actor=world.hr, contestant=own, reason="个人原因", today=BEFORE)
    assert done.status == ContestantStatus.WITHDRAWN and done.withdraw_reason == "个人原因"
    with pytest.raises(DomainError) as exc:
        services.contestant_withdraw(actor=world.staff, contestant=own, reason="个人原因", today=BEFORE)
    assert _code(exc) == "already_withdrawn"
    # a withdrawn contestant gets no result
    with pytest.raises(DomainError) as exc:
        services.result_record(actor=world.staff, event=event, id_number=number, score="90", rank=1)
    assert _code(exc) == "result_not_registered"
    # registered again on the same record
    again = services.contestant_register(actor=world.staff, event=event, id_number=number, name="郑工")
    assert again.pk == own.pk and again.status == ContestantStatus.REGISTERED and again.withdrawn_at is None
    # the organizer withdraws anyone, but not a contestant with a result
    c = contestant(event, "冯焊")
    services.result_record(actor=world.staff, event=event, id_number=c.id_number, score="90", rank=1)
    target = Contestant.objects.get(event=event, person=c.person)
    with pytest.raises(DomainError) as exc:
        services.contestant_withdraw(actor=world.staff, contestant=target, reason="弃赛", today=BEFORE)
    assert _code(exc) == "withdraw_closed"


def test_the_enterprise_withdraws_from_its_registration_page(world, make_event, api):
    event = make_event(starts_on=timezone.localdate() + dt.timedelta(days=20))
    own, _number = _enterprise_entry(world, event, "褚工")
    url = f"/competitions/open/{event.pk}/"
    assert "褚工" in api(world.hr).get(url).content.decode()
    bad = api(world.hr).post(url + "withdraw/", {"wd-contestant": str(own.pk), "wd-reason": ""})
    assert bad.status_code == 422 and "请填写原因" in bad.content.decode()
    assert (
        api(world.hr).post(url + "withdraw/", {"wd-contestant": str(own.pk), "wd-reason": "工作安排冲突"}).status_code
        == 302
    )
    own.refresh_from_db()
    assert own.status == ContestantStatus.WITHDRAWN
    page = api(world.hr).get(url).content.decode()
    assert "已退赛" in page and "工作安排冲突" in page
    # the organizer's list shows it too, and its to-do counts registered contestants only
    assert "已退赛" in api(world.staff).get(f"/competitions/{event.pk}/").content.decode()


def _event_data(**kw):
    data = services.EventData(name="广东省焊工职业技能大赛（等级）", level="province", event_class="class1",
                              occupation=WELDER, approving_department="广东省人社厅", region="440000",
                              starts_on=dt.date(2026, 10, 10), ends_on=dt.date(2026, 10, 12))  # fmt: skip
    return dataclasses.replace(data, **kw)


def _approved(world, **kw):
    event = services.event_create(actor=world.staff, organizer=world.organizer, data=_event_data(**kw))
    services.event_file(actor=world.staff, event=event)
    return services.event_decide(actor=world.province, event=event, approve=True, document_number="粤人社函〔2026〕3号")


def test_levels_are_checked_at_registration_in_any_of_the_events_occupations(world, contestant):
    electrician = "6-31-01-03"
    event = _approved(world, other_occupations=(electrician,), min_level="grade4", max_level="grade3")
    assert event.other_occupations == [electrician] and (event.min_level_id, event.max_level_id) == ("grade4", "grade3")
    with pytest.raises(DomainError) as exc:  # no certificate at all
        contestant(event, "蒋新")
    assert _code(exc) == "level_not_held" and "中级工" in str(exc.value) and "未持有" in str(exc.value)
    with pytest.raises(DomainError) as exc:  # 五级 is below the minimum
        contestant(event, "沈初", level="grade5")
    assert _code(exc) == "level_not_held" and "现持五级/初级工" in str(exc.value)
    with pytest.raises(DomainError) as exc:  # 技师 is above the maximum
        contestant(event, "韩技", level="grade2")
    assert _code(exc) == "level_above_limit"
    assert contestant(event, "杨中", level="grade4").person  # within the range


def test_a_level_held_in_another_admitted_occupation_counts(world):
    from jineng.certificates.services import certificate_import
    from jineng.refdata.models import CertificateKind, Occupation, SkillLevel

    electrician = "6-31-01-03"
    event = _approved(world, other_occupations=(electrician,), min_level="grade4")
    number = id18("440106")
    person = make_person(name="朱电", id_number=number)
    occupation = Occupation.objects.get(code=electrician)
    certificate_import(actor=world.province, number="E000000000771", kind=CertificateKind.objects.get(code="skill_level"),
                       person=person, holder_name="朱电", occupation=occupation, occupation_name=occupation.name,
                       level=SkillLevel.objects.get(code="grade3"), issuer=None, issuer_name="广州市职业技能评价中心",
                       issued_on=dt.date(2022, 6, 1), region_code="440106")  # fmt: skip
    assert services.contestant_register(actor=world.staff, event=event, id_number=number, name="朱电")


@pytest.mark.parametrize(("fields", "field", "code"), [
    ({"min_level": "grade2", "max_level": "grade4"}, "max_level", "bad_level_range"),
    ({"min_level": "chief_technician"}, "min_level", "bad_level_range"),
    ({"min_level": "nope"}, "min_level", "unknown_level"),
    ({"other_occupations": ("9-99-99-99",)}, "other_occupations", "unknown_occupation"),
    ({"other_occupations": (WELDER,)}, "other_occupations", "bad_occupations"),
    ({"other_occupations": ("6-31-01-03", "6-31-01-03")}, "other_occupations", "bad_occupations"),
])  # fmt: skip
def test_bad_eligibility_fields_are_named(world, fields, field, code):
    with pytest.raises(DomainError) as exc:
        services.event_create(actor=world.staff, organizer=world.organizer, data=_event_data(**fields))
    assert exc.value.fields[0].field == field and exc.value.fields[0].code == code


def test_more_than_ten_other_occupations_are_refused(world):
    from jineng.refdata.models import Occupation

    codes = tuple(
        Occupation.objects.filter(level="occupation").exclude(code=WELDER).values_list("code", flat=True)[:11]
    )
    with pytest.raises(DomainError) as exc:
        services.event_create(actor=world.staff, organizer=world.organizer, data=_event_data(other_occupations=codes))
    assert _code(exc) == "bad_occupations"


def test_the_event_form_takes_the_conditions(world, api):
    response = api(world.staff).post("/competitions/new/", {
        "name": "广东省焊工职业技能大赛（表单）", "level": "province", "event_class": "class1", "occupation": WELDER,
        "region": "440000", "approving_department": "广东省人社厅", "starts_on": "2026-10-10", "ends_on": "2026-10-12",
        "min_age": 16, "max_age": 65, "other_occupations": ["6-31-01-03"], "min_level": "grade4", "max_level": "",
    })  # fmt: skip
    assert response.status_code == 302
    # the other occupations are picked by name from a multi-select; a code not on the list is refused on the field
    form = api(world.staff).get("/competitions/new/").content.decode()
    assert 'name="other_occupations"' in form and "multiple" in form and '<option value="6-31-01-03">' in form
    unknown = api(world.staff).post("/competitions/new/", {
        "name": "广东省焊工职业技能大赛（表单三）", "level": "province", "event_class": "class1", "occupation": WELDER,
        "region": "440000", "approving_department": "广东省人社厅", "starts_on": "2026-10-10", "ends_on": "2026-10-12",
        "min_age": 16, "max_age": 65, "other_occupations": ["9-99-99-99"],
    })  # fmt: skip
    assert unknown.status_code == 200 and "9-99-99-99" in unknown.content.decode()
    assert not Event.objects.filter(name="广东省焊工职业技能大赛（表单三）").exists()
    page = api(world.staff).get(response["Location"]).content.decode()
    assert 'id="jn-eligibility">持有焊工、' in page and "四级/中级工及以上证书" in page
    bad = api(world.staff).post("/competitions/new/", {
        "name": "广东省焊工职业技能大赛（表单二）", "level": "province", "event_class": "class1", "occupation": WELDER,
        "region": "440000", "approving_department": "广东省人社厅", "starts_on": "2026-10-10", "ends_on": "2026-10-12",
        "min_age": 16, "max_age": 65, "min_level": "grade2", "max_level": "grade4",
    })  # fmt: skip
    assert bad.status_code == 200 and "报名最高等级不能低于最低等级" in bad.content.decode()

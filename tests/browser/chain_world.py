"""The world the provider and county-official journeys run in, built through the services: a provider of 天河
listed for 计算机程序设计员 四级, a program in the catalog, a teacher of the pool, the county's filing lead time set to 0
working days (the class runs today), and a training-subsidy policy for 广东 (no minimum hours: the class is one
hour long). Screenshots of these journeys go to ``var/screens/h7/``."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

SCREENS = Path(__file__).resolve().parents[2] / "var" / "screens" / "h7"
PHONE = {"width": 390, "height": 844}

TRAINING_POLICY = {
    "subsidy_type": "training",
    "payee": "provider",
    "fund_source": "employment_fund",
    "counters": ["annual_total"],
    "exclusion_groups": ["same_training"],
    "eligibility": [
        # who may enroll in a subsidized class (and be claimed for): the 重点群体
        {"kind": "eligible_group", "groups": ["rural_labor", "migrant_worker", "college_graduate", "unemployed",
                                              "employment_difficulty", "veteran", "disabled", "poverty_alleviated"]},
        {"kind": "training_completed"},
        {"kind": "attendance"},
        {"kind": "deadline", "unit": "days", "default": 30, "setting": "claim.training_within_days"},
    ],
    "amount": {"rows": [{"level": "grade4", "amount_fen": 150000}]},
    "limits": [
        {"kind": "annual_count", "max_count": 3, "scope": "counter", "counter": "annual_total",
         "setting": "subsidy.max_per_person_year"},
    ],
}  # fmt: skip


def screen(page: Any, name: str) -> Path:
    """A full-page PNG under var/screens/h7/ (looked at by a person, not compared by the test)."""
    SCREENS.mkdir(parents=True, exist_ok=True)
    path = SCREENS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def no_sideways_scroll(page: Any) -> None:
    """On a phone the page itself does not scroll sideways (wide tables scroll inside their own box)."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"] + 1, (
        f"page is {width}px wide on a {page.viewport_size['width']}px screen"
    )


def session_today() -> tuple[dt.datetime, dt.datetime]:
    """An hour-long session that ended five minutes ago, within today (local time)."""
    from django.utils import timezone

    now = timezone.localtime()
    if now.hour == 0 or (now.hour == 1 and now.minute < 10):  # keep the session on today's date
        time.sleep((dt.datetime.combine(now.date(), dt.time(1, 10), now.tzinfo) - now).total_seconds())
        now = timezone.localtime()
    end = now.replace(second=0, microsecond=0) - dt.timedelta(minutes=5)
    return end - dt.timedelta(minutes=60), end


def id_number(seq: int, born: str = "19920315") -> str:
    from jineng.rules.idcard import check_character

    body = f"440106{born}{seq:03d}"
    return body + check_character(body)


def build(make_account: Any) -> dict[str, Any]:
    from django.utils import timezone

    from jineng.common.codes import credit_code_check_char
    from jineng.providers.models import AffiliationKind, PoolAffiliation, PoolRole
    from jineng.providers.services.catalog import (
        ScopeInput,
        application_create,
        application_decide,
        application_review,
        application_submit,
    )
    from jineng.providers.services.organizations import LicenceData, ProfileData, profile_create
    from jineng.providers.services.programs import ProgramData, catalog_list, program_create
    from jineng.refdata.api import setting_set
    from jineng.refdata.loaders import load_all
    from jineng.refdata.models import Occupation
    from jineng.registry.models import Person
    from jineng.subsidies.services.policies import policy_draft_create, policy_publish

    if not Occupation.objects.filter(code="4-04-05-01").exists():
        load_all(["levels", "occupations"])
    today = timezone.localdate()
    province = make_account("province_official", username="gd_official", region="440000")
    city = make_account("city_official", username="gz_official", region="440100")
    county = make_account("county_official", username="th_official", region="440106", display_name="天河区人社局")
    clerk = make_account("county_official", username="th_clerk", region="440106", display_name="天河区受理窗口")
    first17 = "52440106000000777"
    profile = profile_create(
        actor=province, kind="provider", name="天河区职业技能培训学校", credit_code=first17 + credit_code_check_char(first17),
        region_code="440106", data=ProfileData(provider_type="private_training", contact_phone="13800138000"),
        licence=LicenceData(number="人社民440106001", issuer="广州市人社局", valid_from=dt.date(2020, 1, 1),
                            valid_until=today + dt.timedelta(days=700), items=[("4-04-05-01", "grade3")]),
    )  # fmt: skip
    staff = make_account("provider_staff", username="px_staff", organization=profile.organization,
                         display_name="培训学校教务")  # fmt: skip
    app = application_create(actor=staff, profile=profile, capacity_per_year=300,
                             scope=[ScopeInput("4-04-05-01", "grade4", "employment")])  # fmt: skip
    application_submit(actor=staff, application=app)
    application_review(actor=city, application=app, passed=True, opinion="同意")
    application_decide(actor=province, application=app, approved=True, document_number="粤人社函9号")
    program = program_create(
        actor=province,
        data=ProgramData(code="GD-PY-4", name="计算机程序设计员（四级）", occupation="4-04-05-01", level="grade4",
                         training_kind="employment", hours_theory=1, hours_practice=0, delivery="offline",
                         subsidy_category="A", region="440000"),
    )  # fmt: skip
    catalog_list(actor=province, region_code="440000", valid_from=today, program=program)
    teacher = PoolRole.objects.create(person=Person.objects.create(name="王老师"), role="teacher", region_id="440106",
                                      valid_from=today)  # fmt: skip
    PoolAffiliation.objects.create(role=teacher, profile=profile, kind=AffiliationKind.FULL_TIME, valid_from=today)
    setting_set(actor=city, key="class.file_before_start_workdays", region_code="440106", value=0, valid_from=today,
                reason="急需紧缺职业培训随报随开")  # fmt: skip
    version = policy_draft_create(actor="test", region_code="440000", subsidy_type="training", title="广东省职业技能培训补贴",
                                  valid_from=dt.date(2020, 1, 1), rules=TRAINING_POLICY, citation="粤人社规〔2024〕1号",
                                  check_permission=False)  # fmt: skip
    policy_publish(actor="test", version=version, check_permission=False)
    return {"profile": profile, "program": program, "teacher": teacher, "staff": staff, "county": county,
            "clerk": clerk, "city": city, "province": province}  # fmt: skip


def submitted_class(world: dict[str, Any], names: list[str], *, first_seq: int, tomorrow: bool = False) -> Any:
    """A class of the provider through the services, filed with ``names`` as trainees (ID sequence numbers from
    ``first_seq``) and submitted; its one session ended five minutes ago, or runs tomorrow morning."""
    from django.utils import timezone

    from jineng.training.services import classes
    from jineng.training.services.rosters import RosterRow, enrollments_add

    start, end = session_today()
    if tomorrow:
        day = timezone.localdate() + dt.timedelta(days=1)
        start = timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))
        end = start + dt.timedelta(hours=3)
    tc = classes.class_create(
        actor=world["staff"], provider=world["profile"],
        data=classes.ClassInput(name="Python 程序设计就业技能培训班（二期）", program=world["program"].pk,
                                venue_name="天河实训基地 5 楼", region="440106", planned_size=30,
                                sessions=[classes.SessionInput(starts_at=start, ends_at=end,
                                                               teacher=world["teacher"].pk, topic="实操")]),
    )  # fmt: skip
    rows = [RosterRow(name=n, id_number=id_number(first_seq + i), row=i + 1, groups=["unemployed"], residence_region="440106",
                      pledge=True) for i, n in enumerate(names)]  # fmt: skip
    enrollments_add(actor=world["staff"], training_class=tc, rows=rows)
    return classes.class_submit(actor=world["staff"], training_class=tc, pledge=True)

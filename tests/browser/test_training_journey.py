"""A class from application to completion in a real browser: the provider applies, uploads the roster through the
import page and sees the refused row, signs the pledge and submits, the county official reviews it from the queue,
the provider's face-recognition device posts attendance to the API, the provider starts and completes the class,
and the trainee finds the outcome on their archive.

The class runs today (its one session ended five minutes ago), so the county sets its filing lead time to 0 working
days — a per-region setting — instead of the test moving the clock.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def _session_today() -> tuple[dt.datetime, dt.datetime]:
    """An hour-long session that ended five minutes ago, within today (local time)."""
    from django.utils import timezone

    now = timezone.localtime()
    if now.hour == 0 or (now.hour == 1 and now.minute < 10):  # keep the session on today's date
        time.sleep((dt.datetime.combine(now.date(), dt.time(1, 10), now.tzinfo) - now).total_seconds())
        now = timezone.localtime()
    end = now.replace(second=0, microsecond=0) - dt.timedelta(minutes=5)
    return end - dt.timedelta(minutes=60), end


def _world(make_account: Any) -> dict[str, Any]:
    from django.utils import timezone

    from jineng.accounts.models import User
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

    if not Occupation.objects.filter(code="4-04-05-01").exists():
        load_all(["levels", "occupations"])
    today = timezone.localdate()
    province = make_account("province_official", username="gd_official", region="440000")
    city = make_account("city_official", username="gz_official", region="440100")
    make_account("county_official", username="th_official", region="440106", display_name="天河区人社局")
    first17 = "52440106000000777"
    profile = profile_create(
        actor=province, kind="provider", name="天河区职业技能培训学校", credit_code=first17 + credit_code_check_char(first17),
        region_code="440106", data=ProfileData(provider_type="private_training", contact_phone="13800138000"),
        licence=LicenceData(number="人社民440106001", issuer="广州市人社局", valid_from=dt.date(2020, 1, 1),
                            valid_until=today + dt.timedelta(days=700), items=[("4-04-05-01", "grade3")]),
    )  # fmt: skip
    staff = make_account("provider_staff", username="px_staff", organization=profile.organization)
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
    # Who may enroll: the province's 职业培训补贴 in force admits the 重点群体 (a row of none of them is refused).
    from jineng.subsidies.services.policies import policy_draft_create, policy_publish

    version = policy_draft_create(
        actor="test", region_code="440000", subsidy_type="training", title="广东省职业技能培训补贴",
        valid_from=dt.date(2020, 1, 1), citation="测试", check_permission=False,
        rules={"subsidy_type": "training", "payee": "provider", "amount": {"rows": [{"amount_fen": 80000}]},
               "eligibility": [{"kind": "eligible_group", "groups": ["unemployed", "migrant_worker"]}]},
    )  # fmt: skip
    policy_publish(actor="test", version=version, check_permission=False)
    worker = make_account("worker", username="trainee_a")
    return {"program": program, "staff": staff, "worker": User.objects.get(pk=worker.pk)}


def _roster(path: Path) -> Path:
    from openpyxl import Workbook

    from jineng.rules.idcard import check_character

    def number(seq: int) -> str:
        body = f"440106199203{seq:02d}{seq:03d}"
        return body + check_character(body)

    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "身份证号码", "人员类别", "居住地行政区划代码", "学员承诺"])
    ws.append(["张学员", number(11), "失业人员", "440106", "是"])
    ws.append(["李学员", number(12), "农民工", "440106", "是"])
    ws.append(["赵在职", number(13), "", "440106", "是"])  # no qualifying group: refused
    wb.save(path)
    return path


def test_a_class_from_application_to_completion(
    server: str, new_page: Any, make_account: Any, login: Any, shot: Any, tmp_path: Path
) -> None:
    from django.utils import timezone

    from jineng.accounts.services import token_create
    from jineng.training.models import Enrollment, TrainingClass

    world = _world(make_account)
    start, end = _session_today()

    # 1. The provider applies for a class and submits it with the pledge.
    provider = new_page()
    login(provider, "px_staff")
    provider.get_by_role("link", name="培训班").click()
    provider.get_by_role("link", name="申请开班").click()
    provider.get_by_label("班级名称").fill("Python 程序设计就业技能培训班")
    provider.get_by_label("培训项目（本机构目录培训范围内的项目）").select_option(
        label="GD-PY-4 计算机程序设计员（四级）（1 学时）"
    )
    provider.get_by_label("计划人数").fill("30")
    provider.locator("input[name=venue_name]").fill("天河实训基地 3 楼")
    provider.get_by_label("场地所在县（市、区）").select_option("440106")
    provider.get_by_label("纬度").fill("23.129100")
    provider.get_by_label("经度").fill("113.361200")
    provider.get_by_label("授课教师（本机构任教的师资库教师）").select_option(label="王老师")
    provider.get_by_label("课程安排").fill(f"{start:%Y-%m-%d %H:%M}-{end:%H:%M} 线下 Python 基础")
    provider.get_by_role("button", name="保存草稿").click()
    expect(provider.locator(".jn-class-status")).to_have_text("草稿")
    tc = TrainingClass.objects.get()

    # 2. The roster is filed with the class: the provider uploads it through the import page and sees the refused
    # row (a class cannot be submitted with an empty roster).
    provider.get_by_role("link", name="上传花名册").click()
    expect(provider.get_by_label(re.compile("培训班编号"))).to_have_value(tc.code)
    provider.get_by_label("模式").select_option("partial")
    provider.get_by_label(re.compile("文件")).set_input_files(str(_roster(tmp_path / "花名册.xlsx")))
    provider.get_by_role("button", name="上传并导入").click()
    status = provider.locator("#import-status")
    expect(status.locator('[data-code="ineligible_groups"]')).to_have_count(1)  # the code kept, the label shown
    expect(status).to_contain_text("不属于本类补贴培训的对象")
    shot(provider, "training-roster-import")
    assert Enrollment.objects.filter(training_class=tc).count() == 2
    provider.goto(f"{server}/training/classes/{tc.pk}/")
    provider.get_by_label(re.compile("本机构承诺")).check()
    provider.get_by_role("button", name="签署承诺并提交").click()
    expect(provider.locator(".jn-class-status")).to_have_text("待审核")
    shot(provider, "training-class-submitted")

    # 3. The county official reviews it from the queue, which shows the deadline.
    official = new_page()
    login(official, "th_official")
    official.get_by_role("link", name="开班审核", exact=True).click()
    tc.refresh_from_db()
    row = official.locator("tr", has_text=tc.code)
    expect(row).to_contain_text(f"{tc.review_due:%Y-%m-%d}")
    shot(official, "training-review-queue")
    row.get_by_role("link", name=tc.code).click()
    official.get_by_label("审核结论").select_option(label="通过")
    official.get_by_label("审核意见").fill("材料齐全，同意开班")
    official.get_by_role("button", name="提交审核结论").click()
    expect(official.locator(".jn-class-status")).to_have_text("已批准")

    # 4. The provider's device posts attendance (bearer token of the provider's staff).
    _token, secret = token_create(actor=None, user=world["staff"], label="人脸考勤机 FACE-01")
    events = []
    for n, e in enumerate(Enrollment.objects.filter(training_class=tc).order_by("person_name")):
        events += [
            {"event_id": f"{n}-in", "enrollment": str(e.pk), "kind": "in", "at": start.isoformat(), "method": "face",
             "latitude": 23.1291, "longitude": 113.3612},
            {"event_id": f"{n}-out", "enrollment": str(e.pk), "kind": "out", "at": end.isoformat(), "method": "face"},
        ]  # fmt: skip
    for attempt in range(2):  # the second post is a device re-sync: acknowledged, not stored twice
        response = provider.request.post(
            f"{server}/api/v1/attendance",
            data={"device": "FACE-01", "events": events},
            headers={"Authorization": f"Bearer {secret}"},
        )
        assert response.status == 200, response.text()
        body = response.json()
        assert (body["accepted"], body["duplicates"]) == ((4, 0) if attempt == 0 else (0, 4))

    # 5. The provider watches attendance, starts and completes the class.
    provider.goto(f"{server}/training/classes/{tc.pk}/")
    provider.get_by_role("link", name="考勤记录").click()
    expect(provider.locator("main table tbody tr")).to_have_count(4)
    provider.go_back()
    provider.get_by_role("button", name="开课").click()
    expect(provider.locator(".jn-class-status")).to_have_text("培训中")
    provider.get_by_role("button", name="结业").click()
    provider.get_by_role("button", name="确认结业").click()  # the confirmation page
    expect(provider.locator(".jn-class-status")).to_have_text("已结业")
    roster = provider.locator("#roster")
    expect(roster).to_contain_text("100.00%")
    expect(roster.locator("tr", has_text="张学员")).to_contain_text("合格")
    shot(provider, "training-class-completed")

    # 6. The trainee sees the class and its outcome on their archive.
    zhang = Enrollment.objects.get(training_class=tc, person_name="张学员")
    worker = world["worker"]
    worker.person_id = zhang.person_id
    worker.save(update_fields=["person_id"])
    trainee = new_page()
    login(trainee, "trainee_a")
    trainee.get_by_role("link", name="我的培训", exact=True).click()
    expect(trainee.locator("main table")).to_contain_text(tc.code)
    expect(trainee.locator("main table")).to_contain_text("合格")
    trainee.get_by_role("link", name="我的档案").click()
    expect(trainee.locator("main")).to_contain_text("结业：合格")
    expect(trainee.locator("main")).to_contain_text("培训合格证书")
    assert timezone.localdate() >= tc.start_date

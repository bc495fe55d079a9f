"""Codes the demo walk found on pages (issue 15), each now shown by its label: the platform acting as "系统" and people
by their display names in 办理过程 and the audit log, regions by name on payment batches, vouchers, the ledger and the
audit log, a policy's rules as a table in words instead of JSON, job kinds by name; the public pages carry no API
lines and the public indicators open on the plan in force."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jineng.web.tests.crawl import raw_codes, visible_text

pytestmark = pytest.mark.django_db

# The test world's login names ("province", "finance") are shown where a user without a display name is named.
LOGINS = {"province", "finance", "county", "city", "reviewer", "hr"}


def codes(html: str, regions: set[str] | None = None) -> set[str]:
    return raw_codes(html, regions or set()) - LOGINS


def test_the_claim_history_names_the_platform_and_people_not_login_names(api, world, submit_work, approve):
    claim = approve(submit_work(name="甲一"))
    text = visible_text(api(world.county).get(reverse("subsidies:claim", args=[claim.pk])).content.decode())
    assert "审批 · 系统" in text and "system" not in text


def test_the_audit_log_names_people_and_regions(api, world, submit_work):
    from jineng.accounts.models import User

    submit_work(name="乙二")
    User.objects.filter(pk=world.hr.pk).update(display_name="越秀智造 人事")
    html = api(world.province).get("/audit/").content.decode()
    text = visible_text(html)
    assert "越秀智造 人事" in text and "越秀区" in text
    assert world.hr.username not in text.split(), "the login name is only the cell's title"
    assert not codes(html, {"440104", "440000", "440100"})
    # The filter finds the entries by the name shown, as by the login name.
    by_name = visible_text(api(world.province).get("/audit/", {"actor": "越秀智造 人事"}).content.decode())
    assert "补贴申请 · 提交" in by_name


def test_payment_batches_vouchers_and_ledger_show_region_names(api, world, approved_claims):
    from jineng.subsidies.models import VoucherIssue
    from jineng.subsidies.services import ledger, payments
    from jineng.subsidies.tests.conftest import TODAY

    payments.batch_create(actor=world.finance, claim_ids=[c.pk for c in approved_claims(1)])
    ledger.allocation_create(
        actor=world.finance, fund_source="employment_fund", region_code="440000", amount_fen=100_00, memo="粤财社"
    )
    VoucherIssue.objects.create(
        region_id="440000",
        kind="general",
        title="职业培训券",
        valid_from=TODAY,
        valid_until=TODAY,
        quantity=5,
        fund_source="employment_fund",
        face_value_fen=800_00,
    )
    regions = {"440000", "440100", "440104", "440106"}
    for user, path in [(world.finance, "/subsidies/payments/"), (world.finance, "/subsidies/ledger/"),
                       (world.province, "/subsidies/vouchers/")]:  # fmt: skip
        html = api(user).get(path).content.decode()
        assert "广东省" in visible_text(html), path
        assert not codes(html, regions), path


def test_a_policy_reads_as_a_table_of_rules_in_words(api, world):
    from jineng.subsidies.models import PolicyVersion

    version = PolicyVersion.objects.filter(status="published").first()
    html = api(world.province).get(reverse("subsidies:policy", args=[version.pk])).content.decode()
    assert 'id="policy-rules"' in html
    text = visible_text(html)
    assert "收款方" in text and "申领条件" in text
    assert not codes(html), codes(html)


def test_policy_rule_rows_name_levels_groups_and_settings():
    from jineng.subsidies.policy_table import rule_rows

    rows = rule_rows({
        "payee": "person", "channel": "social_security_card", "fund_source": "employment_fund",
        "eligibility": [{"kind": "eligible_group", "groups": ["unemployed"]},
                        {"kind": "attendance", "setting": "attendance.min_rate_percent", "default_percent": 80}],
        "amount": {"rows": [{"level": "grade4", "amount_fen": 150000, "min_hours": 110}], "unit": "claim"},
        "limits": [{"kind": "annual_count", "max_count": 3, "scope": "counter", "counter": "annual_total"}],
        "mystery": {"kind": "x_y"},
    })  # fmt: skip
    text = " ".join(f"{r['section']} {r['rule']} {r['detail']}" for r in rows)
    assert "个人" in text and "社会保障卡" in text and "失业人员" in text and "结业最低出勤率" in text
    assert "中级工" in text and "1,500.00" in text and "年度补贴总次数" in text
    assert not raw_codes(f"<p>{text}</p>"), text


def test_job_kinds_read_as_names():
    from jineng.web.job_labels import job_kind_label

    assert job_kind_label("audit.verify") == "审计日志校验"
    assert job_kind_label("import.roster").startswith("导入：") and "roster" not in job_kind_label("import.roster")
    assert job_kind_label("unknown.kind") == "其他作业"


def test_a_teacher_affiliation_shows_full_or_part_time_in_words():
    from jineng.providers.models import AffiliationKind

    assert str(AffiliationKind("part_time").label) == "兼职"
    template = open(  # noqa: PTH123 - the template is read as text
        "jineng/providers/templates/providers/teacher_detail.html", encoding="utf-8"
    ).read()
    assert "{{ a.kind }}" not in template and "{{ a.kind_label }}" in template


@pytest.mark.parametrize("path", ["/catalog/providers/", "/catalog/programs/", "/verify", "/public/"])
def test_public_pages_carry_no_api_lines(client, path):
    text = visible_text(client.get(path).content.decode())
    assert "GET /api" not in text and "接口：" not in text
    assert "开放数据接口" in text


def test_the_public_indicators_open_on_the_plan_in_force(client):
    from django.utils import timezone

    from jineng.refdata.models import Plan

    year = timezone.localdate().year
    national = Plan.objects.get(code="national-2021")
    Plan.objects.create(
        code="guangdong-now",
        name="广东省当期规划",
        issuer="广东省人社厅",
        document_number="测试",
        region_id="440000",
        period_start=year,
        period_end=year + 4,
    )
    html = client.get("/indicators/public/").content.decode()
    assert "广东省当期规划" in visible_text(html).split("数据截至")[0]
    assert f'<option value="{year}" selected>' in html
    assert national.name not in visible_text(html).split("数据截至")[0]

"""The demo plan's three indicators that a fresh demo left at 0 % (issue 15, part C): 企业新型学徒制培训人次,
其中：高级工及以上证书 and 省级重点职业技能培训教材和数字资源. The demo now holds records of the current year for each —
apprentices who joined this year, a 电工（三级）session's certificates, textbooks published this year — made through
the apps' services, and the demo plan's targets are sized for them, so none shows 0 %.

One test seeds once and checks everything (the seed takes a while)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=False)

# The demo plan's indicators (its copy of the Guangdong plan) and what each counts.
THREE = ("new-apprenticeship-training", "certificates-new-high-skill", "provincial-key-textbooks")


def test_the_demo_has_this_years_apprentices_high_skill_certificates_and_textbooks_and_the_plan_is_sized_for_them() -> (
    None
):
    from jineng.accounts.models import Organization
    from jineng.certificates.demo import ELECTRICIAN, seed_high_skill_session
    from jineng.certificates.models import Certificate
    from jineng.common.audit.models import AuditEntry
    from jineng.indicators.api import indicator_items
    from jineng.providers.demo import seed_textbooks_this_year
    from jineng.providers.models import StandardWork
    from jineng.training.demo import seed_apprentice_cohort
    from jineng.training.models import Apprentice
    from jineng.web.management.commands.seed import DEMO_PLAN

    call_command("seed", "--scale", "demo", stdout=StringIO())
    year = timezone.localdate().year

    items = {i["code"]: i for i in indicator_items(DEMO_PLAN, "440000", year)}
    for code in THREE:
        item = items[code]
        assert item["actual"] and item["actual"] > 0, (code, item["actual"])
        assert item["progress"] and item["progress"] > 0, (code, item["progress"])  # not the red 0 %
        assert item["signal"] in ("on_track", "at_risk", "met"), (code, item["signal"])
        assert item["target"] < 1000 and "演示规模" in item["target_raw"], (code, item["target"])  # the demo's scale

    # The records behind them, dated this year, made the way a user's request makes them (each audited).
    def audited(action: str, records: list[object]) -> bool:
        ids = {str(r.pk) for r in records}  # type: ignore[attr-defined]
        return ids <= set(AuditEntry.objects.filter(action=action).values_list("object_id", flat=True))

    joined = list(Apprentice.objects.filter(joined_on__year=year))
    assert len(joined) == 4 and all(a.employment_record_id for a in joined)  # employees of the enterprise
    assert audited("apprentice.add", joined)
    high = list(Certificate.objects.filter(issued_on__year=year, level__is_high_skill=True, status="valid",
                                           occupation__code=ELECTRICIAN))  # fmt: skip
    assert len(high) == 5 and {c.level_id for c in high} == {"grade3"}  # 潘伟强 failed the practical part
    assert items["certificates-new-high-skill"]["actual"] >= 5  # with the competitions' promotions, if any
    assert audited("certificate.issue", high)
    works = list(StandardWork.objects.filter(year=year, status="published", kind__in=("textbook", "digital_resource")))
    assert len(works) == 3 and all(w.region_id == "440000" and w.document_number for w in works)
    assert audited("standard_work.publish", works)

    # Idempotent: a second run of each step finds its records and adds nothing.
    orgs = {o.name: o for o in Organization.objects.all()}
    assert seed_textbooks_this_year() == 0
    assert seed_high_skill_session(evaluator=orgs["广州市职业技能评价中心"]) == []
    assert seed_apprentice_cohort({"enterprise": orgs["广州智造科技有限公司"],
                                   "provider": orgs["广州市天河区职业培训学校"]}) == 0  # fmt: skip

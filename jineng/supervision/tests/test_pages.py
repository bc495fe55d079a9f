"""The case pages as a reader meets them (issue 15): under English a case's summary, its rule's explanations, its
measured reason and its steps are in English; evidence rows name their records, never a raw id; the list's region
filter is a picker of the regions in the reader's scope, not a typed code."""

from __future__ import annotations

import re
import uuid

import pytest
from django.utils import timezone

from jineng.registry.models import Person
from jineng.supervision.models import Case, CaseStep

pytestmark = pytest.mark.django_db

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}")


@pytest.fixture
def case(make_user):
    person = Person.objects.create(name="彭志文")
    gone = uuid.uuid4()  # evidence of a record that is not there (or not the reader's): named, not shown as an id
    case = Case.objects.create(
        number="XS20269900001", rule="ghost_trainee", fingerprint=uuid.uuid4().hex, severity="high",
        region_id="440106", summary="退休人员参加培训", facts={"reason": "退休人员", "employment_status": "retired"},
        evidence=[{"kind": "person", "id": str(person.pk), "label": "彭*文"},
                  {"kind": "enrollment", "id": str(gone), "label": ""}],
    )  # fmt: skip
    CaseStep.objects.create(case=case, region_id="440106", from_status="new", to_status="investigating",
                            actor_name="核查员", at=timezone.now())  # fmt: skip
    return case


def test_a_case_reads_in_english_and_its_evidence_names_records(case, make_user, client):
    client.force_login(make_user("inspector", region="440000"))
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get(f"/supervision/cases/{case.pk}/").content.decode()
    assert "A retired person in training" in html  # the summary, made from the facts
    assert "Padded classes" in html  # the rule's "why"
    assert "退休人员" not in html and "冒名参训" not in html
    assert "New lead → Under investigation" in html  # the step by its labels (it printed "new → investigating")
    assert "new → investigating" not in html
    evidence = html.split('data-testid="evidence"')[1].split("</table>")[0]
    assert "彭*文" in evidence and "(record not available)" in evidence
    assert not UUID.search(re.sub(r"<[^>]+>", " ", evidence)), evidence  # visible text: no raw id
    assert ">Enrolment<" in evidence
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    chinese = client.get(f"/supervision/cases/{case.pk}/").content.decode()
    assert "退休人员参加培训" in chinese and "核查中" in chinese


def test_the_region_filter_is_a_picker_of_the_regions_in_scope(case, make_user, client):
    client.force_login(make_user("inspector", region="440100"))
    html = client.get("/supervision/").content.decode()
    picker = html.split('id="f-region"')[1].split("</select>")[0]
    assert "<select" not in picker and 'value="440106"' in picker and "广州市 · 天河区" in picker
    assert 'value="440300"' not in picker and 'value="440000"' not in picker  # 深圳 and the province: not in scope
    listed = client.get("/supervision/?region=440106").content.decode()
    assert 'value="440106" selected' in listed and case.number in listed
    assert case.number not in client.get("/supervision/?region=440104").content.decode()


def test_every_rule_explanation_and_summary_has_its_english_text():
    """The rules core is Chinese only (it is pure): a rule added or reworded there without its catalogue entry in
    supervision/web/labels.py would show Chinese under English again."""
    from django.utils import translation

    from jineng.rules import supervision as R
    from jineng.supervision.web.labels import SUMMARIES, rule_text

    with translation.override("en"):
        for rule in R.RULES.values():
            for text in (rule.reads, rule.why, rule.false_positives):
                assert rule_text(text) != text, (rule.code, text)
            assert not re.search(r"[\u4e00-\u9fff]", str(SUMMARIES[rule.code])), rule.code  # no Chinese left
        for reason in (*R.GHOST_STATUSES.values(), "已死亡人员", "已就业人员按失业人员报名"):
            assert rule_text(reason) != reason, reason


def test_the_rules_page_reads_its_thresholds_in_english(make_user, client):
    """/supervision/rules/ printed 「同一手机号或银行账户关联人数下限：5人（2–100）」 on the English page (issue 15): every
    threshold's label and unit is in the catalogue, and the settings page shows the same words."""
    from django.utils import translation

    from jineng.rules import supervision as R
    from jineng.supervision.web.labels import threshold_text

    with translation.override("en"):
        for t in [*R.thresholds().values(), R.CARD_RULE]:
            text = threshold_text(t)
            assert not re.search(r"[\u4e00-\u9fff]", text), (t.key, text)
    client.force_login(make_user("inspector", region="440100"))
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/supervision/rules/").content.decode()
    cells = re.findall(r'<td class="small">((?:<div>[^<]*</div>)+)</td>', html)
    assert cells and not any(re.search(r"[\u4e00-\u9fff]", c) for c in cells), cells
    assert "5 km (1–500)" in html

"""Typed codes replaced by pickers (walk of issue 15): 评价机构备案's credit code (check digit, known organizations),
the indicators region box (440000 → regions by name), the sanction's 依据线索编号 (the region's cases), the evaluator's
添加考生 class number (the classes it can take), 认定地区 and a competition's region (by name)."""

from __future__ import annotations

import re
import uuid

import pytest
from django.urls import reverse

from jineng.common.codes import credit_code_check_char

pytestmark = pytest.mark.django_db


def _code(first17: str = "52440106MJ0000001") -> str:
    return first17 + credit_code_check_char(first17)


def _filing(code: str):
    from jineng.certificates.web.forms import FilingForm

    return FilingForm(data={"organization_credit_code": code, "route": "social", "occupation": "6-31-01-03",
                            "valid_from": "2026-01-05"})  # fmt: skip


def test_the_filing_credit_code_is_checked_by_its_check_character():
    good = _code()
    assert "organization_credit_code" not in _filing(good.lower()).errors
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    assert "校验位" in str(_filing(wrong).errors["organization_credit_code"])
    assert "18" in str(_filing(good[:10]).errors["organization_credit_code"])
    assert "不允许" in str(_filing(good[:16] + "IO").errors["organization_credit_code"])


def test_the_filing_form_offers_the_known_evaluators(api, make_user, make_org):
    org = make_org(kind="evaluator", name="广州市天河区职业技能评价中心")
    html = api(make_user("province_official", region="440000")).get(reverse("certificates:filings")).content.decode()
    box = html.split('name="organization_credit_code"')[1].split("</datalist>")[0]
    assert f'value="{org.credit_code}"' in box and "广州市天河区职业技能评价中心" in box


def test_the_indicators_region_is_a_select_of_the_scope_by_name(api, make_user):
    html = api(make_user("city_official", region="440100")).get(reverse("indicators:dashboard")).content.decode()
    select = html.split('id="id_region_select"')[1].split("</select>")[0]
    assert 'value="440100"' in select and "天河区" in select and 'value="440106"' in select
    assert 'value="440300"' not in select  # Shenzhen is outside the scope
    assert not re.search(r">\s*\u3000*440\d{3}\s*<", select)  # names shown, never a bare code


def test_the_sanction_basis_is_a_select_of_the_regions_cases(api, make_user):
    from jineng.supervision.models import Case

    Case.objects.create(number="XS20264401060001", rule="ghost_trainee", fingerprint=uuid.uuid4().hex,
                        severity="high", region_id="440106", summary="退休人员参加培训")  # fmt: skip
    Case.objects.create(number="XS20264403040001", rule="ghost_trainee", fingerprint=uuid.uuid4().hex,
                        severity="high", region_id="440304", summary="退休人员参加培训")  # fmt: skip
    html = api(make_user("city_official", region="440100")).get(reverse("supervision:sanctions")).content.decode()
    select = html.split('id="s-case"')[1].split("</select>")[0]
    assert 'value="XS20264401060001"' in select
    assert "XS20264403040001" not in select  # Futian's case: outside Guangzhou


def test_the_class_picker_of_a_session_lists_the_given_classes():
    from jineng.certificates.web.forms import FromClassForm

    html = str(FromClassForm(classes=[("K440106202600005", "K440106202600005 电工四级班（12）")]))
    assert "<select" in html and 'value="K440106202600005"' in html and "电工四级班" in html
    assert "暂无" in str(FromClassForm(classes=[]))


def test_the_recognition_region_is_the_officials_regions_by_name(api, make_user):
    html = api(make_user("county_official", region="440106")).get(reverse("credits:recognition_new")).content.decode()
    select = html.split('name="rec-region"')[1].split("</select>")[0]
    assert 'value="440106"' in select and "天河区" in select


def test_the_event_region_is_picked_around_the_organizer(make_org):
    from jineng.competitions.web.forms import EventForm
    from jineng.refdata.widgets import RegionSelect

    form = EventForm()
    widget = form.fields["region"].widget
    assert isinstance(widget, RegionSelect)
    widget.around = "440106"
    html = str(form["region"])
    assert 'value="440000"' in html and 'value="440100"' in html and 'value="440106"' in html
    assert "天河区" in html and 'value="440304"' not in html

"""互认 is filed for persons the official can see: a 天河 official cannot file (by service or page) a recognition for
a person whose records are only in Shenzhen, and the page answers exactly as for an unknown ID — it is no
"does this ID number belong to this name" oracle for the whole registry."""

from __future__ import annotations

import datetime as dt

import pytest

from jineng.common.errors import NotFound
from jineng.credits import services
from jineng.credits.models import Recognition
from jineng.credits.tests.conftest import make_person

pytestmark = pytest.mark.django_db


def test_a_person_outside_the_officials_area_cannot_be_filed_for(bank):
    elsewhere = make_person(region="440304", name="杨建军")
    with pytest.raises(NotFound):
        services.recognition_request(actor=bank.county, person=elsewhere, region_code="440106", from_region="430100",
                                     record_ref="HN-77", issuer="长沙中心", description="电工培训结业",
                                     category="training", credits="50", earned_on=dt.date(2025, 1, 1))  # fmt: skip
    assert not Recognition.objects.exists()


def test_the_page_answers_for_an_out_of_area_person_as_for_an_unknown_one(bank, client):
    from jineng.registry.tests.factories import id18

    number = id18("440304", seq=977)
    make_person(region="440304", name="杨建军", id_number=number)
    client.force_login(bank.county)
    form = {"rec-id_number": number, "rec-name": "杨建军", "rec-region": "440106",
            "rec-from_region": "430100", "rec-record_ref": "HN-78", "rec-issuer": "长沙中心",
            "rec-description": "电工培训结业", "rec-category": "training", "rec-credits": "3",
            "rec-earned_on": "2025-05-01"}  # fmt: skip
    right_name = client.post("/credits/recognitions/new/", form)
    wrong_name = client.post("/credits/recognitions/new/", {**form, "rec-name": "别人"})
    assert right_name.status_code == wrong_name.status_code == 422
    assert "证件号码与姓名不符" in right_name.content.decode() and "证件号码与姓名不符" in wrong_name.content.decode()
    assert not Recognition.objects.exists()

"""A small public world for the portal's tests: a listed provider (with a contact phone and a legal
representative), a program on the catalog, a base whose studio master is a registered person, a published and a
draft subsidy standard, and a certificate of a person with an ID number and a phone — the personal data the crawl
must never find unmasked."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from jineng.rules.idcard import check_character

ID_NUMBER = "44010619900307123" + check_character("44010619900307123")
PHONE = "13912345678"
NAME = "陈晓东"


@dataclass
class World:
    listing: Any
    program: Any
    base: Any
    standard: Any
    draft: Any
    certificate: Any
    person: Any


def make_world() -> World:
    from django.utils import timezone

    from jineng.accounts.models import Organization
    from jineng.certificates.models import Certificate
    from jineng.common.codes import credit_code_check_char
    from jineng.providers.models import (
        CatalogListing,
        OrganizationProfile,
        Program,
        ProviderListing,
        TrainingBase,
    )
    from jineng.refdata.models import Occupation
    from jineng.registry.services.persons import person_create
    from jineng.rules.certificates import format_number
    from jineng.subsidies.models import PolicyVersion

    today = timezone.localdate()
    first17 = "52440106MJ0000017"
    org = Organization.objects.create(kind="provider", name="广州市天河区南粤职业培训学校", region_id="440106",
                                      credit_code=first17 + credit_code_check_char(first17))  # fmt: skip
    profile = OrganizationProfile.objects.create(
        organization=org, provider_type="private_training", legal_representative=NAME,
        contact_name=NAME, contact_phone_masked="139****5678", address="广州市天河区天河路 1 号",
    )  # fmt: skip
    listing = ProviderListing.objects.create(profile=profile, region_id="440106", status="listed", valid_from=today,
                                             valid_until=today + dt.timedelta(days=365), capacity_per_year=500)  # fmt: skip
    welder = Occupation.objects.get(code="6-18-02-04", level="occupation")
    program = Program.objects.create(code="GZ-HJ-001", name="焊工（中级）培训", occupation=welder, level_id="grade4",
                                     training_kind="employment", hours_theory=40, hours_practice=80,
                                     delivery="offline", subsidy_category="A", region_id="440100")  # fmt: skip
    CatalogListing.objects.create(program=program, region_id="440100", status="listed", valid_from=today)
    person = person_create(actor=None, name=NAME, id_number=ID_NUMBER, phone=PHONE,
                           residence_region="440106", check_permission=False)  # fmt: skip
    base = TrainingBase.objects.create(kind="master_studio", name="陈晓东焊接技能大师工作室", level="provincial",
                                       approval_year=today.year - 1, approval_document="粤人社函〔2025〕12号",
                                       region_id="440106", host_name="广州市天河区南粤职业培训学校", master=person)  # fmt: skip
    TrainingBase.objects.create(kind="public_training", name="已撤销的实训基地", level="municipal",
                                approval_year=today.year - 3, revoked_year=today.year - 1, region_id="440106",
                                host_name="某单位")  # fmt: skip
    rules = {"subsidy_type": "training", "amount": {"rows": [{"level": "grade4", "amount_fen": 150000}]}}
    standard = PolicyVersion.objects.create(region_id="440000", subsidy_type="training", version_no=1,
                                            title="广东省职业技能培训补贴标准（2026）", valid_from=today - dt.timedelta(days=30),
                                            rules=rules, citation="粤人社规〔2026〕1号", status="published")  # fmt: skip
    draft = PolicyVersion.objects.create(region_id="440000", subsidy_type="training", version_no=2,
                                         title="草稿中的补贴标准", valid_from=today, rules=rules, status="draft")  # fmt: skip
    first17e = "52440100MB0000003"
    evaluator = Organization.objects.create(kind="evaluator", name="广州市职业技能评价中心", region_id="440100",
                                            credit_code=first17e + credit_code_check_char(first17e))  # fmt: skip
    certificate = Certificate.objects.create(
        number=format_number("440106", today.year, "skill_level", 7), kind_id="skill_level", person=person,
        holder_name=NAME, occupation=welder, occupation_name=welder.name, level_id="grade4", issuer=evaluator,
        issuer_name=evaluator.name, issued_on=today, region_id="440106", source="exam",
    )  # fmt: skip
    return World(listing, program, base, standard, draft, certificate, person)


@pytest.fixture
def world(db: Any) -> World:
    return make_world()

"""The brand, standard and textbook indicators computed from the providers' records: 金蓝领 trainees (persons over
the period), brands recognized (Jilin's province-wide, Shandong's per city), national standards and Guangdong's key
textbooks published — each moving by exactly what was recorded, at the record's region and the regions above."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from jineng.training.tests.conftest import make_class, world  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


@pytest.fixture
def brand(admin: Any) -> Any:
    from jineng.providers.services.brands import BrandData, brand_create

    def make(region: str, code: str, year: int | None = None, name: str = "") -> Any:
        return brand_create(
            actor=admin, data=BrandData(code=code, name=name or code, region=region, recognized_year=year)
        )

    return make


@pytest.fixture
def standard(admin: Any) -> Any:
    from jineng.providers.services.brands import StandardData, standard_create

    def make(region: str, kind: str, year: int | None, title: str, status: str = "published") -> Any:
        return standard_create(
            actor=admin,
            data=StandardData(
                kind=kind, title=title, developer="测试开发单位", region=region, year=year, status=status
            ),
        )

    return make


def test_brands_recognized_count_in_their_year_at_their_region_and_above(fresh_rollups, brand, read):
    brand("220000", "jilin-a", 2023)
    brand("220000", "jilin-b", 2025)
    brand("220000", "jilin-c", None)  # in the catalogue, not recognized: not counted
    brand("220000", "jilin-old", 2021)  # before Jilin's plan (2022–2025)
    item = read("jilin-2022", "220000", 2025)["training-brands"]
    assert item["actual"] == 2 and item["no_data_reason"] in (None, "")
    assert read("jilin-2022", "220000", 2023)["training-brands"]["actual"] == 1


def test_a_city_brand_counts_for_its_city_and_the_province(fresh_rollups, brand, read):
    brand("370100", "jinan-lead", 2022)  # 济南 一市一品牌
    brand("370000", "lucai", 2022)  # 鲁菜师傅: the province's own
    items = {r: read("shandong-2022", r, 2025)["city-training-brands"] for r in ("370100", "370200", "370000")}
    assert items["370100"]["actual"] == 1
    assert items["370200"]["actual"] == 0
    assert items["370000"]["actual"] == 2


def test_a_program_marked_golden_blue_collar_counts_its_trainees_once_each(
    fresh_rollups,
    admin,
    brand,
    make_class,  # noqa: F811
    person,
    read,
):
    from jineng.providers.services.brands import GOLDEN_BLUE_COLLAR, program_brands_set
    from jineng.training.models import Enrollment

    golden = brand("370000", GOLDEN_BLUE_COLLAR, 2021, "金蓝领")
    tc = make_class("approved")
    program = tc.program
    program.region_id = "370000"
    program.save(update_fields=["region_id"])
    program_brands_set(actor=admin, program=program, brand_ids=[golden.pk])
    someone = person("370102")
    for region, day, who in [("370102", dt.date(2022, 5, 1), someone), ("370102", dt.date(2023, 5, 1), someone),
                             ("370202", dt.date(2024, 5, 1), person("370202"))]:  # fmt: skip
        Enrollment.objects.create(
            training_class=tc, person=who, region_id=region, organization_id=tc.organization_id, source="page",
            enrolled_on=day - dt.timedelta(days=30), person_name=who.name, id_number_masked="1101**********0000",
            status="finished", completed_on=day, ended_at=timezone.now(),
        )  # fmt: skip
    items = {r: read("shandong-2022", r, 2025)["golden-blue-collar-training"] for r in ("370102", "370000")}
    assert items["370102"]["actual"] == 1  # one person trained twice: counted once over the period
    assert items["370000"]["actual"] == 2
    assert items["370000"]["additive"] is False


def test_standards_and_textbooks_published_count_and_withdrawn_ones_leave(fresh_rollups, admin, standard, read):
    from jineng.providers.services.brands import standard_publish, standard_withdraw

    standard("000000", "occupational_standard", 2022, "国家职业标准 甲")
    draft = standard("000000", "occupational_standard", None, "国家职业标准 乙", status="developing")
    assert read("national-2021", "000000", 2025)["occupational-standards"]["actual"] == 1
    standard_publish(actor=admin, work=draft, year=2024, document_number="人社厅发〔2024〕1号")
    assert read("national-2021", "000000", 2025)["occupational-standards"]["actual"] == 2
    assert read("national-2021", "000000", 2023)["occupational-standards"]["actual"] == 1

    book = standard("440000", "textbook", 2023, "粤菜师傅培训教材")
    standard("440000", "digital_resource", 2023, "南粤家政数字课程")
    assert read("guangdong-2021", "440000", 2023)["provincial-key-textbooks"]["actual"] == 2  # 20 a year: that year's
    standard_withdraw(actor=admin, work=book, reason="内容过时")
    assert read("guangdong-2021", "440000", 2023)["provincial-key-textbooks"]["actual"] == 1


def test_only_the_province_keeps_its_brand_catalogue(make_user):
    from jineng.common.errors import PermissionDenied
    from jineng.providers.models import TrainingBrand
    from jineng.providers.services.brands import BrandData, brand_create

    city = make_user("city_official", region="440100")  # keeps the city's catalogs, not the brand catalogue
    with pytest.raises(PermissionDenied):
        brand_create(actor=city, data=BrandData(code="x", name="某品牌", region="440100"))
    assert not TrainingBrand.objects.exists()


def test_a_program_may_carry_only_a_brand_of_its_region(admin, brand, make_class):  # noqa: F811
    from jineng.common.errors import ValidationFailed
    from jineng.providers.services.brands import program_brands_set

    elsewhere = brand("370000", "lucai", 2022, "鲁菜师傅")
    program = make_class("approved").program  # a Guangdong program
    with pytest.raises(ValidationFailed) as exc:
        program_brands_set(actor=admin, program=program, brand_ids=[elsewhere.pk])
    assert exc.value.fields[0].code == "brand_outside_region"
    assert not program.brands.exists()

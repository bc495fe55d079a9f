"""The program catalog: programs, digital resources of online platforms, listing per region with validity."""

from __future__ import annotations

import datetime as dt

import pytest

from jineng.common.errors import Conflict, PermissionDenied, ValidationFailed
from jineng.providers import api as providers_api
from jineng.providers.errors import ProgramNotListed, TransitionRefused
from jineng.providers.models import CatalogListingStatus, Program
from jineng.providers.services.programs import (
    ProgramData,
    ResourceData,
    catalog_list,
    catalog_withdraw,
    program_create,
    program_retire,
    program_update,
    resource_create,
)

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def _data(**overrides):
    values = dict(
        code="GD-2026-0001",
        name="计算机程序设计员（四级）就业技能培训",
        occupation="4-04-05-01",
        level="grade4",
        training_kind="employment",
        hours_theory=60,
        hours_practice=100,
        delivery="blended",
        subsidy_category="A",
        region="440000",
        syllabus="1. 程序设计基础\n2. 数据库",
        industry_tags=["guangdong-clusters/automotive"],
    )
    values.update(overrides)
    return ProgramData(**values)


def _codes(exc):
    return {f.code for f in exc.value.fields}


def test_a_program_is_created_listed_and_found_listed_below_its_region(officials, ref):
    program = program_create(actor=officials.province, data=_data())
    assert program.hours_total == 160
    assert list(program.industry_tags.all()) == [ref.tag]
    listing = catalog_list(
        actor=officials.province,
        program=program,
        region_code="440000",
        valid_from=TODAY,
        valid_until=TODAY + dt.timedelta(days=365),
    )
    assert listing.status == CatalogListingStatus.LISTED
    # a province's listing holds in its cities and counties; not elsewhere; not outside its validity
    assert providers_api.program_is_listed(program, "440106", TODAY)
    assert providers_api.program_is_listed(program, "440000", TODAY)
    assert not providers_api.program_is_listed(program, "110101", TODAY)
    assert not providers_api.program_is_listed(program, "440106", TODAY - dt.timedelta(days=1))
    assert not providers_api.program_is_listed(program, "440106", TODAY + dt.timedelta(days=366))


def test_a_city_listing_holds_in_the_city_only(officials, ref):
    program = program_create(actor=officials.province, data=_data())
    catalog_list(actor=officials.city, program=program, region_code="440100", valid_from=TODAY)
    assert providers_api.program_is_listed(program, "440106", TODAY)
    assert not providers_api.program_is_listed(program, "440303", TODAY)
    with pytest.raises(ProgramNotListed):
        providers_api.program_require_listed(program, "440303", TODAY)


def test_a_withdrawn_listing_and_a_retired_program_are_not_listed(officials, ref):
    program = program_create(actor=officials.province, data=_data())
    listing = catalog_list(actor=officials.province, program=program, region_code="440000", valid_from=TODAY)
    catalog_withdraw(actor=officials.province, listing=listing, reason="职业调整")
    assert not providers_api.program_is_listed(program, "440106", TODAY)
    with pytest.raises(TransitionRefused):
        catalog_withdraw(actor=officials.province, listing=listing, reason="again")
    catalog_list(actor=officials.province, program=program, region_code="440000", valid_from=TODAY)
    assert providers_api.program_is_listed(program, "440106", TODAY)
    program_retire(actor=officials.province, program=program, reason="停止实施")
    assert not providers_api.program_is_listed(program, "440106", TODAY)
    with pytest.raises(ValidationFailed):
        catalog_list(actor=officials.province, program=program, region_code="440000", valid_from=TODAY)


def test_listing_twice_in_one_region_is_refused(officials, ref):
    program = program_create(actor=officials.province, data=_data())
    catalog_list(actor=officials.province, program=program, region_code="440000", valid_from=TODAY)
    with pytest.raises(Conflict) as exc:
        catalog_list(actor=officials.province, program=program, region_code="440000", valid_from=TODAY)
    assert exc.value.code == "already_listed"


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"occupation": "9-99-99-99"}, "unknown_occupation"),
        ({"occupation": "4-04-05"}, "not_an_occupation"),
        ({"level": "grade9"}, "unknown_level"),
        ({"occupation": ""}, "required"),
        ({"training_kind": "juggling"}, "bad_choice"),
        ({"delivery": "telepathy"}, "bad_choice"),
        ({"hours_theory": 0, "hours_practice": 0}, "no_hours"),
        ({"hours_theory": -1}, "out_of_range"),
        ({"industry_tags": ["guangdong-clusters/no-such"]}, "unknown_tag"),
        ({"region": "449999"}, "unknown_region"),
    ],
)
def test_a_program_naming_what_does_not_exist_is_refused(officials, ref, overrides, code):
    with pytest.raises(ValidationFailed) as exc:
        program_create(actor=officials.province, data=_data(**overrides))
    assert code in _codes(exc)
    assert not Program.objects.exists()


def test_an_entrepreneurship_program_needs_no_occupation(officials, ref):
    program = program_create(
        actor=officials.province, data=_data(occupation="", level="", training_kind="entrepreneurship")
    )
    assert program.occupation is None


def test_duplicate_program_code_is_refused(officials, ref):
    program_create(actor=officials.province, data=_data())
    with pytest.raises(ValidationFailed) as exc:
        program_create(actor=officials.province, data=_data())
    assert "duplicate_code" in _codes(exc)


def test_who_may_define_and_list_programs(officials, ref):
    with pytest.raises(PermissionDenied):
        program_create(actor=officials.county, data=_data(region="440106"))
    with pytest.raises(PermissionDenied):  # a city defines programs for its own region, not the province's
        program_create(actor=officials.city, data=_data())
    program = program_create(actor=officials.city, data=_data(region="440100"))
    with pytest.raises(PermissionDenied):
        catalog_list(actor=officials.shenzhen, program=program, region_code="440100", valid_from=TODAY)
    with pytest.raises(PermissionDenied):  # nor move it out of its reach
        program_update(actor=officials.city, program=program, data=_data(region="440000"))
    updated = program_update(actor=officials.city, program=program, data=_data(region="440100", name="改名"))
    assert updated.name == "改名" and updated.code == "GD-2026-0001"


def _resource(actor, platform, code, *, title="课程", resource_type="course", level="", hours=4):
    """A 就业 digital resource of 计算机程序设计员 on ``platform``."""
    data = ResourceData(
        code=code,
        title=title,
        resource_type=resource_type,
        occupation="4-04-05-01",
        level=level,
        training_kind="digital",
        hours=hours,
    )
    return resource_create(actor=actor, platform=platform, data=data)


def test_digital_resources_belong_to_listed_online_platforms(listed, make_provider, officials, ref):
    platform = listed(provider_type="online_platform").profile
    resource = _resource(officials.province, platform, "R-1", title="Python 入门", level="grade4", hours=40)
    listing = catalog_list(actor=officials.province, resource=resource, region_code="440000", valid_from=TODAY)
    assert listing.resource == resource

    school = make_provider(provider_type="university")
    with pytest.raises(ValidationFailed) as exc:
        _resource(officials.province, school, "R-2", title="x")
    assert "not_a_platform" in _codes(exc)

    unlisted = make_provider(provider_type="online_platform")
    other = _resource(officials.province, unlisted, "R-3", title="y", resource_type="video", hours=2)
    with pytest.raises(ValidationFailed) as exc:
        catalog_list(actor=officials.province, resource=other, region_code="440000", valid_from=TODAY)
    assert "platform_not_listed" in _codes(exc)


def test_a_county_reads_the_province_programs_that_apply_in_it_but_cannot_change_them(client, officials, ref):
    program = program_create(actor=officials.province, data=_data())
    guangzhou = program_create(actor=officials.city, data=_data(code="GZ-2026-0001", region="440100"))
    shenzhen = program_create(actor=officials.shenzhen, data=_data(code="SZ-2026-0001", region="440300"))
    client.force_login(officials.county)
    page = client.get("/providers/programs/").content.decode()
    assert program.code in page and guangzhou.code in page and shenzhen.code not in page
    codes = {row["code"] for row in client.get("/api/v1/programs?page_size=100").json()["items"]}
    assert codes == {program.code, guangzhou.code}
    assert client.get(f"/api/v1/programs/{program.pk}").status_code == 200
    detail = client.get(f"/providers/programs/{program.pk}/")
    assert detail.status_code == 200 and 'name="op" value="list"' not in detail.content.decode()
    assert client.post(f"/providers/programs/{program.pk}/", {"op": "retire", "reason": "x"}).status_code == 403
    refused = client.post(f"/api/v1/programs/{program.pk}/retire", {"reason": "x"}, content_type="application/json")
    assert refused.status_code in (403, 404)
    program.refresh_from_db()
    assert program.retired_at is None

"""数字培训资源 (issue 19): the resources listed in the catalog are listed and searchable on /learning/resources/, each
with its learners' average rating; a learner rates one 1–5 stars (again: replaces it), audited; bad input is refused
on its field, never a 500; a user without a person record does not rate; a withdrawn or retired resource is not
offered."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings

from jineng.common.audit.models import AuditEntry
from jineng.common.errors import DomainError
from jineng.learning import services
from jineng.learning.models import ResourceRating

pytestmark = pytest.mark.django_db


@pytest.fixture
def resources(make_org):
    from jineng.providers.models import CatalogListing, DigitalResource, OrganizationProfile

    org = make_org("440000", "provider", "粤学在线平台")
    platform = OrganizationProfile.objects.create(organization=org, provider_type="online_platform")
    made = {}
    for code, title, listed in (("SZ-1", "电工（四级）数字课程", True), ("SZ-2", "育婴员题库", True),
                                ("SZ-3", "已移出的课程", False)):  # fmt: skip
        r = DigitalResource.objects.create(platform=platform, code=code, title=title, resource_type="course",
                                           training_kind="employment", hours=40, region_id="440000")  # fmt: skip
        CatalogListing.objects.create(resource=r, region_id="440000", valid_from=dt.date(2020, 1, 1),
                                      status="listed" if listed else "withdrawn")  # fmt: skip
        made[code] = r
    return made


def _learner(make_user, name, username):
    from jineng.accounts.models import User
    from jineng.registry.models import Person

    person = Person.objects.create(name=name, residence_region_id="440106")
    user = make_user("worker", username=username)
    User.objects.filter(pk=user.pk).update(person_id=person.pk)
    user.refresh_from_db()
    return user


@pytest.fixture
def learner(make_user):
    return _learner(make_user, "学员甲", "learner")


def test_a_learner_rates_a_listed_resource_and_the_list_shows_the_average(resources, learner, make_user, client):
    other = _learner(make_user, "学员乙", "learner2")
    services.resource_rate(actor=learner, resource_id=resources["SZ-1"].pk, stars=5, comment="讲得清楚")
    services.resource_rate(actor=other, resource_id=resources["SZ-1"].pk, stars="4")
    again = services.resource_rate(actor=learner, resource_id=resources["SZ-1"].pk, stars=3)  # replaces
    assert ResourceRating.objects.count() == 2 and again.stars == 3 and again.comment == ""
    assert AuditEntry.objects.filter(action="resource_rating.rate").count() == 3
    client.force_login(learner)
    page = client.get("/learning/resources/").content.decode()
    assert "电工（四级）数字课程" in page and "育婴员题库" in page and "已移出的课程" not in page
    assert "<strong>3.5</strong>" in page and "暂无评分" in page
    found = client.get("/learning/resources/?q=育婴").content.decode()
    assert "育婴员题库" in found and "电工（四级）数字课程" not in found
    r = client.post(f"/learning/resources/{resources['SZ-2'].pk}/rate/", {"stars": "4", "q": "育婴"})
    assert r.status_code == 302 and "q=" in r["Location"]
    assert ResourceRating.objects.get(resource=resources["SZ-2"]).stars == 4
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get("/learning/resources/").content.decode()
    assert "Digital training resources" in english


@pytest.mark.parametrize(("stars", "field"), [(0, "stars"), (6, "stars"), (True, "stars"), (4.5, "stars"),
                                              ("x", "stars"), (None, "stars")])  # fmt: skip
def test_bad_ratings_are_refused_on_their_field(resources, learner, stars, field):
    with pytest.raises(DomainError) as err:
        services.resource_rate(actor=learner, resource_id=resources["SZ-1"].pk, stars=stars)
    assert err.value.fields[0].field == field
    assert not ResourceRating.objects.exists()


def test_only_a_learner_rates_and_only_a_listed_resource(resources, learner, make_user, client):
    official = make_user("province_official", region="440000", username="official")
    with pytest.raises(DomainError) as err:
        services.resource_rate(actor=official, resource_id=resources["SZ-1"].pk, stars=5)
    assert err.value.status == 403
    for bad in (resources["SZ-3"].pk, "not-an-id", "\x00"):
        with pytest.raises(DomainError) as err:
            services.resource_rate(actor=learner, resource_id=bad, stars=5)
        assert err.value.fields[0].code == "not_found"
    with pytest.raises(DomainError) as err:
        services.resource_rate(actor=learner, resource_id=resources["SZ-1"].pk, stars=5, comment="长" * 301)
    assert err.value.fields[0].code == "too_long"
    client.force_login(learner)
    assert client.get("/learning/resources/?q=%00&page=999999").status_code == 200
    r = client.post(f"/learning/resources/{resources['SZ-1'].pk}/rate/", {"stars": "9"}, follow=True)
    assert r.status_code == 200 and "1 至 5" in r.content.decode() and not ResourceRating.objects.exists()

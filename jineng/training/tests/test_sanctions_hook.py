"""Sanctions reach training through the providers hook (ADR 0027): a provider under 停业整顿 or on the 黑名单 cannot
draft or submit a class while the sanction is in force; lifting it (a decision) lets it again; 移出目录 exits the
listing through the catalog's own service; a blacklisted provider cannot apply to the catalog."""

from __future__ import annotations

import datetime as dt

import pytest

from jineng.common.errors import DomainError
from jineng.supervision.services import sanction_approve, sanction_decide, sanction_lift


@pytest.fixture
def inspector(make_user):
    return make_user("inspector", region="440000", username="insp")


def test_a_blacklisted_provider_cannot_file_a_class(world, make_class, make_user):
    draft = make_class("draft")
    org = world.provider.organization
    s = sanction_decide(actor=world.province, organization=org, kind="blacklist", years=3, reason="虚构培训记录骗取补贴",
                        document_number="粤人社罚〔2026〕1号")  # fmt: skip
    assert s.status == "pending" and make_class("draft").pk  # 待复核: no effect before the second person
    s = sanction_approve(actor=make_user("province_official", region="440000"), sanction=s)
    assert s.ends_on == s.starts_on.replace(year=s.starts_on.year + 3) - dt.timedelta(days=1)
    with pytest.raises(DomainError) as err:
        make_class("draft")
    assert err.value.code == "organization_sanctioned" and s.number in err.value.message
    from jineng.training.services import classes
    from jineng.training.tests.conftest import file_roster

    file_roster(world, draft)
    with pytest.raises(DomainError) as err:  # a draft made before cannot be submitted either
        classes.class_submit(actor=world.staff, training_class=draft, pledge=True, now=world.now)
    assert err.value.code == "organization_sanctioned"
    make_class("draft", provider=world.other, staff=world.other_staff)  # another provider is not touched
    sanction_lift(actor=world.province, sanction=s, reason="行政复议撤销")
    assert make_class("draft").pk


def test_a_suspension_holds_for_its_days_only(world, make_class, inspector):
    org = world.provider.organization
    s = sanction_decide(actor=inspector, organization=org, kind="suspend", days=30, reason="停业整顿一个月",
                        starts_on=world.today + dt.timedelta(days=1))  # fmt: skip
    assert make_class("draft").pk  # not in force before its start
    from jineng.providers.api import sanction_refusal

    assert sanction_refusal(org.pk, "class", world.today + dt.timedelta(days=1))
    assert sanction_refusal(org.pk, "class", s.ends_on)
    assert sanction_refusal(org.pk, "class", s.ends_on + dt.timedelta(days=1)) is None
    assert sanction_refusal(org.pk, "listing", s.ends_on) is None  # 停业整顿 does not touch the listing


def test_delisting_goes_through_the_catalogs_exit_and_blacklist_blocks_applying(world, inspector, make_user):
    from jineng.providers.models import ListingEvent, ProviderListing
    from jineng.providers.services.catalog import ScopeInput, application_create

    org = world.other.organization
    with pytest.raises(DomainError) as err:  # 移出目录 is the province's: not an inspector's
        sanction_decide(actor=inspector, organization=org, kind="delist", reason="连续两年考核不合格")
    assert err.value.status == 403
    s = sanction_decide(actor=world.province, organization=org, kind="delist", reason="连续两年考核不合格")
    listing = ProviderListing.objects.get(profile=world.other)
    assert listing.status == "exited"
    assert ListingEvent.objects.filter(listing=listing, kind="exited", reason="连续两年考核不合格").exists()
    with pytest.raises(DomainError) as err:  # nothing left to exit
        sanction_decide(actor=world.province, organization=org, kind="delist", reason="再次",
                        starts_on=s.starts_on + dt.timedelta(days=1))  # fmt: skip
    assert err.value.code == "not_listed"
    s = sanction_decide(actor=world.province, organization=org, kind="blacklist", years=1, reason="骗取补贴",
                        document_number="粤人社罚〔2026〕2号")  # fmt: skip
    sanction_approve(actor=make_user("province_official", region="440000"), sanction=s)
    with pytest.raises(DomainError) as err:
        application_create(actor=world.other_staff, profile=world.other, capacity_per_year=100,
                           scope=[ScopeInput("4-04-05-01", "grade4", "employment")])  # fmt: skip
    assert err.value.code == "organization_sanctioned"


def test_a_city_official_decides_within_the_city_only(world, make_user):
    org = world.provider.organization  # 天河, 广州
    sz = make_user("city_official", region="440300")
    with pytest.raises(DomainError) as err:
        sanction_decide(actor=sz, organization=org, kind="talk", reason="约谈")
    assert err.value.status == 403
    gz = make_user("city_official", region="440100")
    with pytest.raises(DomainError) as err:  # 黑名单 reaches the province: the province decides it
        sanction_decide(actor=gz, organization=org, kind="blacklist", years=2, reason="骗取补贴",
                        document_number="粤人社罚〔2026〕3号")  # fmt: skip
    assert err.value.status == 403
    assert sanction_decide(actor=gz, organization=org, kind="rectify", days=20, reason="整改台账").kind == "rectify"


def test_a_blacklist_marks_the_public_listing_and_a_revocation_exits_it(world, make_user, client):
    """docs/sanctions.md «目录标注»: a 黑名单 in force stays on the public catalog marked (so a trainee sees it);
    吊销许可 exits the listing through the catalog's own service when it takes effect (after the second person)."""
    from jineng.providers.models import ProviderListing

    org = world.other.organization
    second = make_user("province_official", region="440000")
    s = sanction_decide(actor=world.province, organization=org, kind="blacklist", years=2, reason="骗取补贴",
                        document_number="粤人社罚〔2026〕21号")  # fmt: skip
    assert "sanction-mark" not in client.get("/catalog/providers/?status=all").content.decode()  # pending: unmarked
    pending = client.get("/api/v1/public/providers?status=all&page_size=100").json()["items"]
    assert not any(row["sanction"] for row in pending)
    sanction_approve(actor=second, sanction=s)
    page = client.get("/catalog/providers/?status=all").content.decode()
    assert 'data-testid="sanction-mark"' in page and s.number in page
    # the open API carries the same mark on the listing (list and detail), the others' empty
    rows = client.get("/api/v1/public/providers?status=all&page_size=100").json()["items"]
    marked = {row["name"]: row["sanction"] for row in rows}
    assert s.number in marked[org.name] and "黑名单" in marked[org.name]
    assert not marked[world.provider.organization.name]
    [listing_id] = [row["id"] for row in rows if row["name"] == org.name]
    assert s.number in client.get(f"/api/v1/public/providers/{listing_id}").json()["sanction"]
    r = sanction_decide(actor=world.province, organization=org, kind="revoke", reason="伪造办学许可",
                        document_number="粤人社罚〔2026〕22号")  # fmt: skip
    assert ProviderListing.objects.get(profile=world.other).status != "exited"  # not before its approval
    sanction_approve(actor=second, sanction=r)
    assert ProviderListing.objects.get(profile=world.other).status == "exited"

"""Training records behind the indicators: finished enrollments (各类培训, 创业培训), the migrant-worker snapshot,
and a completion that shows in the next freshness run even though completion does not bump ``updated_at``.

The class comes through the training services (the training tests' fixtures); the enrollments' completion is
written the way ``training.completion`` writes it (a bulk update of status, completion date and ``ended_at``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from jineng.training.tests.conftest import make_class, world  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db

GD = "guangdong-2021"


@pytest.fixture
def enroll(make_class: Any, person: Any) -> Any:  # noqa: F811
    from jineng.training.models import Enrollment

    tc = make_class("approved")

    def make(region: str, completed_on: dt.date | None, groups: list[str] | None = None) -> Any:
        p = person(region)
        e = Enrollment.objects.create(
            training_class=tc, person=p, region_id=region, organization_id=tc.organization_id, source="page",
            enrolled_on=(completed_on or dt.date(2024, 1, 1)) - dt.timedelta(days=30), person_name=p.name,
            id_number_masked="1101**********0000", groups=groups or [],
        )  # fmt: skip
        if completed_on:
            complete(e, completed_on)
        return e

    return make


def complete(enrollment: Any, on: dt.date) -> None:
    from jineng.training.models import Enrollment

    Enrollment.objects.filter(pk=enrollment.pk).update(status="finished", completed_on=on, ended_at=timezone.now())


def test_finished_enrollments_count_as_training_person_times(fresh_rollups, enroll, read):
    enroll("440106", dt.date(2022, 6, 1))
    enroll("440106", dt.date(2023, 6, 1), groups=["migrant_worker"])
    enroll("440104", dt.date(2025, 3, 1))
    enroll("440106", None)  # still in training: not counted
    enroll("440106", dt.date(2020, 6, 1))  # before the plan
    expected = {"440106": 2, "440104": 1, "440100": 3, "440000": 3}
    for region, n in expected.items():
        assert read(GD, region, 2025)["vocational-training-all"]["actual"] == n, region
    assert read(GD, "440000", 2022)["vocational-training-all"]["actual"] == 1
    # Subsidized training needs the subsidies app's approved claims: until it offers them, "no data", never 0.
    item = read(GD, "440000", 2025, fresh=False)["subsidized-training"]
    migrant = read(GD, "440000", 2025, fresh=False)["subsidized-training-migrant-workers"]
    if item["actual"] is None:
        assert item["no_data_reason"] and migrant["actual"] is None
    else:
        assert migrant["actual"] <= item["actual"]


def test_a_completion_shows_in_the_next_refresh(fresh_rollups, enroll, read):
    e = enroll("440106", None)
    assert read(GD, "440100", 2025)["vocational-training-all"]["actual"] == 0
    complete(e, dt.date(2025, 2, 1))  # updated_at untouched, as training's bulk_update leaves it
    assert read(GD, "440100", 2025)["vocational-training-all"]["actual"] == 1


def _claim_for(enrollment: Any, status: str) -> Any:
    """A training-subsidy claim for the enrollment, stored the way the subsidies app stores it."""
    from jineng.subsidies.tests.scope import _claim

    enrollment.refresh_from_db()
    claim = _claim(enrollment.region_id, status=status)
    type(claim).objects.filter(pk=claim.pk).update(
        event_ref=str(enrollment.pk),
        event_key=f"enrollment:{enrollment.pk}",
        event_date=enrollment.completed_on,
        enrollment_id=enrollment.pk,
    )
    return claim


def test_subsidized_training_counts_enrollments_with_an_approved_claim(fresh_rollups, enroll, read):
    from jineng.subsidies.models import Claim

    paid = enroll("440106", dt.date(2025, 3, 1), groups=["migrant_worker"])
    enroll("440106", dt.date(2025, 4, 1))  # finished, no claim: not subsidized
    pending = enroll("440104", dt.date(2025, 5, 1))
    _claim_for(paid, "paid")
    pending_claim = _claim_for(pending, "first_passed")  # under review: not yet
    items = read(GD, "440000", 2025)
    assert items["subsidized-training"]["actual"] == 1
    assert items["subsidized-training-migrant-workers"]["actual"] == 1
    assert read(GD, "440106", 2025)["subsidized-training"]["actual"] == 1
    assert read(GD, "440104", 2025)["subsidized-training"]["actual"] == 0
    # approval of the pending claim shows in the next refresh, at the county, its city and its province
    Claim.objects.filter(pk=pending_claim.pk).update(status="approved", updated_at=timezone.now())
    for region, n in {"440104": 1, "440100": 2, "440000": 2}.items():
        assert read(GD, region, 2025)["subsidized-training"]["actual"] == n, region
    # a clawback removes the enrollment again
    Claim.objects.filter(event_ref=str(paid.pk)).update(status="clawed_back", updated_at=timezone.now())
    assert read(GD, "440100", 2025)["subsidized-training"]["actual"] == 1


def test_cluster_trainees_full_recompute_equals_counting_each_cell(fresh_rollups, make_class, person):  # noqa: F811
    """Persons trained in cluster-tagged programs, distinct within each year: the full recompute (one pass over all
    years) gives every cell the figure counted for that cell alone — a person trained twice in a year, in two
    counties, counts once in their common ancestors and once in each county."""
    from jineng.indicators.definitions import DEFINITIONS
    from jineng.indicators.models import DistinctCell
    from jineng.indicators.rollups import distinct_compute, needed_windows, recompute_definition
    from jineng.refdata.models import Tag, TagTaxonomy
    from jineng.training.models import Enrollment

    taxonomy, _ = TagTaxonomy.objects.get_or_create(code="guangdong-clusters",
                                                    defaults={"name": "广东省20个战略性产业集群", "region_id": "440000"})  # fmt: skip
    tag = Tag.objects.filter(taxonomy=taxonomy).first() or Tag.objects.create(taxonomy=taxonomy, code="t1", name="集群")
    tc = make_class("approved")
    tc.program.industry_tags.add(tag)
    people = [person("440106"), person("440303")]
    for who, region, day in [(0, "440106", dt.date(2022, 3, 1)), (0, "440104", dt.date(2022, 9, 1)),
                             (0, "440106", dt.date(2024, 3, 1)), (1, "440303", dt.date(2022, 5, 1))]:  # fmt: skip
        p = people[who]
        Enrollment.objects.create(
            training_class=tc, person=p, region_id=region, organization_id=tc.organization_id, source="page",
            enrolled_on=day - dt.timedelta(days=30), person_name=p.name, id_number_masked="1101**********0000",
            groups=[], status="finished", completed_on=day, ended_at=timezone.now(),
        )  # fmt: skip
    d = DEFINITIONS["cluster-trainees"]
    recompute_definition(d)
    stored = {(c.region_id, c.year, c.from_year): (c.tree, c.own) for c in DistinctCell.objects.filter(definition=d.id)}
    assert stored[("440000", 2022, 2022)][0] == 2  # person 0 twice in 2022 (two counties), person 1 once
    assert stored[("440100", 2022, 2022)] == (1, 0)
    regions = ["440000", "440100", "440104", "440106", "440300", "440303", "000000"]
    for y, from_year in sorted(needed_windows(d)):
        alone = distinct_compute(d, regions, y, from_year)
        for code in regions:
            assert stored.get((code, y, from_year), (0, 0)) == alone[code], (code, y, from_year)


def test_a_rural_labourer_counts_as_migrant_worker_once(fresh_rollups, enroll, read):
    """农村转移劳动力 are 农民工 in the plans' wording (docs/indicators.md); holding both groups counts once."""
    both = enroll("440106", dt.date(2025, 3, 1), groups=["rural_labor", "migrant_worker"])
    rural = enroll("440106", dt.date(2025, 3, 2), groups=["rural_labor"])
    other = enroll("440106", dt.date(2025, 3, 3), groups=["unemployed"])
    for e in (both, rural, other):
        _claim_for(e, "approved")
    items = read(GD, "440100", 2025)
    assert items["subsidized-training"]["actual"] == 3
    assert items["subsidized-training-migrant-workers"]["actual"] == 2

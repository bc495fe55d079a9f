"""A small labour market: officials of 广东 (a drafter and an approver), 天河 and 越秀, and helpers that write
vacancies and job-seeker registrations the way an import does."""

from __future__ import annotations

import datetime as dt
import itertools
from types import SimpleNamespace
from typing import Any

import pytest

# Subsidies' test world (policies, a provider, enrollments), for the float tests (test_subsidy_float.py).
from jineng.subsidies.tests.conftest import enrollment, person, world  # noqa: F401

_serial = itertools.count(1)
TODAY = dt.date.today()
WELDER, ELECTRICIAN, GUARD = "6-18-02-04", "6-31-01-03", "4-07-05-01"


@pytest.fixture
def lm(db: Any, make_user: Any) -> SimpleNamespace:
    return SimpleNamespace(
        drafter=make_user("province_official", region="440000", username="lm-drafter"),
        approver=make_user("province_official", region="440000", username="lm-approver"),
        city=make_user("city_official", region="440100", username="lm-city"),
        tianhe=make_user("county_official", region="440106", username="lm-tianhe"),
        inspector=make_user("inspector", region="440000", username="lm-inspector"),
    )


@pytest.fixture
def demand() -> Any:
    """demand(code, region, day, vacancies=n, seekers=m) → writes one posting of n openings and m registrations."""
    from jineng.labour_market.models import JobSeeker, Vacancy
    from jineng.refdata.api import Occupation

    def make(code: str, region: str, day: dt.date, *, vacancies: int = 0, seekers: int = 0) -> None:
        occupation = Occupation.objects.get(code=code, level="occupation")
        if vacancies:
            Vacancy.objects.create(ref=f"T-V-{next(_serial)}", employer_name="测试企业", occupation=occupation,
                                   region_id=region, count=vacancies, posted_on=day)  # fmt: skip
        JobSeeker.objects.bulk_create(
            [JobSeeker(ref=f"T-S-{next(_serial)}", occupation=occupation, region_id=region, registered_on=day)
             for _ in range(seekers)]
        )  # fmt: skip

    return make


def previous_quarter_days(count: int) -> list[dt.date]:
    """A day in each of the last ``count`` complete quarters, oldest first."""
    from jineng.labour_market.services import last_complete_quarter, quarter_bounds
    from jineng.rules.labour import previous_quarters

    year, quarter = last_complete_quarter(TODAY)
    return [quarter_bounds(y, q)[0] + dt.timedelta(days=10) for y, q in previous_quarters(year, quarter, count)]

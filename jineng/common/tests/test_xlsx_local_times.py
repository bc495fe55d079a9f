"""Found on the demo walk: an export wrote 提交时间 in UTC (22:30 where the page showed 06:30 the next day) and a
date (审核期限) as a midnight time. The shared xlsx writer writes the local (China) time the page shows, and dates
as dates — tested on the claims review export's and the persons export's own columns."""

from __future__ import annotations

import dataclasses
import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from openpyxl import load_workbook

from jineng.common.listing import ListSpec, write_xlsx
from jineng.registry.lists import PERSONS
from jineng.subsidies.lists import CLAIMS_REVIEW

UTC = dt.UTC


def _only(spec: ListSpec, *labels: str) -> ListSpec:
    return dataclasses.replace(spec, columns=tuple(c for c in spec.columns if str(c.label) in labels))


def _cells(spec: ListSpec, row: object) -> list:
    out, count = write_xlsx(spec, [row])
    assert count == 1
    return list(load_workbook(out).active.iter_rows(min_row=2, max_row=2))[0]


def test_the_claims_review_export_writes_local_times_and_dates_as_dates(settings) -> None:
    assert settings.TIME_ZONE == "Asia/Shanghai"
    spec = _only(CLAIMS_REVIEW, "提交时间", "审核期限")
    assert len(spec.columns) == 2
    claim = SimpleNamespace(submitted_at=dt.datetime(2026, 12, 7, 22, 30, tzinfo=UTC), review_due=dt.date(2026, 12, 8))
    submitted, due = _cells(spec, claim)
    assert submitted.value == dt.datetime(2026, 12, 8, 6, 30)  # China time, as the page shows
    assert submitted.number_format == "yyyy-mm-dd hh:mm"
    assert due.value.date() == dt.date(2026, 12, 8) and due.number_format == "yyyy-mm-dd"  # a date, no time


def test_the_persons_export_writes_local_times_and_dates_as_dates() -> None:
    spec = _only(PERSONS, "出生日期", "登记时间")
    assert len(spec.columns) == 2
    created = dt.datetime(2026, 3, 1, 8, 5, tzinfo=ZoneInfo("Asia/Shanghai")).astimezone(UTC)
    person = SimpleNamespace(birth_date=dt.date(1990, 5, 17), created_at=created)
    born, registered = _cells(spec, person)
    assert born.number_format == "yyyy-mm-dd" and born.value.date() == dt.date(1990, 5, 17)
    assert registered.value == dt.datetime(2026, 3, 1, 8, 5)

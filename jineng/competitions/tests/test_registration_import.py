"""Bulk registration through the import framework: the same checks as the one-record service, each error naming its
row, field and reason; strict imports write nothing when a row fails; a re-import creates nothing twice."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from jineng.competitions.models import Contestant
from jineng.competitions.tests.conftest import make_person
from jineng.imports.api import Context, importer_for
from jineng.imports.framework import run_import
from jineng.imports.tests.helpers import write_csv
from jineng.registry.tests.factories import id18

pytestmark = pytest.mark.django_db

HEADER = ["姓名", "身份证号码", "团队"]


def _run(tmp_path, actor, rows, *, event="", mode="partial"):
    issues = []
    path = write_csv(tmp_path / "reg.csv", [HEADER, *rows])
    ctx = Context(actor=actor, mode=mode, region_code="", today=timezone.localdate(), options={"event": event})
    result = run_import(importer=importer_for("competition_registration"), path=path, ctx=ctx,
                        on_issue=issues.append)  # fmt: skip
    return result, {(i.row, i.column, i.code) for i in issues}, issues


def test_an_enterprise_imports_its_workers_with_every_bad_row_named(world, make_event, tmp_path):
    event = make_event(starts_on=timezone.localdate() + dt.timedelta(days=30))
    ok = [id18("440106") for _ in range(2)]
    for name, number in zip(("王焊", "赵焊"), ok, strict=True):
        make_person(region="440106", name=name, id_number=number)
    old = id18("440106", born=dt.date(1940, 1, 1))
    make_person(region="440106", name="老焊", id_number=old, birth_date=dt.date(1940, 1, 1))
    rows = [
        ["王焊", ok[0], "天河一队"],
        ["赵焊", ok[1], ""],
        ["无名", id18("440106"), ""],  # row 4: not in the registry
        ["钱焊", ok[0], ""],  # row 5: the same person again in the file
        ["王汉", ok[1], ""],  # row 6: name differs from the registry (and already in the file)
        ["老焊", old, ""],  # row 7: over the age admitted on the first day
    ]
    result, found, issues = _run(tmp_path, world.hr, rows, event=event.code, mode="strict")
    assert result.outcome == "rejected" and not Contestant.objects.filter(event=event).exists()
    assert {(4, "id_number", "contestant_not_in_registry"), (5, "id_number", "duplicate_registration"),
            (7, "id_number", "age_not_eligible")} <= found  # fmt: skip
    assert any(r == 6 for r, _c, _code in found)
    assert all(i.value == "" or "*" in i.value for i in issues if i.column == "id_number")  # masked in the report

    result, _found, _issues = _run(tmp_path, world.hr, rows, event=event.code)
    assert result.written and result.created == 2 and result.rows_failed == 4
    registered = Contestant.objects.filter(event=event).order_by("name")
    assert {c.name for c in registered} == {"王焊", "赵焊"}
    assert {c.organization_id for c in registered} == {world.enterprise.pk}
    assert registered.get(name="王焊").team_name == "天河一队"

    again, found, _issues = _run(tmp_path, world.hr, rows[:2], event=event.code)
    assert again.created == 0 and (2, "id_number", "duplicate_registration") in found
    assert Contestant.objects.filter(event=event).count() == 2


def test_the_file_is_refused_without_an_event_the_user_may_register_for(world, make_event, tmp_path):
    draft = make_event(starts_on=timezone.localdate() + dt.timedelta(days=30), approve=False)
    shandong = make_event(starts_on=timezone.localdate() + dt.timedelta(days=30), region="370000")
    row = [["王焊", id18("440106"), ""]]
    assert _run(tmp_path, world.hr, row)[0].refusal_code == "event_required"
    for code in (draft.code, shandong.code, "NOPE"):
        refused = _run(tmp_path, world.hr, row, event=code)[0]
        assert refused.outcome == "refused" and refused.refusal_code == "unknown_event", code


def test_the_organizer_imports_for_its_own_event(world, make_event, tmp_path):
    event = make_event(starts_on=timezone.localdate() + dt.timedelta(days=30))
    number = id18("440106")
    make_person(region="440106", name="孙焊", id_number=number)
    result = _run(tmp_path, world.staff, [["孙焊", number, ""]], event=event.code)[0]
    assert result.created == 1
    assert Contestant.objects.get(event=event).organization_id == world.organizer.pk

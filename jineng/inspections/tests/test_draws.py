"""A draw anyone can re-check (issue 18, done-when): the commitment is published first, the lists are frozen with
their hash, the draw runs and publishes its seed and result, and the standalone script re-runs the published JSON to
the same result. Bad plans are refused with the reason; a redraw is a new audited draw."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from jineng.common.errors import DomainError
from jineng.inspections import services
from jineng.inspections.models import DrawStatus, InspectionTask
from jineng.rules import draw as D

pytestmark = pytest.mark.django_db
SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "verify_draw.py"


def test_a_published_draw_is_re_run_by_the_standalone_script_to_the_same_result(world, client, tmp_path):
    official = world["official"]
    draw = services.draw_create(actor=official, region_code="440106", title="2026年第四季度抽查",
                            kinds=["provider"], count=3, per_task=2)  # fmt: skip
    committed = client.get(f"/api/v1/inspections/draws/{draw.pk}")  # not signed in: 401/403
    assert committed.status_code in (401, 403)
    before = services.draw_published_json(draw)
    assert before["commitment"] == draw.commitment and before["seed"] is None and before["lists"] is None

    draw = services.draw_freeze(actor=official, draw=draw)
    assert draw.status == DrawStatus.FROZEN and draw.lists_sha256 == D.lists_hash(draw.lists)
    assert services.draw_published_json(draw)["seed"] is None  # the seed stays secret until the run
    draw = services.draw_run(actor=official, draw=draw)
    assert draw.status == DrawStatus.DRAWN and len(draw.result) == 3
    assert D.commitment_of(draw.seed) == before["commitment"]
    assert InspectionTask.objects.filter(draw=draw).count() == 3

    r = client.get(f"/public/inspections/{draw.number}.json")
    assert r.status_code == 200
    path = tmp_path / "draw.json"
    path.write_bytes(r.content)
    out = subprocess.run([sys.executable, str(SCRIPT), str(path)], capture_output=True, text=True, check=False)  # noqa: S603
    assert out.returncode == 0, out.stdout + out.stderr
    assert "OK: same result" in out.stdout
    for n, row in enumerate(draw.result, 1):
        assert f"{n}. {row['object']}  <- {', '.join(row['inspectors'])}" in out.stdout

    tampered = json.loads(r.content)
    tampered["result"][0]["inspectors"] = ["JC-someone-else"]
    path.write_text(json.dumps(tampered), encoding="utf-8")
    bad = subprocess.run([sys.executable, str(SCRIPT), str(path)], capture_output=True, text=True, check=False)  # noqa: S603
    assert bad.returncode == 1 and "MISMATCH" in bad.stdout

    page = client.get("/public/inspections/").content.decode()
    assert draw.number in page and f"{draw.number}.json" in page
    assert client.get("/public/inspections/verify_draw.py").content == SCRIPT.read_bytes()


def test_an_inspector_working_for_the_object_is_never_drawn_for_it(world, make_user):
    from jineng.accounts.services import grant_create

    org = world["orgs"][0]
    grant_create(actor=None, user=world["inspectors"][0], function="provider_staff", organization=org)
    draw = services.draw_create(actor=world["official"], region_code="440106", title="回避", kinds=["provider"],
                                count=5, per_task=2, risk_weighting=False)  # fmt: skip
    draw = services.draw_freeze(actor=world["official"], draw=draw)
    code = world["members"][0].code
    assert [code, str(org.pk)] in draw.lists["conflicts"]
    draw = services.draw_run(actor=world["official"], draw=draw)
    row = next(r for r in draw.result if r["object"] == str(org.pk))
    assert code not in row["inspectors"]
    # rotation: the next draw may not give this object the same inspectors again
    previous = set(row["inspectors"])
    nxt = services.draw_freeze(actor=world["official"], draw=services.draw_create(
        actor=world["official"], region_code="440106", title="轮换", kinds=["provider"], count=5, per_task=1,
        risk_weighting=False))  # fmt: skip
    assert set(nxt.lists["previous"][str(org.pk)]) == previous
    nxt = services.draw_run(actor=world["official"], draw=nxt)
    again = next(r for r in nxt.result if r["object"] == str(org.pk))
    assert not previous & set(again["inspectors"])


def test_an_empty_list_or_more_inspectors_than_the_pool_is_refused_with_the_reason(world):
    draw = services.draw_create(actor=world["official"], region_code="440106", title="空名录", kinds=["enterprise"],
                            count=1)  # fmt: skip
    with pytest.raises(DomainError) as exc:
        services.draw_freeze(actor=world["official"], draw=draw)
    assert exc.value.code == "empty_objects" and "为空" in exc.value.message
    draw = services.draw_create(actor=world["official"], region_code="440106", title="人手不足", kinds=["provider"],
                            count=1, per_task=5)  # fmt: skip
    with pytest.raises(DomainError) as exc:
        services.draw_freeze(actor=world["official"], draw=draw)
    assert exc.value.code == "too_many_inspectors" and "4" in exc.value.message
    draw = services.draw_create(actor=world["official"], region_code="440106", title="过多", kinds=["provider"],
                            count=9)  # fmt: skip
    services.draw_freeze(actor=world["official"], draw=draw)
    with pytest.raises(DomainError) as exc:
        services.draw_run(actor=world["official"], draw=draw)
    assert exc.value.code == "too_many_objects"
    with pytest.raises(DomainError) as exc:
        services.draw_create(actor=world["official"], region_code="440106", title="x", kinds=[], count=1)
    assert exc.value.code == "bad_choice"
    with pytest.raises(DomainError) as exc:
        services.draw_create(actor=world["official"], region_code="440106", title="x", kinds=["provider"], count=1,
                         percent=10)  # fmt: skip
    assert exc.value.code == "bad_count"


def test_a_redraw_is_a_new_audited_draw_with_its_reason_and_cancels_the_old_tasks(world):
    from jineng.common.audit.models import AuditEntry

    draw = services.draw_run(actor=world["official"], draw=services.draw_freeze(
    actor=world["official"], draw=services.draw_create(actor=world["official"], region_code="440106",
                                                       title="重抽", kinds=["provider"], count=2)))  # fmt: skip
    with pytest.raises(DomainError):
        services.draw_redraw(actor=world["official"], draw=draw, reason="  ")
    new = services.draw_redraw(actor=world["official"], draw=draw, reason="名录漏列一家机构")
    draw.refresh_from_db()
    assert draw.status == DrawStatus.SUPERSEDED and new.replaces_id == draw.pk
    assert new.redraw_reason == "名录漏列一家机构" and new.commitment != draw.commitment
    assert set(draw.tasks.values_list("status", flat=True)) == {"cancelled"}
    assert AuditEntry.objects.filter(action="inspections.draw_supersede", object_id=str(draw.pk),
                                  reason="名录漏列一家机构").exists()  # fmt: skip


def test_the_pool_takes_inspectors_only_and_once(world, make_user):
    official = make_user("city_official", region="440100")
    with pytest.raises(DomainError) as exc:
        services.pool_add(actor=official, user=official, region_code="440106")
    assert exc.value.code == "not_inspector"
    with pytest.raises(DomainError) as exc:
        services.pool_add(actor=official, user=world["inspectors"][0], region_code="440106")
    assert exc.value.code == "already_in_pool"


def test_too_few_eligible_inspectors_is_refused_in_the_readers_language(world):
    """The refusal named its object through the algorithm's Chinese sentence under English (the walk); it is worded
    here from the facts the algorithm gives: the object's name and how many inspectors are left."""
    from django.utils import translation

    official = world["official"]
    draw = services.draw_create(actor=official, region_code="440106", title="回避不足", kinds=["provider"],
                                count=5, per_task=4)  # fmt: skip
    draw = services.draw_freeze(actor=official, draw=draw)
    oid = draw.lists["objects"][0]["id"]
    draw.lists["conflicts"] = [[draw.lists["inspectors"][0], oid]]  # one of the four must recuse: three are left
    draw.save(update_fields=["lists"])
    name = draw.labels[oid]["name"]
    with translation.override("en"), pytest.raises(DomainError) as err:
        services.draw_run(actor=official, draw=draw)
    assert err.value.code == "too_few_eligible" and name in err.value.message and "3" in err.value.message
    assert "回避" not in err.value.message and "名" not in err.value.message.replace(name, "")
    with translation.override("zh-hans"), pytest.raises(DomainError) as err:
        services.draw_run(actor=official, draw=draw)
    assert "回避" in err.value.message and name in err.value.message

"""Bases and studios, counted by region through the closure table and by year."""

from __future__ import annotations

import pytest

from jineng.common.errors import Conflict, PermissionDenied, ValidationFailed
from jineng.providers.api import bases_count
from jineng.providers.errors import TransitionRefused
from jineng.providers.services.bases import BaseData, base_create, base_revoke

pytestmark = pytest.mark.django_db


def _base(actor, name, region, kind="master_studio", level="provincial", year=2021, **kw):
    return base_create(
        actor=actor,
        data=BaseData(kind=kind, name=name, level=level, approval_year=year, region=region, host_name="某依托单位"),
        **kw,
    )


def test_bases_are_counted_by_kind_level_region_and_year(officials):
    p = officials.province
    _base(p, "天河大师工作室", "440106", year=2021)
    _base(p, "越秀大师工作室", "440104", year=2023)
    _base(p, "罗湖大师工作室", "440303", year=2021)
    _base(p, "广州市级工作室", "440100", level="municipal", year=2022)  # a city's own (本级) base
    _base(p, "天河实训基地", "440106", kind="public_training", level="national", year=2020)
    revoked = _base(p, "撤销的工作室", "440106", year=2019)
    base_revoke(actor=p, base=revoked, year=2022, reason="考核不合格")

    assert bases_count("master_studio", "provincial", "440000", 2023) == 3  # revoked in 2022: no longer counted
    assert bases_count("master_studio", "provincial", "440000", 2021) == 3  # 2 of 2021 + the one revoked later
    assert bases_count("master_studio", "provincial", "440100", 2023) == 2  # 天河 + 越秀, not 罗湖
    assert bases_count("master_studio", "provincial", "440100", 2022) == 1
    assert bases_count("master_studio", "provincial", "440106", 2020) == 1  # only the later-revoked one existed
    assert bases_count("master_studio", "municipal", "440100", 2023) == 1
    assert bases_count("master_studio", "", "440100", 2023) == 3
    assert bases_count("public_training", "national", "440000", 2023) == 1
    assert bases_count("", "", "440303", 2023) == 1
    assert bases_count("master_studio", "provincial", "110000", 2023) == 0


def test_who_enters_which_level(officials):
    with pytest.raises(PermissionDenied):
        _base(officials.city, "省级", "440106", level="provincial")
    _base(officials.city, "市级", "440106", level="municipal")
    with pytest.raises(PermissionDenied):
        _base(officials.shenzhen, "别人的", "440106", level="municipal")
    with pytest.raises(PermissionDenied):
        _base(officials.county, "县里", "440106", level="municipal")


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("kind", "castle", "bad_choice"),
        ("level", "galactic", "bad_choice"),
        ("approval_year", 1900, "out_of_range"),
        ("region", "449999", "unknown_region"),
    ],
)
def test_bad_base_input_is_refused(officials, field, value, code):
    data = BaseData(
        kind="master_studio", name="x", level="provincial", approval_year=2021, region="440106", host_name="h"
    )
    setattr(data, field, value)
    with pytest.raises(ValidationFailed) as exc:
        base_create(actor=officials.province, data=data)
    assert code in {f.code for f in exc.value.fields}


def test_duplicates_and_double_revocation_are_refused(officials, person):
    base = _base(officials.province, "张师傅技能大师工作室", "440106", master=person("张师傅"))
    assert base.master.name == "张师傅"
    with pytest.raises(Conflict):
        _base(officials.province, "张师傅技能大师工作室", "440106")
    base_revoke(actor=officials.province, base=base, year=2024, reason="撤销")
    with pytest.raises(TransitionRefused):
        base_revoke(actor=officials.province, base=base, year=2025, reason="again")
    with pytest.raises(ValidationFailed):
        _base(officials.province, "实训基地", "440106", kind="public_training", master=person())

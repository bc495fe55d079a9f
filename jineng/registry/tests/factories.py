"""Test helpers: valid ID numbers, persons."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from jineng.rules.idcard import check_character

_seq = itertools.count(1)


def id18(region: str = "440106", born: dt.date = dt.date(1990, 3, 7), seq: int | None = None) -> str:
    number = seq if seq is not None else next(_seq) % 1000
    body = f"{region}{born:%Y%m%d}{number:03d}"
    return body + check_character(body)


def id15_of(number18: str) -> str:
    return number18[:6] + number18[8:17]


def make_person(region: str = "440106", name: str = "张三", **kw: Any) -> Any:
    from jineng.registry.services.persons import person_create

    kw.setdefault("id_number", id18(region))
    kw.setdefault("phone", "13800138000")
    return person_create(actor=None, name=name, residence_region=region, check_permission=False, **kw)

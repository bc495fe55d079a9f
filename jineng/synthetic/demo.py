"""The demo data set's population: a few hundred persons of 广州 and 深圳, registered through the registry's own
service (``registry.api.person_create``: validation, encryption, keyed hashes, audit), drawn from the same synthetic
population as the bulk generator (calibrated group shares, Faker zh_CN names and phones, valid ID numbers).

The other apps' demo functions (training classes and rosters, exams and certificates, claims) build on these persons;
``demo_persons()`` gives them back in a stable order. Idempotent: a person already registered is left alone.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable
from typing import Any

import numpy as np

from jineng.synthetic.calibration import DEMO
from jineng.synthetic.runner import build_plan

DEMO_PERSONS = 380  # enough persons for the rosters of every demo class (36 classes of 5 to 15 trainees: 363)


# The groups the plans name beside the synthetic world's calibrated ones (docs/registry.md).
PLAN_GROUPS = ("community_corrections", "retired_fisher", "struggling_worker_family", "labor_preparatory",
               "graduating_student", "high_quality_farmer")  # fmt: skip


def seed_demo_persons(*, seed: int = 2026, count: int = DEMO_PERSONS, stdout: Any = None) -> int:
    """Register ``count`` demo persons (skipping those already registered); returns how many were created."""
    from jineng.registry.api import MembershipInput, person_create, person_resolve

    plan = build_plan(seed=seed, persons=count, anomalies=False, cal=DEMO)
    people = plan.pop.persons(np.arange(count, dtype=np.int64))
    codes = plan.group_codes
    ghosts = plan.pop.ghost_codes
    names = unique_names([str(n) for n in people["name"]], [str(n) for n in people["id_number"]], seed=seed)
    created = 0
    for k in range(count):
        number = str(people["id_number"][k])
        if person_resolve(number) is not None:
            continue
        group = int(people["group"][k])
        born = dt.date.fromisoformat(str(people["birth_date"][k]))
        groups = []
        if group not in ghosts:
            code = codes[group]
            graduation = born.year + 22 if code == "college_graduate" else None
            groups.append(MembershipInput(group=code, valid_from=_registered_on(k), graduation_year=graduation,
                                          source="演示数据"))  # fmt: skip
        if k % 40 == 7:  # a few hold one of the groups the plans name besides (社区矫正对象, 退捕渔民 …), for the lists
            extra = PLAN_GROUPS[(k // 40) % len(PLAN_GROUPS)]
            groups.append(MembershipInput(group=extra, valid_from=_registered_on(k), source="演示数据"))
        person_create(
            actor="seed",
            name=names[k],
            id_number=number,
            phone=str(people["phone"][k]),
            residence_region=str(people["residence"][k]),
            hukou_type="agricultural" if people["agricultural"][k] else "non_agricultural",
            education=str(people["education"][k]),
            groups=groups,
            source="import",
            check_permission=False,
        )
        created += 1
    if stdout is not None:
        stdout.write(f"Demo persons: {created} registered now, {count - created} already there ({count} in 广州 and "
                     "深圳).\n")  # fmt: skip
    return created


# The names the other demo modules give their hand-picked persons (teachers, examiners, candidates, hires, agents —
# ``jineng seed`` creates them after these): a drawn name avoids them, so that no two demo persons share a name.
HAND_PICKED_NAMES = frozenset(
    "何建新 何志强 刘建国 刘振邦 吴国栋 吴俊辉 吴海涛 周敏 周雅琴 孙伟 张伟东 曾志明 李明 李秀英 林晓东 林淑芬 林美玲 潘伟强 "
    "王建华 王晓红 罗国强 莫俊杰 蓝晓雯 许文斌 赵丽娜 邱健华 郑丽华 郑海涛 郭美华 钟丽萍 陈志强 陈晓峰 陈晓燕 韦嘉豪 黄丽娟 "
    "黄小梅 黄淑仪 黄志强".split()
)


def unique_names(
    names: list[str], id_numbers: list[str], *, seed: int, reserved: Iterable[str] = HAND_PICKED_NAMES
) -> list[str]:
    """The drawn names made unique (issue 15: Faker's common names gave seven pairs among 400 demo persons — two
    王丽娟 in one list read as a duplicate record): a name already taken, or reserved, keeps its surname and draws a
    new given name for the person's sex (the ID number's 17th digit), from a generator seeded by the seed and the
    person's place — the same names on every run."""
    from faker.providers.person.zh_CN import Provider as FakerPerson

    taken = set(reserved)
    out = []
    for k, (name, number) in enumerate(zip(names, id_numbers, strict=True)):
        rng = random.Random(f"{seed}:{k}")  # noqa: S311 - demo names, not secrets
        given = FakerPerson.first_names_male if int(number[16]) % 2 else FakerPerson.first_names_female
        single = [g for g in given if len(g) == 1]
        surname = name[:2] if name[:2] in FakerPerson.last_names else name[:1]
        while name in taken:
            first = rng.choice(given)
            name = surname + first + (rng.choice(single) if len(first) == 1 and rng.random() < 0.7 else "")
        taken.add(name)
        out.append(name)
    return out


def _registered_on(k: int) -> dt.date:
    """When the ``k``-th demo person's group was registered: a day of 2021 (issue 15: every demo person's group read
    “自 2021-01-01”), before the first demo class (March 2022)."""
    return dt.date(2021, 1, 4) + dt.timedelta(days=(k * 37) % 350)


def demo_person_numbers(*, seed: int = 2026, count: int = DEMO_PERSONS) -> list[str]:
    """The demo persons' ID numbers, in a stable order (for other apps' demo rosters)."""
    plan = build_plan(seed=seed, persons=count, anomalies=False, cal=DEMO)
    return [str(x) for x in plan.pop.persons(np.arange(count, dtype=np.int64))["id_number"]]

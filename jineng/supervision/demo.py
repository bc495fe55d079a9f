"""The demo's supervision data: believable fraud planted through the owning apps' services, then a full scan, so the
inspector (demo-inspector) and the officials find cases waiting (docs/demo.md).

- an agent (中介) registered six trainees in 天河 with their own phone (shared_phone);
- a trainee of a demo class whose registry record says retired since before the class, with a claim behind it
  (ghost_trainee — confirming it puts that claim on hold);
- the far check-ins are moved by the seed command itself (it writes attendance the way fixtures do).
Idempotent: the persons are found by their numbers, the scan finds the same cases again."""

from __future__ import annotations

import datetime as dt
from typing import Any

from jineng.rules.idcard import check_character

AGENT_PHONE = "13926000000"
AGENT_PERSONS = ["陈晓燕", "黄志强", "林美玲", "吴国栋", "郑丽华", "何建新"]


def _number(seq: int) -> str:
    body = f"440106{dt.date(1979, 3, 1) + dt.timedelta(days=seq * 211):%Y%m%d}{700 + seq:03d}"
    return body + check_character(body)


def seed_demo(stdout: Any) -> int:
    from jineng.registry.api import employment_add, person_create, person_resolve
    from jineng.subsidies.api import LIVE_STATUSES, Claim
    from jineng.supervision.models import Scan
    from jineng.supervision.services import scan_run

    for seq, name in enumerate(AGENT_PERSONS):
        if person_resolve(_number(seq)) is None:
            person_create(actor="seed", name=name, id_number=_number(seq), phone=AGENT_PHONE,
                          residence_region="440106", source="manual", check_permission=False)  # fmt: skip
    claim = (Claim.objects.filter(status__in=LIVE_STATUSES, enrollment__isnull=False)
             .select_related("enrollment").order_by("number").first())  # fmt: skip
    if claim is not None:
        from jineng.registry.api import EmploymentRecord, Person

        person = Person.objects.get(pk=claim.person_id)
        if not EmploymentRecord.objects.filter(person=person, status="retired").exists():
            employment_add(actor="seed", person=person, status="retired", source="社保退休待遇领取记录（演示）",
                           started_on=claim.enrollment.enrolled_on - dt.timedelta(days=400))  # fmt: skip
    scan = Scan.objects.create(region_id="440000", rules=[], progress_total=0)
    from jineng.rules.supervision import RULES

    scan.rules, scan.progress_total = list(RULES), len(RULES)
    scan.save(update_fields=["rules", "progress_total"])
    scan = scan_run(scan)
    found = sum(int(v["hits"]) for v in scan.found.values())
    per_rule = ", ".join(f"{rule} {counts['hits']}" for rule, counts in scan.found.items() if counts["hits"])
    stdout.write(f"Demo supervision scan: {found} cases ({per_rule}).\n")
    return found

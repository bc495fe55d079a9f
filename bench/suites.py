"""The benchmarks. Each measures our path and a raw baseline on the same rows in the same run."""

from __future__ import annotations

import uuid

from django.db import connection, transaction

from bench.core import Result, Timer, bench, peak_mib


@bench("audit_append")
def audit_append(scale: str, n: int) -> Result:
    """Hash-chained, locked audit appends vs a plain INSERT of the same columns (no chain, no lock)."""
    from jineng.common.audit.services import audit_record

    n = min(n, 20_000)  # appends are one transaction each; the per-append cost is what matters
    with Timer() as ours:
        for i in range(n):
            audit_record(
                actor=None, action="bench", object_type="bench", object_id=str(i), region_code="440106", after={"i": i}
            )
    with connection.cursor() as cur:
        cur.execute("CREATE TEMP TABLE bench_audit (LIKE common_auditentry INCLUDING ALL)")
    rows = [
        (
            str(uuid.uuid4()),
            10_000_000 + i,
            "bench",
            "bench",
            str(i),
            "440106",
            "{}",
            "",
            "",
            "",
            "0" * 64,
            "0" * 64,
            "",
        )
        for i in range(n)
    ]
    with Timer() as base:
        for row in rows:
            with transaction.atomic(), connection.cursor() as cur:
                cur.execute(
                    "INSERT INTO bench_audit (id, seq, action, object_type, object_id, region_code, after, reason, address, "
                    "request_id, prev_hash, hash, actor_name, at) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s, now())",
                    row,
                )
    return Result(
        "audit_append",
        scale,
        n,
        ours.seconds,
        base.seconds,
        ours.seconds / base.seconds,
        peak_mib(),
        "INSERT per row, one transaction each, no chain",
    )


@bench("scoped_list_county")
def scoped_list_county(scale: str, n: int) -> Result:
    """A county official's first page of the audit list through visible() vs the raw SQL of the same page."""
    from jineng.accounts.models import User
    from jineng.accounts.scope import visible
    from jineng.accounts.services import grant_create
    from jineng.common.models import AuditEntry

    user = User.objects.filter(username="bench-county").first()
    if user is None:
        user = User.objects.create_user(username="bench-county", password=None)
        grant_create(actor=None, user=user, function="county_official", region_code="440106")
    repeats = 200
    with Timer() as ours:
        for _ in range(repeats):
            u = User.objects.get(pk=user.pk)
            list(visible(AuditEntry, u, "audit.view").order_by("-seq").values_list("id", flat=True)[:50])
    with Timer() as base:
        for _ in range(repeats):
            with connection.cursor() as cur:
                cur.execute(
                    "SELECT id FROM common_auditentry WHERE region_code IN "
                    "(SELECT descendant_id FROM refdata_regionclosure WHERE ancestor_id = %s) ORDER BY seq DESC LIMIT 50",
                    ["440106"],
                )
                cur.fetchall()
    return Result(
        "scoped_list_county",
        scale,
        repeats,
        ours.seconds,
        base.seconds,
        ours.seconds / base.seconds,
        peak_mib(),
        "raw SQL of the same page",
    )

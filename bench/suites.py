"""The benchmarks. Each measures our path and a raw baseline on the same rows in the same run."""

from __future__ import annotations

import uuid

from django.db import connection, transaction

from bench import workloads  # noqa: F401 - registers the data set first, then imports and load (bench/README.md)
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


def _indicator_bases(n: int) -> int:
    """n bases and studios attributed to random Guangdong counties and years (the rows the recompute groups)."""
    import random

    from jineng.providers.api import TrainingBase
    from jineng.refdata.models import Region

    have = TrainingBase.objects.filter(name__startswith="bench-ind-").count()
    if have >= n:
        return have
    rng = random.Random(9)
    counties = list(
        Region.objects.current().filter(level="county", code__startswith="44").values_list("code", flat=True)
    )
    rows = [
        TrainingBase(kind="public_training", name=f"bench-ind-{i}", level=rng.choice(["provincial", "municipal"]),
                     approval_year=rng.randint(2016, 2025), region_id=rng.choice(counties), host_name="bench")
        for i in range(have, n)
    ]  # fmt: skip
    TrainingBase.objects.bulk_create(rows, batch_size=5000)
    return n


@bench("indicators_recompute")
def indicators_recompute(scale: str, n: int) -> Result:
    """Full recompute of one additive flow (GROUP BY region, year in the database + writing the cells) vs the same
    GROUP BY in DuckDB over the same rows exported to Parquet (export included)."""
    from jineng.indicators.definitions import DEFINITIONS
    from jineng.indicators.rollups import recompute_definition

    rows = _indicator_bases(n)
    d = DEFINITIONS["public-training-bases-approved"]
    recompute_definition(d)  # warm
    with Timer() as ours:
        recompute_definition(d, engine="sql")
    with Timer() as base:
        recompute_definition(d, engine="duckdb")
    return Result("indicators_recompute", scale, rows, ours.seconds, base.seconds, ours.seconds / base.seconds,
                  peak_mib(), "DuckDB over Parquet (export + GROUP BY)")  # fmt: skip


@bench("indicators_api")
def indicators_api(scale: str, n: int) -> Result:
    """GET /api/v1/indicators for a province, a city and a county (p50/p95 over repeated requests) vs the raw SQL
    sum of one indicator's cells over the province's subtree."""
    import statistics

    from django.test import Client

    from jineng.accounts.models import User
    from jineng.accounts.services import grant_create
    from jineng.indicators.rollups import recompute_all
    from jineng.refdata.loaders import LOADERS

    for part in ("levels", "certificate_kinds", "industries", "plans", "plan_targets"):
        LOADERS[part](None)
    rows = _indicator_bases(n)
    recompute_all(plan_code="guangdong-2021")
    user = User.objects.filter(username="bench-province").first()
    if user is None:
        user = User.objects.create_user(username="bench-province", password=None)
        grant_create(actor=None, user=user, function="province_official", region_code="440000")
    client = Client(SERVER_NAME="127.0.0.1")  # an allowed host of the dev settings
    client.force_login(user)
    repeats = 30
    stats: dict[str, tuple[float, float]] = {}
    for region in ("440000", "440100", "440106"):
        times = []
        for _ in range(repeats):
            with Timer() as t:
                response = client.get(f"/api/v1/indicators?plan=guangdong-2021&region={region}&year=2025")
            assert response.status_code == 200, response.content
            times.append(t.seconds)
        times.sort()
        stats[region] = (statistics.median(times), times[int(0.95 * (len(times) - 1))])
    with Timer() as base:
        for _ in range(repeats):
            with connection.cursor() as cur:
                cur.execute(
                    "SELECT SUM(r.value) FROM indicators_rollupcell r JOIN refdata_regionclosure c "
                    "ON c.descendant_id = r.region_id WHERE r.definition = %s AND c.ancestor_id = %s",
                    ["public-training-bases-approved", "440000"],
                )
                cur.fetchall()
    note = "; ".join(f"{r} p50 {a * 1000:.1f} ms p95 {b * 1000:.1f} ms" for r, (a, b) in stats.items())
    return Result("indicators_api", scale, rows, stats["440000"][0], base.seconds / repeats,
                  stats["440000"][0] / (base.seconds / repeats), peak_mib(), "raw SQL sum of one indicator's cells",
                  note)  # fmt: skip

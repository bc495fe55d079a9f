"""The benchmarks. Each measures our path and a raw baseline on the same rows in the same run."""

from __future__ import annotations

import uuid
from typing import Any

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


# ---- indicators (helper E) -------------------------------------------------------------------------------------------

# The rows every definition of the platform reads, exported once per source for the DuckDB baseline: raw SQL of the
# same filters as jineng/indicators/sources.py (finished enrollments, valid certificates of the two levelled kinds,
# apprentices, bases), with the flags the narrower definitions filter on.
_IND_EXPORTS = {
    "e": (
        "SELECT e.region_id, EXTRACT(YEAR FROM e.completed_on)::int, e.person_id::text, "
        "c.training_kind = 'entrepreneurship', c.program_id IN (SELECT pt.program_id FROM "
        "providers_program_industry_tags pt JOIN refdata_tag t ON t.id = pt.tag_id "
        "WHERE t.taxonomy_id = 'guangdong-clusters'), e.groups ? 'migrant_worker', {approved} "
        "FROM training_enrollment e JOIN training_trainingclass c ON c.id = e.training_class_id "
        "WHERE e.status = 'finished' AND e.completed_on IS NOT NULL",
        {
            "r": "VARCHAR",
            "y": "INTEGER",
            "p": "VARCHAR",
            "ent": "BOOLEAN",
            "cl": "BOOLEAN",
            "mw": "BOOLEAN",
            "sub": "BOOLEAN",
        },
    ),
    "c": (
        "SELECT c.region_id, EXTRACT(YEAR FROM c.issued_on)::int, c.person_id::text, COALESCE(l.is_high_skill, false) "
        "FROM certificates_certificate c LEFT JOIN refdata_skilllevel l ON l.code = c.level_id "
        "WHERE c.status = 'valid' AND c.kind_id IN ('qualification', 'skill_level')",
        {"r": "VARCHAR", "y": "INTEGER", "p": "VARCHAR", "hs": "BOOLEAN"},
    ),
    "a": (
        "SELECT region_id, EXTRACT(YEAR FROM joined_on)::int, person_id::text FROM training_apprentice",
        {"r": "VARCHAR", "y": "INTEGER", "p": "VARCHAR"},
    ),
    "b": (
        "SELECT region_id, approval_year, revoked_year, kind, level FROM providers_trainingbase",
        {"r": "VARCHAR", "y": "INTEGER", "e": "INTEGER", "kind": "VARCHAR", "level": "VARCHAR"},
    ),
    "closure": (
        "SELECT ancestor_id, descendant_id FROM refdata_regionclosure",
        {"anc": "VARCHAR", "des": "VARCHAR"},
    ),
}
# Each definition with records on the platform → (exported table, DuckDB filter).
_IND_FILTERS = {
    "training-completions": ("e", "TRUE"),
    "entrepreneurship-training": ("e", "ent"),
    "cluster-trainees": ("e", "cl"),
    "subsidized-training": ("e", "sub"),
    "subsidized-training-migrant-workers": ("e", "mw AND sub"),
    "apprentices-started": ("a", "TRUE"),
    "apprentice-persons": ("a", "TRUE"),
    "certificates-issued": ("c", "TRUE"),
    "certificates-issued-high-skill": ("c", "hs"),
    "high-skill-holders": ("c", "hs"),
    "public-training-bases-approved": ("b", "kind = 'public_training'"),
    "public-and-competition-bases-approved": ("b", "kind IN ('public_training', 'competition')"),
    "national-high-skill-bases-approved": ("b", "kind = 'high_skill' AND level = 'national'"),
    "national-master-studios-approved": ("b", "kind = 'master_studio' AND level = 'national'"),
    "provincial-public-training-bases-in-force": ("b", "kind = 'public_training' AND level = 'provincial'"),
    "national-high-skill-bases-in-force": ("b", "kind = 'high_skill' AND level = 'national'"),
    "national-master-studios-in-force": ("b", "kind = 'master_studio' AND level = 'national'"),
}


def _duckdb_recompute(tmp: str) -> tuple[float, float, int, int]:
    """Export the rows once (COPY … TO STDOUT as CSV, loaded into DuckDB tables), then every definition's GROUP BYs
    in DuckDB: (export seconds, group-by seconds, rows exported, cells)."""
    import contextlib

    import duckdb
    from django.core.exceptions import EmptyResultSet

    from jineng.indicators.definitions import DEFINITIONS, FLOW, WINDOW_YEAR
    from jineng.indicators.rollups import needed_windows, stock_years
    from jineng.indicators.sources import SourceMissing
    from jineng.subsidies.api import approved_enrollment_ids

    con = duckdb.connect()
    rows = 0
    with Timer() as export:
        # The subsidized flag: the enrollment's id among the approved claims' (the subsidies app's own subquery).
        approved_sql, approved_params = "FALSE", ()
        with contextlib.suppress(EmptyResultSet):
            sub_sql, approved_params = approved_enrollment_ids().query.sql_with_params()
            approved_sql = f"e.id IN ({sub_sql})"
        for name, (sql, columns) in _IND_EXPORTS.items():
            path = f"{tmp}/{name}.csv"
            params = approved_params if name == "e" else ()
            with connection.cursor() as cur, open(path, "wb") as out:
                with cur.cursor.copy(f"COPY ({sql.format(approved=approved_sql)}) TO STDOUT WITH (FORMAT csv)",
                                     params) as copy:  # fmt: skip
                    for chunk in copy:
                        out.write(chunk)
            cols = "{" + ", ".join(f"'{k}': '{v}'" for k, v in columns.items()) + "}"
            con.execute(
                f"CREATE TABLE {name} AS SELECT * FROM read_csv('{path}', header=false, auto_detect=false, "
                f"delim=',', quote='\"', columns={cols})"
            )
            if name != "closure":
                rows += int((con.execute(f"SELECT COUNT(*) FROM {name}").fetchone() or (0,))[0])  # noqa: S608
    cells = 0
    with Timer() as group:
        for def_id, (table, cond) in _IND_FILTERS.items():
            d = DEFINITIONS[def_id]
            try:
                d.facts()
            except SourceMissing:
                continue
            src = f"(SELECT * FROM {table} WHERE {cond})"  # noqa: S608 - our constants
            if d.additive and d.measure == FLOW:
                cells += len(
                    con.execute(f"SELECT r, y, COUNT(*) FROM {src} WHERE y IS NOT NULL GROUP BY r, y").fetchall()
                )  # noqa: S608
            elif d.additive:
                end = "(e IS NULL OR e > yy.y)" if table == "b" else "TRUE"
                cells += len(con.execute(
                    f"SELECT r, yy.y, COUNT(*) FROM {src} f JOIN (SELECT unnest(?) AS y) yy ON f.y <= yy.y AND {end} "  # noqa: S608
                    "GROUP BY r, yy.y", [stock_years(d)]).fetchall())  # fmt: skip
            else:
                for y, from_year in sorted(needed_windows(d)):
                    lo = y if d.window == WINDOW_YEAR else from_year
                    win = f"(SELECT * FROM {src} WHERE y <= {y} AND y >= {lo})"  # noqa: S608
                    cells += len(con.execute(
                        f"SELECT c.anc, COUNT(DISTINCT f.p) FROM {win} f JOIN closure c ON c.des = f.r GROUP BY c.anc"  # noqa: S608
                    ).fetchall())  # fmt: skip
                    con.execute(f"SELECT r, COUNT(DISTINCT p) FROM {win} GROUP BY r").fetchall()  # noqa: S608
    con.close()
    return export.seconds, group.seconds, rows, cells


def _indicator_dataset(scale: str) -> None:
    """The synthetic province of this scale: seeded on a fresh database; a finished one is used as it is (never
    extended with stages added since: the indicators read what is there)."""
    from jineng.synthetic.models import SeedRun

    if not SeedRun.objects.filter(scale=workloads.DATASET[scale], finished_at__isnull=False).exists():
        workloads.ensure_dataset(scale)


@bench("indicators_recompute")
def indicators_recompute(scale: str, n: int) -> Result:
    """Full recompute of every indicator definition for every region and year (``recompute_all``: the GROUP BYs in
    PostgreSQL + writing the cells) vs DuckDB doing the same GROUP BYs over the same rows, exported once from
    PostgreSQL (COPY to CSV, loaded into DuckDB). The ratio counts the export in the baseline (the rows live in
    PostgreSQL: DuckDB cannot scan it here); the note gives the export and the GROUP BYs apart."""
    import tempfile

    from jineng.indicators.rollups import recompute_all
    from jineng.refdata.loaders import LOADERS

    _indicator_dataset(scale)
    for part in ("levels", "certificate_kinds", "industries", "plans", "plan_targets"):
        LOADERS[part](None)
    with Timer() as ours:
        results = recompute_all()
    with tempfile.TemporaryDirectory(prefix="bench-ind-") as tmp:
        export_s, group_s, rows, cells = _duckdb_recompute(tmp)
    base_s = export_s + group_s
    ours_cells = sum(int(r.get("cells") or 0) for r in results)
    note = (f"{len(results)} definitions, {ours_cells} cells; DuckDB export {export_s:.2f} s + GROUP BYs "
            f"{group_s:.2f} s ({cells} cells); ours / GROUP BYs alone {ours.seconds / group_s:.1f}")  # fmt: skip
    return Result("indicators_recompute", scale, rows, ours.seconds, base_s, ours.seconds / base_s, peak_mib(),
                  "DuckDB: the same GROUP BYs over the rows exported once (export counted)", note,
                  {"group_ratio": ours.seconds / group_s})  # fmt: skip


def _bench_user(username: str, function: str, region: str) -> Any:
    from jineng.accounts.models import User
    from jineng.accounts.services import grant_create

    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(username=username, password=None)
        grant_create(actor=None, user=user, function=function, region_code=region)
    return user


def _raw_figures(plan: str, region: str, year: int) -> None:
    """The baseline of one request: every target's figure of the plan for one region, straight from the cells
    (one SQL statement per target: the closure-table sum, or the distinct-person cell)."""
    from jineng.indicators.definitions import WINDOW_PERIOD, WINDOW_YEAR, definition_for

    with connection.cursor() as cur:
        cur.execute("SELECT indicator, kind, period_start FROM refdata_plantarget WHERE plan_id = %s", [plan])
        for indicator, kind, start in cur.fetchall():
            d = definition_for(plan, indicator)
            first = year if kind == "annual" or d.measure != "flow" else start
            if d.additive:
                cur.execute(
                    "SELECT SUM(r.value) FROM indicators_rollupcell r JOIN refdata_regionclosure c "
                    "ON c.descendant_id = r.region_id WHERE r.definition = %s AND c.ancestor_id = %s "
                    "AND r.year BETWEEN %s AND %s",
                    [d.id, region, first, year],
                )
            else:
                from_year = {WINDOW_YEAR: year, WINDOW_PERIOD: start}.get(d.window, 0)
                cur.execute(
                    "SELECT tree FROM indicators_distinctcell WHERE definition = %s AND region_id = %s AND year = %s "
                    "AND from_year = %s",
                    [d.id, region, year, from_year],
                )
            cur.fetchall()


@bench("indicators_api")
def indicators_api(scale: str, n: int) -> Result:
    """The dashboard page (/indicators/, with its drill-down and series) and GET /api/v1/indicators for the province
    (440000), a city (440100 广州) and a county (440106 天河), p50/p95 over repeated requests after a full recompute,
    vs the raw SQL of the same figures (one statement per target, from the same cells)."""
    import statistics

    from django.test import Client

    from jineng.indicators.rollups import recompute_all
    from jineng.refdata.loaders import LOADERS

    _indicator_dataset(scale)
    for part in ("levels", "certificate_kinds", "industries", "plans", "plan_targets"):
        LOADERS[part](None)
    recompute_all(plan_code="guangdong-2021")
    with connection.cursor() as cur:
        cur.execute("SELECT COUNT(*) FROM indicators_rollupcell")
        rows = int(cur.fetchone()[0])
    user = _bench_user("bench-province", "province_official", "440000")
    client = Client(SERVER_NAME="127.0.0.1")  # an allowed host of the dev settings
    client.force_login(user)
    _second_factor_passed(client, user)
    repeats = 30
    regions = ("440000", "440100", "440106")
    stats: dict[str, tuple[float, float]] = {}
    for kind, url in (("api", "/api/v1/indicators?plan=guangdong-2021&region={r}&year=2025"),
                      ("page", "/indicators/?plan=guangdong-2021&region={r}&year=2025")):  # fmt: skip
        for region in regions:
            client.get(url.format(r=region))  # warm
            times = []
            for _ in range(repeats):
                with Timer() as t:
                    response = client.get(url.format(r=region))
                assert response.status_code == 200, response.content[:500]
                times.append(t.seconds)
            times.sort()
            stats[f"{kind} {region}"] = (statistics.median(times), times[int(0.95 * (len(times) - 1))])
    base_times = []
    for _ in range(repeats):
        with Timer() as t:
            _raw_figures("guangdong-2021", "440000", 2025)
        base_times.append(t.seconds)
    base = statistics.median(base_times)
    worst = max(p95 for _, p95 in stats.values())
    note = "; ".join(f"{k} p50 {a * 1000:.0f} ms p95 {b * 1000:.0f} ms" for k, (a, b) in stats.items())
    return Result("indicators_api", scale, rows, stats["api 440000"][0], base, stats["api 440000"][0] / base,
                  peak_mib(), "raw SQL of the same figures (one statement per target)",
                  f"{note}; worst p95 {worst * 1000:.0f} ms", {"p95_ms": worst * 1000})  # fmt: skip


def _second_factor_passed(client: Any, user: Any) -> None:
    """The measured official has finished signing in: password and second factor (动态口令), as a browser session
    would after the TOTP step; without it every page and API call answers "second_factor_required"."""
    from django_otp import DEVICE_ID_SESSION_KEY

    from jineng.accounts.second_factor import demo_second_factor

    session = client.session
    session[DEVICE_ID_SESSION_KEY] = demo_second_factor(user).persistent_id
    session.save()


# The raw baseline of the supervision scan: the five injected patterns' GROUP BYs and joins as plain SQL, no cases
# written (what the detectors' candidate queries cost without the ORM, the pure rules and the case writes).
_SUPERVISION_RAW = [
    "SELECT phone_hash, COUNT(*) FROM registry_person WHERE status = 'active' AND phone_hash <> '' "
    "GROUP BY phone_hash HAVING COUNT(*) >= 5",
    "SELECT account_hash, COUNT(DISTINCT person_id) FROM registry_bankaccount WHERE is_active "
    "GROUP BY account_hash HAVING COUNT(DISTINCT person_id) >= 5",
    "SELECT e.id FROM training_enrollment e JOIN registry_employmentrecord r ON r.person_id = e.person_id "
    "WHERE r.status IN ('retired', 'student') AND e.status IN ('enrolled', 'finished', 'postponed')",
    "SELECT a.id, b.id FROM training_enrollment a JOIN training_trainingclass ca ON ca.id = a.training_class_id "
    "JOIN training_enrollment b ON b.person_id = a.person_id AND b.training_class_id <> a.training_class_id "
    "JOIN training_trainingclass cb ON cb.id = b.training_class_id "
    "WHERE ca.start_date <= cb.end_date AND cb.start_date <= ca.end_date AND a.id < b.id",
    "SELECT DISTINCT e.enrollment_id FROM training_attendanceevent e JOIN training_trainingclass c "
    "ON c.id = e.training_class_id WHERE ABS(e.latitude - c.venue_latitude) > 0.0225 "
    "OR ABS(e.longitude - c.venue_longitude) > 0.0225",
]


@bench("supervision_scan")
def supervision_scan(scale: str, n: int) -> Result:
    """A full supervision scan (every rule, cases written) over the synthetic province with anomalies vs the raw SQL
    of the five injected patterns' candidate queries. The note gives precision and recall of every rule against the
    generator's ground truth — the five injected patterns, the planted ones (``synthetic.plant``) and the repeated
    subsidies the load wrote (found / expected cases)."""
    from jineng.supervision.models import Scan
    from jineng.supervision.services import scan_run
    from jineng.synthetic.models import SeedRun
    from jineng.synthetic.plant import plant
    from jineng.synthetic.runner import all_anomaly_records, build_plan
    from jineng.synthetic.scoring import score

    workloads.ensure_dataset(scale)
    run = SeedRun.objects.get(scale=workloads.DATASET[scale])
    plan = build_plan(seed=run.seed, persons=run.params["persons"], anomalies=run.params["anomalies"])
    plant(plan)  # idempotent: a data set seeded before the planted patterns existed gets them now
    records = all_anomaly_records(plan)
    from jineng.rules.supervision import RULES

    scan = Scan.objects.create(region_id="440000", rules=list(RULES), progress_total=len(RULES))
    with Timer() as ours:
        scan = scan_run(scan)
    with Timer() as base, connection.cursor() as cur:
        for sql in _SUPERVISION_RAW:
            cur.execute(sql)
            cur.fetchall()
    scores = list(score(records))
    parts = [f"{s.rule} P={s.precision:.3f} R={s.recall:.3f} ({s.found}/{s.expected})" for s in scores]
    worst = {"recall": min((s.recall for s in scores), default=1.0),
             "precision": min((s.precision for s in scores), default=1.0)}  # fmt: skip
    cases = sum(int(v["hits"]) for v in scan.found.values())
    return Result("supervision_scan", scale, cases, ours.seconds, base.seconds, ours.seconds / max(base.seconds, 1e-9),
                  peak_mib(), "raw SQL: the five injected patterns' candidate queries, no cases written",
                  "; ".join(parts), worst)  # fmt: skip

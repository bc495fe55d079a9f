"""Benchmarks over the synthetic province: the data set itself, person imports (csv, xlsx) against the fastest reader
plus a raw COPY, and public certificate verification under load against a minimal JSON view on the same server.

Files are written in a separate process and baselines run in a separate process, so the peak memory the harness
reports for an import benchmark is the import's own (plus Django's).
"""

from __future__ import annotations

import csv
import multiprocessing as mp
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from bench.core import Result, Timer, bench, peak_mib

ROOT = Path(__file__).resolve().parent.parent
BENCH_SEED = 1
# The data set each benchmark scale runs on (persons of the synthetic province); the import and load figures use the
# harness's row count (bench.core.SCALES).
DATASET = {"tiny": "tiny", "small": "small", "province": "province"}
HEADERS = ["姓名", "身份证号码", "手机号码", "居住地行政区划代码", "人员类别", "毕业年度", "性别", "出生日期", "文化程度", "户口性质"]  # fmt: skip
OTHER_PROVINCES = ("32", "33", "37", "35", "34", "13", "14", "21", "22", "23", "61", "62", "53", "52", "15", "64", "11", "12",
                   "31", "50", "46", "54", "63", "65")  # fmt: skip


# ---- the data set --------------------------------------------------------------------------------------------------


def ensure_dataset(scale: str) -> Any:
    """Seed the synthetic province of this scale once per database: a fresh database is seeded (bulk mode at
    province scale), an interrupted seed is resumed, and a finished one gets only the stages added since it ran
    (without bulk mode: its indexes stay). Returns the run's SeedResult, or None when nothing was left to do."""
    from jineng.synthetic.models import SeedChunk, SeedRun
    from jineng.synthetic.runner import build_plan, seed_province
    from jineng.synthetic.stages import STAGES

    run = SeedRun.objects.filter(scale=DATASET[scale]).first()
    if run is None:
        return seed_province(scale=DATASET[scale], seed=BENCH_SEED, anomalies=True, progress=scale == "province")
    plan = build_plan(seed=run.seed, persons=run.params["persons"], anomalies=run.params["anomalies"])
    done = set(SeedChunk.objects.filter(run=run).values_list("stage", "chunk"))
    pending = [(s.name, c) for s in STAGES if s.ready for c in range(s.chunks(plan)) if (s.name, c) not in done]
    if run.finished_at is not None and not pending:
        return None
    return seed_province(scale=run.scale, seed=run.seed, anomalies=run.params["anomalies"], persons=run.params["persons"],
                         progress=scale == "province", bulk=None if run.finished_at is None else False)  # fmt: skip


def _recorded_run(scale: str) -> Any:
    """The finished run's figures from its chunk watermarks (rows and seconds of each stage, as committed)."""
    from django.db.models import Sum

    from jineng.synthetic.models import SeedChunk, SeedRun
    from jineng.synthetic.runner import SeedResult

    run = SeedRun.objects.get(scale=DATASET[scale])
    result = SeedResult(key=run.key, persons=run.params["persons"])
    for row in SeedChunk.objects.filter(run=run).values("stage").annotate(rows=Sum("rows"), seconds=Sum("seconds")):
        result.rows[row["stage"]] = row["rows"]
        result.seconds[row["stage"]] = row["seconds"]
    return result, run


@bench("synthetic_seed")
def synthetic_seed(scale: str, n: int) -> Result:
    """Generate the synthetic province (all stages); the persons stage (generation, ID numbers, encryption and keyed
    hashes, four tables) vs a raw COPY of the same rows read back from the database into scratch copies of the
    same tables with the same indexes. On a database that holds the data set already (the kept province cluster),
    "ours" is the persons stage's time as its chunks recorded it when it was generated, and the baseline is measured
    now."""
    from django.db import connection

    recorded = ""
    result = ensure_dataset(scale)
    if result is None or "persons" not in result.seconds:
        result, run = _recorded_run(scale)
        recorded = f"generated {run.started_at:%Y-%m-%d %H:%M}–{run.finished_at:%H:%M} UTC, figures from its chunks; "
    persons_s = result.seconds.get("persons", 0.0)
    tables = ["registry_person", "registry_identitydocument", "registry_groupmembership", "registry_personfact"]
    cap = 1_000_000
    baseline = 0.0
    copied = 0
    with connection.cursor() as cur:
        raw: Any = cur.cursor
        for table in tables:
            spool = tempfile.TemporaryFile()
            with raw.copy(f"COPY (SELECT * FROM {table} LIMIT {cap}) TO STDOUT") as out:
                for block in out:
                    spool.write(block)
            spool.seek(0)
            cur.execute(f"CREATE TEMP TABLE bench_{table} (LIKE {table} INCLUDING ALL)")
            with Timer() as t, raw.copy(f"COPY bench_{table} FROM STDIN") as into:
                while block := spool.read(1 << 20):
                    into.write(block)
            spool.close()
            cur.execute(f"SELECT count(*) FROM bench_{table}")
            rows = cur.fetchone()[0]
            cur.execute(f"SELECT count(*) FROM {table}")
            total = cur.fetchone()[0]
            baseline += t.seconds * (total / max(rows, 1))  # extrapolated past the cap (province)
            copied += total
            cur.execute(f"DROP TABLE bench_{table}")
    stages = ", ".join(f"{k} {v:.0f} s" for k, v in result.seconds.items())
    total = sum(result.rows.values())
    note = f"{recorded}{total:,} rows in all stages ({stages}); {copied:,} rows in the persons tables"
    return Result("synthetic_seed", scale, result.persons, persons_s, baseline, persons_s / max(baseline, 1e-9),
                  peak_mib(), "COPY of the persons stage's rows (same tables, same indexes)", note)  # fmt: skip


# ---- person imports ------------------------------------------------------------------------------------------------


def _write_person_file(path: str, n: int, variant: int, fmt: str, first: int = 0, population: int = 0) -> None:
    """n synthetic persons (from index ``first`` of a population of ``population``) as an import file, in its own
    process. ID numbers are re-issued, injectively, in counties of provinces the synthetic province does not use, so
    imports never meet its persons; two files of one variant and population never share a person."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    django.setup()
    import numpy as np

    from jineng.refdata.models import Region
    from jineng.registry.models import Education, Group, HukouType
    from jineng.synthetic.people import id_check_chars
    from jineng.synthetic.runner import build_plan

    plan = build_plan(seed=100 + variant, persons=max(population or n, first + n, 1000), anomalies=False)
    others = sorted(
        int(c)
        for c in Region.objects.filter(
            valid_to__isnull=True, level="county", code__regex=r"^(" + "|".join(OTHER_PROVINCES) + ")"
        ).values_list("code", flat=True)
    )
    width = len(plan.counties.codes)
    target = np.array(others[variant * width : (variant + 1) * width], dtype=np.int64)
    if len(target) < width:
        raise RuntimeError("not enough counties to re-issue the ID numbers")
    group_labels = {g.value: str(g.label) for g in Group}
    education = {e.value: str(e.label) for e in Education}
    hukou = {h.value: str(h.label) for h in HukouType}
    rows: list[list[Any]] = []
    step = 50_000
    writer: Any = None
    book: Any = None
    sheet: Any = None
    fh: Any = None
    if fmt == "csv":
        fh = open(path, "w", newline="", encoding="utf-8-sig")  # noqa: SIM115
        writer = csv.writer(fh)
        writer.writerow(HEADERS)
    else:
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("人员")
        sheet.append(HEADERS)
    for lo in range(0, n, step):
        idx = np.arange(first + lo, first + min(n, lo + step), dtype=np.int64)
        p = plan.pop.persons(idx)
        position = {int(c): k for k, c in enumerate(plan.counties.codes)}
        new_county = target[[position[int(c)] for c in p["id_county"]]]
        body = np.array([int(str(x)[6:17]) for x in p["id_number"]], dtype=np.int64) + new_county * 10**11
        numbers = np.char.add(body.astype("U17"), id_check_chars(body))
        codes = plan.group_codes
        for k in range(len(idx)):
            code = codes[int(p["group"][k])]
            label = group_labels.get(code, "")
            born = str(p["birth_date"][k])
            rows.append([str(p["name"][k]), str(numbers[k]), str(p["phone"][k]), str(p["residence"][k]), label,
                         str(int(born[:4]) + 22) if code == "college_graduate" else "", "男" if p["male"][k] else "女",
                         born, education[str(p["education"][k])],
                         hukou["agricultural" if p["agricultural"][k] else "non_agricultural"]])  # fmt: skip
        if writer is not None:
            writer.writerows(rows)
        else:
            for row in rows:
                sheet.append(row)
        rows = []
    if fh is not None:
        fh.close()
    if book is not None:
        book.save(path)


def _in_process(target: Any, *args: Any, inline: bool = False) -> Any:
    """Run ``target`` in a fresh process (its memory apart from the benchmark's), or here when ``inline`` (the tiny
    smoke run, where the process start would cost more than the work)."""
    if inline:
        return target(*args)
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_queue_call, args=(queue, target, args))
    proc.start()
    status, value = queue.get()
    proc.join()
    if status != "ok":
        raise RuntimeError(value)
    return value


def _queue_call(queue: Any, target: Any, args: tuple[Any, ...]) -> None:
    try:
        queue.put(("ok", target(*args)))
    except Exception as exc:  # report to the parent
        import traceback

        queue.put(("error", f"{exc}\n{traceback.format_exc()}"))


def _scratch_tables(cur: Any, tables: list[str]) -> None:
    """Scratch copies ``bench_<table>`` of ``tables`` for a raw baseline: the same columns, defaults, indexes and
    checks (``LIKE … INCLUDING ALL``) and the same foreign keys the real tables carry (issue 26: a baseline without
    them skipped the checks our import pays). A key between two of the copied tables points at the scratch copy, as
    the baseline writes both; a key to any other table (regions, users, classes) points at the real one — which a
    temporary table may not do, so the copies are ordinary (logged) tables, dropped by ``_drop_scratch``."""
    scratch = {table: f"bench_{table}" for table in tables}
    _drop_scratch(cur, tables)  # an interrupted run's
    for table in tables:
        cur.execute(f"CREATE TABLE {scratch[table]} (LIKE {table} INCLUDING ALL)")
    for table in tables:
        cur.execute(
            "SELECT c.conname, pg_get_constraintdef(c.oid), c.confrelid::regclass::text FROM pg_constraint c "
            "WHERE c.conrelid = %s::regclass AND c.contype = 'f' ORDER BY c.conname",
            [table],
        )
        for name, definition, target in cur.fetchall():
            if target in scratch:
                definition = definition.replace(f"REFERENCES {target}(", f"REFERENCES {scratch[target]}(")
            cur.execute(f"ALTER TABLE {scratch[table]} ADD CONSTRAINT bench_{name} {definition}")  # noqa: S608


def _drop_scratch(cur: Any, tables: list[str]) -> None:
    cur.execute("DROP TABLE IF EXISTS " + ", ".join(f"bench_{table}" for table in tables) + " CASCADE")


def _raw_person_baseline(path: str, fmt: str) -> tuple[float, float]:
    """The fastest reader (Polars for CSV, python-calamine for xlsx) plus COPY of the same rows, unvalidated and
    unencrypted, into scratch copies of the persons import's four tables with the same indexes. Returns
    (seconds, peak MiB) of this process."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    django.setup()
    import numpy as np
    import polars as pl
    from django.db import connection, transaction

    from jineng.synthetic.writer import TableWriter, uuid7_hex

    tables = ["registry_person", "registry_identitydocument", "registry_groupmembership", "registry_personfact"]
    with connection.cursor() as cur:
        _scratch_tables(cur, tables)
    writer = TableWriter()
    with Timer() as t, transaction.atomic():
        if fmt == "csv":
            frame = pl.read_csv(path, infer_schema=False)
        else:
            from python_calamine import CalamineWorkbook

            data = CalamineWorkbook.from_path(path).get_sheet_by_index(0).to_python()
            frame = pl.DataFrame(data[1:], schema={str(h): pl.String for h in data[0]}, orient="row")
        frame = frame.rename(dict(zip(frame.columns, HEADERS, strict=True)))
        frame = frame.with_columns(pl.when(pl.all() == "").then(None).otherwise(pl.all()).name.keep())
        n = frame.height
        rng = np.random.default_rng()
        now_ms = int(time.time() * 1000)
        pid = uuid7_hex(np.full(n, now_ms), rng.integers(0, 2**62, n), rng.integers(0, 2**62, n))
        now = pl.lit(time.strftime("%Y-%m-%d %H:%M:%S+00"))
        writer.copy_into("bench_registry_person", frame.select(
            id=pl.Series(pid), created_at=now, updated_at=now, name=pl.col("姓名"), sex=pl.col("性别"),
            birth_date=pl.col("出生日期"), phone_enc=pl.col("手机号码"), phone_hash=pl.col("手机号码"),
            phone_masked=pl.col("手机号码"), residence_region_id=pl.col("居住地行政区划代码"),
            hukou_type=pl.col("户口性质"), education=pl.col("文化程度"), status=pl.lit("active"), source=pl.lit("import"),
        ))  # fmt: skip
        did = uuid7_hex(np.full(n, now_ms), rng.integers(0, 2**62, n), rng.integers(0, 2**62, n))
        writer.copy_into("bench_registry_identitydocument", frame.select(
            id=pl.Series(did), created_at=now, updated_at=now, person_id=pl.Series(pid), doc_type=pl.lit("resident_id"),
            number_enc=pl.col("身份证号码"), number_hash=pl.col("身份证号码"), number_masked=pl.col("身份证号码"),
            is_primary=pl.lit(True), verification=pl.lit("automatic"),
        ))  # fmt: skip
        mid = uuid7_hex(np.full(n, now_ms), rng.integers(0, 2**62, n), rng.integers(0, 2**62, n))
        members = frame.with_columns(id=pl.Series(mid), person_id=pl.Series(pid)).filter(
            pl.col("人员类别").is_not_null()
        )
        writer.copy_into("bench_registry_groupmembership", members.select(
            id=pl.col("id"), created_at=now, updated_at=now, person_id=pl.col("person_id"), group=pl.col("人员类别"),
            valid_from=pl.lit(time.strftime("%Y-%m-%d")), graduation_year=pl.col("毕业年度"), source=pl.lit("导入"),
            evidence=pl.lit(""),
        ))  # fmt: skip
        writer.copy_into("bench_registry_personfact", frame.select(
            person_id=pl.Series(pid), region_id=pl.lit("440000"), kind=pl.lit("registry.registered"), ref=pl.lit(""),
            occurred_on=pl.lit(time.strftime("%Y-%m-%d")), created_at=now,
        ))  # fmt: skip
    with connection.cursor() as cur:
        _drop_scratch(cur, tables)
    return t.seconds, peak_mib()


def _forget_bench_persons(user: Any) -> int:
    """Remove the persons an earlier import benchmark created (``created_by`` the benchmark's importer) with their
    documents, memberships and facts, so that a kept database (the province) can run the import again on the same
    files and does not grow by a million persons a run. Nothing else refers to them. Their audit entries and import
    records stay. Runs before the measurement; as the cluster's superuser, foreign-key triggers are skipped for the
    teardown (the rows removed are the benchmark's own)."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM registry_person WHERE created_by_id = %s", [user.pk])
        count = cur.fetchone()[0]
        if not count:
            return 0
        if connection.vendor == "postgresql":
            cur.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            if cur.fetchone()[0]:
                cur.execute("SET LOCAL session_replication_role = replica")
        cur.execute(
            "CREATE TEMP TABLE bench_gone AS SELECT id FROM registry_person WHERE created_by_id = %s", [user.pk]
        )
        for table in ("registry_personfact", "registry_groupmembership", "registry_identitydocument",
                      "registry_bankaccount", "registry_employmentrecord"):  # fmt: skip
            cur.execute(f"DELETE FROM {table} WHERE person_id IN (SELECT id FROM bench_gone)")  # noqa: S608
        cur.execute("DELETE FROM registry_person WHERE id IN (SELECT id FROM bench_gone)")
        cur.execute("DROP TABLE bench_gone")
    print(f"  removed {count:,} persons of an earlier import benchmark", file=sys.stderr)
    return count


def _import_bench(name: str, scale: str, n: int, fmt: str, variant: int) -> Result:
    from django.conf import settings

    from jineng.accounts.models import User
    from jineng.accounts.services import grant_create
    from jineng.imports.api import importer_for
    from jineng.imports.services import import_create
    from jineng.registry.models import Person

    ensure_dataset(scale)
    # What an operator sets for a bulk load of this size: the row cap and, for a million-row xlsx (≈ 556 MB of XML
    # once unzipped, honestly), the uncompressed-size cap that otherwise refuses it as a zip bomb.
    settings.JINENG_IMPORT_MAX_ROWS = n + 10
    settings.JINENG_IMPORT_MAX_UNCOMPRESSED_BYTES = max(settings.JINENG_IMPORT_MAX_UNCOMPRESSED_BYTES, n * 1024)
    folder = Path(tempfile.mkdtemp(prefix="jineng-bench-"))
    path = folder / f"persons.{fmt}"
    try:
        _in_process(_write_person_file, str(path), n, variant, fmt, 0, n + ROSTER_ROWS * ROSTER_RUNS,
                    inline=scale == "tiny")  # fmt: skip
        user = User.objects.filter(username="bench-importer").first()
        if user is None:
            user = User.objects.create_user(username="bench-importer", password=None)
            grant_create(actor=None, user=user, function="province_official", region_code="440000")
        importer_for("persons")
        _forget_bench_persons(user)
        before = Person.objects.count()
        with Timer() as ours, path.open("rb") as fh:
            record = import_create(actor=user, kind="persons", source=fh, filename=path.name, mode="strict",
                                   region_code="440000", run_now=True)  # fmt: skip
        created = Person.objects.count() - before
        if record.outcome != "imported" or created != n:
            raise RuntimeError(f"import {record.outcome}: {created} of {n} created; {record.errors_sample[:3]}")
        peak = peak_mib()
        base_s, base_peak = _in_process(_raw_person_baseline, str(path), fmt, inline=scale == "tiny")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    reader = "Polars read_csv" if fmt == "csv" else "python-calamine"
    note = f"ours {n / ours.seconds:,.0f} rows/s, baseline {n / base_s:,.0f} rows/s; baseline peak {base_peak:.0f} MiB"
    return Result(name, scale, n, ours.seconds, base_s, ours.seconds / base_s, peak,
                  f"{reader} + COPY into the same 4 tables/indexes, no validation", note)  # fmt: skip


@bench("import_persons_csv")
def import_persons_csv(scale: str, n: int) -> Result:
    """人员导入 from CSV through the import framework (check pass, write pass, report) with every validation,
    encryption and keyed hash, vs Polars read_csv + COPY of the same rows."""
    return _import_bench("import_persons_csv", scale, n, "csv", 0)


@bench("import_persons_xlsx")
def import_persons_xlsx(scale: str, n: int) -> Result:
    """人员导入 from xlsx (the framework's streaming reader) vs python-calamine + COPY of the same rows."""
    return _import_bench("import_persons_xlsx", scale, n, "xlsx", 1)


# ---- public certificate verification under load --------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wrk(url_base: str, paths: list[str], seconds: int) -> tuple[float, float, int]:
    """(requests/s, p99 ms, requests) with wrk: 2 threads, 16 connections, paths drawn in turn."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        quoted = ",\n".join('"' + p.replace("\\", "\\\\").replace('"', '\\"') + '"' for p in paths)
        lua.write("local paths = {\n" + quoted + "\n}\nlocal i = 0\nrequest = function()\n  i = i % #paths + 1\n"
                  "  return wrk.format('GET', paths[i])\nend\n")  # fmt: skip
    try:
        out = subprocess.run(["wrk", "-t2", "-c16", f"-d{seconds}s", "--latency", "-s", lua.name, url_base],
                             capture_output=True, text=True, check=True, timeout=seconds + 60).stdout  # fmt: skip
    finally:
        os.unlink(lua.name)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p99_text = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    scale_ms = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    p99 = float(p99_text.group(1)) * scale_ms[p99_text.group(2)] if p99_text else float("nan")
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    if "Non-2xx" in out:
        raise RuntimeError(f"non-2xx answers under load:\n{out}")
    return rps, p99, total


def _python_load(url_base: str, paths: list[str], count: int, seconds: int) -> tuple[float, float, int]:
    """Fallback without wrk: 16 threads with keep-alive connections, a fixed request count and a duration cap."""
    import http.client
    import threading

    latencies: list[float] = []
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds
    per = count // 16
    host, port = url_base.split("//")[1].split(":")

    def worker(k: int) -> None:
        conn = http.client.HTTPConnection(host, int(port))
        mine = []
        for i in range(per):
            if time.perf_counter() > deadline:
                break
            t0 = time.perf_counter()
            conn.request("GET", paths[(k * per + i) % len(paths)])
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                raise RuntimeError(f"HTTP {response.status}")
            mine.append(time.perf_counter() - t0)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(16)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    latencies.sort()
    return len(latencies) / elapsed, latencies[int(0.99 * (len(latencies) - 1))] * 1000, len(latencies)


def _combined(runs: list[tuple[float, float, int]]) -> tuple[float, float, int]:
    """(requests/s, p99 ms, requests) of several runs: the mean rate, the median p99, the total requests."""
    p99s = sorted(p99 for _, p99, _ in runs)
    return sum(rps for rps, _, _ in runs) / len(runs), p99s[len(p99s) // 2], sum(n for _, _, n in runs)


def _socket_database_url() -> str:
    """DATABASE_URL by the local server's Unix socket when scripts/with-postgres.sh started it (JINENG_PGSOCKET =
    directory:port) and DATABASE_URL points at that server; "" otherwise (an existing database elsewhere)."""
    socket, _, port = os.environ.get("JINENG_PGSOCKET", "").rpartition(":")
    url = urllib.parse.urlsplit(os.environ.get("DATABASE_URL", ""))
    if not socket or url.hostname != "127.0.0.1" or str(url.port) != port:
        return ""
    host = urllib.parse.quote(socket, safe="")
    return urllib.parse.urlunsplit((url.scheme, f"{url.username or 'postgres'}@{host}:{port}", url.path, "", ""))


@bench("verify_certificate")
def verify_certificate(scale: str, n: int) -> Result:
    """GET /api/v1/public/certificates/verify (number + holder's name, rate-limit counter included) under 16
    concurrent connections on 127.0.0.1 (gunicorn, 2 sync workers) vs a minimal JSON view on the same server."""
    from jineng.certificates.models import Certificate

    ensure_dataset(scale)
    pairs = list(Certificate.objects.order_by("number").values_list("number", "holder_name")[:2000])
    if not pairs:
        raise RuntimeError("the data set has no certificates")
    paths = [f"/api/v1/public/certificates/verify?{urllib.parse.urlencode({'number': a, 'name': b})}" for a, b in pairs]
    port = _free_port()
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="bench.server_settings", JINENG_VERIFY_RATE="100000000/minute")
    socket_url = _socket_database_url()
    if socket_url:  # the database is local: the server talks to it over its Unix socket, as a deployment would
        env["DATABASE_URL"] = socket_url
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "2",
         "--log-level", "warning"], cwd=ROOT, env=env)  # fmt: skip
    base_url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                with urllib.request.urlopen(base_url + "/bench/hello", timeout=2) as r:  # noqa: S310 - loopback
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.2)
        with urllib.request.urlopen(base_url + paths[0], timeout=5) as r:  # noqa: S310 - loopback
            body = r.read().decode()
            if '"found": true' not in body.replace('"found":true', '"found": true') and "valid" not in body:
                raise RuntimeError(f"verification did not find a generated certificate: {body[:300]}")
        seconds = {"tiny": 1, "small": 10, "province": 20}.get(scale, 10)
        count = {"tiny": 2_000, "small": 20_000, "province": 50_000}.get(scale, 20_000)
        unlimited = [p.replace("/api/v1/public/certificates/verify", "/bench/verify-unlimited") for p in paths]
        # The three targets take turns in rounds, so that a change in the machine's load (other work on a shared
        # host) weighs on all three alike; requests/s over the rounds, the median round's p99.
        rounds = 3
        targets = {"ours": paths, "base": ["/bench/hello"], "lookup": unlimited}
        runs: dict[str, list[tuple[float, float, int]]] = {name: [] for name in targets}
        for _ in range(rounds):
            for name, target in targets.items():
                if shutil.which("wrk"):
                    runs[name].append(_wrk(base_url, target, max(seconds // rounds, 1)))
                else:
                    runs[name].append(_python_load(base_url, target, count // rounds, max(seconds // rounds, 1)))
        tool = f"{'wrk -c16' if shutil.which('wrk') else 'Python threads ×16'}, {rounds} rounds"
        ours, base, lookup = (_combined(runs[name]) for name in targets)
    finally:
        server.terminate()
        server.wait(timeout=20)
    tool += ", database by Unix socket" if socket_url else ", database by TCP"
    note = (f"{tool}: ours {ours[0]:,.0f} req/s p99 {ours[1]:.1f} ms; minimal view {base[0]:,.0f} req/s "
            f"p99 {base[1]:.1f} ms; lookup without the rate counter {lookup[0]:,.0f} req/s p99 {lookup[1]:.1f} ms; "
            f"throughput ratio {ours[0] / base[0]:.2f} (target ≥ 0.5, p99 ≤ 50 ms)")  # fmt: skip
    print(f"verify_certificate ({scale}): {note}", file=sys.stderr)
    return Result("verify_certificate", scale, ours[2], 1 / ours[0], 1 / base[0], base[0] / ours[0], peak_mib(),
                  "minimal Django JSON view, same server (seconds = 1 / req/s)", note, {"p99_ms": ours[1]})  # fmt: skip


# ---- roster import -------------------------------------------------------------------------------------------------

ROSTER_HEADERS = ["姓名", "身份证号码", "手机号码", "人员类别", "居住地行政区划代码", "学员承诺"]
ROSTER_ROWS = 2_000  # one class's file (a class holds at most 32,767)
ROSTER_RUNS = 200  # runs of the roster benchmark a kept database can take before its trainees repeat


def _write_roster_file(path: str, n: int, first: int, run: int = 0) -> None:
    """n new trainees as a 花名册 CSV (persons not yet registered: the roster registers them) — the persons after
    those of the CSV person import (same variant and population); a later run on a kept database takes the next
    ``ROSTER_ROWS`` persons (``run`` × ``ROSTER_ROWS`` further on)."""
    import polars as pl

    persons = path + ".persons.csv"
    _write_person_file(persons, n, 0, "csv", first + run * ROSTER_ROWS, first + ROSTER_RUNS * ROSTER_ROWS)
    frame = pl.read_csv(persons, infer_schema=False)
    # The roster has no 毕业年度 column, and registering a 高校毕业生 needs one: graduates come without their group.
    frame = frame.with_columns(pl.col("人员类别").replace("高校毕业生", None))
    frame.select(pl.col(h) for h in ROSTER_HEADERS[:-1]).with_columns(pl.lit("是").alias("学员承诺")).write_csv(path)
    os.unlink(persons)


def _raw_roster_baseline(path: str, class_id: str, organization_id: str, region_id: str) -> tuple[float, float]:
    """Polars read_csv + COPY of the same rows, unvalidated, into scratch copies (same indexes, same foreign keys)
    of the tables a roster import writes for new trainees: persons, documents, enrollments, person facts — the
    enrollments in the benchmark's class (its id, organization and region, so that their keys hold)."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    django.setup()
    import numpy as np
    import polars as pl
    from django.db import connection, transaction

    from jineng.synthetic.writer import TableWriter, uuid7_hex

    tables = ["registry_person", "registry_identitydocument", "training_enrollment", "registry_personfact"]
    with connection.cursor() as cur:
        _scratch_tables(cur, tables)
    writer = TableWriter()
    with Timer() as t, transaction.atomic():
        frame = pl.read_csv(path, infer_schema=False)
        n = frame.height
        rng = np.random.default_rng()
        ms = np.full(n, int(time.time() * 1000))

        def ids() -> pl.Series:
            return pl.Series(uuid7_hex(ms, rng.integers(0, 2**62, n), rng.integers(0, 2**62, n)))

        pid, did, eid = ids(), ids(), ids()
        now = pl.lit(time.strftime("%Y-%m-%d %H:%M:%S+00"))
        today = pl.lit(time.strftime("%Y-%m-%d"))
        writer.copy_into("bench_registry_person", frame.select(
            id=pid, created_at=now, updated_at=now, name=pl.col("姓名"), sex=pl.lit(""), phone_enc=pl.col("手机号码"),
            phone_hash=pl.col("手机号码"), phone_masked=pl.col("手机号码"), residence_region_id=pl.col("居住地行政区划代码"),
            hukou_type=pl.lit(""), education=pl.lit(""), status=pl.lit("active"), source=pl.lit("import"),
        ))  # fmt: skip
        writer.copy_into("bench_registry_identitydocument", frame.select(
            id=did, created_at=now, updated_at=now, person_id=pid, doc_type=pl.lit("resident_id"),
            number_enc=pl.col("身份证号码"), number_hash=pl.col("身份证号码"), number_masked=pl.col("身份证号码"),
            is_primary=pl.lit(True), verification=pl.lit("automatic"),
        ))  # fmt: skip
        writer.copy_into("bench_training_enrollment", frame.select(
            id=eid, created_at=now, updated_at=now, training_class_id=pl.lit(class_id), person_id=pid,
            region_id=pl.lit(region_id), organization_id=pl.lit(organization_id), status=pl.lit("enrolled"),
            source=pl.lit("import"), enrolled_on=today, late_addition=pl.lit(False), person_name=pl.col("姓名"),
            id_number_masked=pl.col("身份证号码"), groups=pl.lit("[]"), eligibility=pl.lit("{}"), pledge_method=pl.lit("roster"),
            credited_hours=pl.lit(0), creditable_hours=pl.lit(0), attendance_rate_bp=pl.lit(0), result=pl.lit(""),
            end_reason=pl.lit(""),
        ))  # fmt: skip
        writer.copy_into("bench_registry_personfact", frame.select(
            person_id=pid, region_id=pl.lit(region_id), kind=pl.lit("training.enrollment"), ref=eid, occurred_on=today,
            created_at=now,
        ))  # fmt: skip
    with connection.cursor() as cur:
        _drop_scratch(cur, tables)
    return t.seconds, peak_mib()


@bench("import_roster_csv")
def import_roster_csv(scale: str, n: int) -> Result:
    """花名册导入 of new trainees into one class (training's ``roster`` importer through the framework: overlap,
    capacity and eligibility checks, registration of each new person, enrollments) vs Polars + COPY of the same
    rows into the same tables. One class holds the whole file: its planned size and subsidy category (C, open to
    anyone) are set for the benchmark, and its dates moved to next month."""
    from jineng.accounts.models import User
    from jineng.accounts.services import grant_create
    from jineng.imports.models import ImportJob
    from jineng.imports.services import import_create
    from jineng.training.models import Enrollment, TrainingClass

    ensure_dataset(scale)
    rows = min(max(n // 10, 50), ROSTER_ROWS)  # tiny: 100 rows (the smoke run), small and province: 2,000
    import datetime as dt

    from django.utils import timezone

    # A class of the data set, opened for the benchmark: next month, room for the file, category C (anyone).
    target = TrainingClass.objects.order_by("-start_date", "code").first()
    if target is None:
        raise RuntimeError("the data set has no class")
    start = timezone.localdate() + dt.timedelta(days=30)
    TrainingClass.objects.filter(pk=target.pk).update(
        status="approved", start_date=start, end_date=start + dt.timedelta(days=2),
        planned_size=min(target.planned_size + rows, 32_000), subsidy_category="C",
    )  # fmt: skip
    target.refresh_from_db()
    user = User.objects.filter(username="bench-provider").first()
    if user is None:
        user = User.objects.create_user(username="bench-provider", password=None)
        grant_create(actor=None, user=user, function="provider_staff", organization=target.organization)
    folder = Path(tempfile.mkdtemp(prefix="jineng-bench-"))
    path = folder / "roster.csv"
    try:
        # A kept database (the province) has the trainees of earlier runs registered: each run takes the next ones.
        runs = ImportJob.objects.filter(kind="roster", created_by=user).count()
        _in_process(_write_roster_file, str(path), rows, n, runs, inline=scale == "tiny")
        before = Enrollment.objects.count()
        with Timer() as ours, path.open("rb") as fh:
            record = import_create(actor=user, kind="roster", source=fh, filename=path.name, mode="strict",
                                   run_now=True, options={"class": target.code})  # fmt: skip
        created = Enrollment.objects.count() - before
        if record.outcome != "imported" or created != rows:
            raise RuntimeError(f"roster import {record.outcome}: {created} of {rows}; {record.errors_sample[:3]}")
        peak = peak_mib()
        base_s, base_peak = _in_process(_raw_roster_baseline, str(path), target.pk.hex, target.organization_id.hex,
                                        target.region_id, inline=scale == "tiny")  # fmt: skip
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    note = f"ours {rows / ours.seconds:,.0f} rows/s, baseline {rows / base_s:,.0f} rows/s; baseline peak {base_peak:.0f} MiB"
    return Result("import_roster_csv", scale, rows, ours.seconds, base_s, ours.seconds / base_s, peak,
                  "Polars read_csv + COPY into the same 4 tables/indexes, no validation", note)  # fmt: skip


# ---- payment batch and ledger reconciliation -----------------------------------------------------------------------

PAYMENT_CLAIMS = {"tiny": 1_000, "small": 100_000, "province": 100_000}


def _approved_claims(count: int) -> list[Any]:
    """``count`` approved claims: the synthetic province's own approved claims (its ``claims`` stage: decided by the
    rules core under the province's policy, 审批通过 awaiting payment) when the data set has them, else the demo data's
    (through the subsidies services: policy, checks, 受理 → 初审 → 复审 → 公示 → 审批); then, when there are fewer than
    ``count``, copies of one of them for the data set's persons (in turn, when there are fewer persons than claims),
    each with its own id, number and qualifying event (one SQL statement)."""
    from django.core.management import call_command
    from django.db import connection

    from jineng.subsidies.models import Claim

    approved = list(Claim.objects.filter(status="approved").order_by("id").values_list("id", flat=True))
    if not approved:
        from jineng.refdata.loaders import LOADERS

        for part in ("plans", "plan_targets", "industries"):  # what `seed --scale demo` needs beyond the bench's parts
            LOADERS[part](None)
        call_command("seed", "--scale", "demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
        approved = list(Claim.objects.filter(status="approved").values_list("id", flat=True))
    if not approved:
        raise RuntimeError("the subsidies demo data has no approved claim to copy")
    missing = count - len(approved)
    if missing > 0:
        template = approved[0]
        columns = [f.column for f in Claim._meta.concrete_fields]
        # Copies of earlier runs (a kept database) keep their numbers and events: this run's continue after them.
        done = Claim.objects.filter(number__startswith="BENCH").count()
        computed = {
            "id": "gen_random_uuid()",
            "number": f"'BENCH' || lpad((p.rn + {done})::text, 10, '0')",
            "person_id": "p.id",
            "person_name": "p.name",
            "event_ref": f"'bench-' || (p.rn + {done})",
            "event_key": f"'bench:' || (p.rn + {done})",
            "event_keys": f"jsonb_build_array('bench:' || (p.rn + {done}))",
            "previous_id": "NULL",
            "parent_id": "NULL",
            "enrollment_id": "NULL",
        }
        select = ", ".join(computed.get(c, f"t.{c}") for c in columns)
        with connection.cursor() as cur:
            # The first ``missing`` persons by id (all of them, in turn, when there are fewer): numbered once, then
            # joined on an equality a hash join can use — a window over the whole registry and a modulo against a
            # per-row total made this a nested loop over ten million persons at province scale.
            cur.execute("SELECT count(*) FROM (SELECT 1 FROM registry_person LIMIT %s) x", [missing])
            total = max(cur.fetchone()[0], 1)
            cur.execute(
                f"INSERT INTO subsidies_claim ({', '.join(columns)}) SELECT {select} FROM subsidies_claim t, "  # noqa: S608
                "(SELECT g.rn, q.id, q.name FROM generate_series(1, %s) AS g(rn) JOIN (SELECT id, name, "
                "row_number() OVER (ORDER BY id) - 1 AS k FROM (SELECT id, name FROM registry_person ORDER BY id "
                "LIMIT %s) s) q ON q.k = (g.rn - 1) %% %s) p WHERE t.id = %s",
                [missing, total, total, template],
            )
        approved = list(Claim.objects.filter(status="approved").values_list("id", flat=True))
    return approved[:count]


def _finance_actor() -> Any:
    """The demo's 财务 over 440000 when the demo data is loaded, else a finance user over 440000 made for the bench."""
    from jineng.accounts.models import User
    from jineng.accounts.services import grant_create

    user = User.objects.filter(username__in=["demo-province", "bench-finance"]).order_by("username").first()
    if user is None:
        user = User.objects.create_user(username="bench-finance", password=None)
        grant_create(actor=None, user=user, function="finance", region_code="440000")
    return user


@bench("payment_batch")
def payment_batch(scale: str, n: int) -> Result:
    """生成拨付批次 of approved claims (``subsidies.payments.batch_create``: locks, visibility, fund accounts, one
    line per claim, status and step per claim, audit) and then the ledger reconciliation (``ledger.reconcile``) vs
    the same lines written by one INSERT … SELECT into a scratch copy of the lines table plus one UPDATE of the
    claims, and the reconciliation's sums in one SQL query."""
    from django.db import connection, transaction

    from jineng.subsidies.services.ledger import reconcile
    from jineng.subsidies.services.payments import batch_create

    ensure_dataset(scale)
    count = PAYMENT_CLAIMS.get(scale, 100_000)
    ids = _approved_claims(count)
    actor = _finance_actor()
    with connection.cursor() as cur:
        cur.execute("CREATE TEMP TABLE bench_claim AS SELECT * FROM subsidies_claim WHERE status = 'approved'")
        cur.execute("CREATE TEMP TABLE bench_line (LIKE subsidies_paymentline INCLUDING ALL)")
    with Timer() as base_batch, transaction.atomic(), connection.cursor() as cur:
        cur.execute(
            "INSERT INTO bench_line (id, created_at, updated_at, batch_id, seq, claim_id, region_id, fund_account_id, "
            "amount_fen, payee_name, payee_bank, payee_channel, payee_account_enc, payee_account_masked, state, "
            "failure_reason, bank_reference) SELECT gen_random_uuid(), now(), now(), gen_random_uuid(), "
            "row_number() OVER (ORDER BY c.id), c.id, a.region_id, a.id, c.payable_fen, c.payee_name, c.payee_bank, "
            "c.payee_channel, c.payee_account_enc, c.payee_account_masked, 'pending', '', '' FROM bench_claim c "
            "JOIN LATERAL (SELECT f.id, f.region_id FROM subsidies_fundaccount f WHERE f.fund_source = c.fund_source "
            "ORDER BY f.region_id LIMIT 1) a ON true "
            "WHERE c.id = ANY(%s)",
            [ids],
        )
        cur.execute("UPDATE bench_claim SET status = 'in_payment' WHERE id = ANY(%s)", [ids])
    with Timer() as ours_batch:
        batch = batch_create(actor=actor, claim_ids=ids, note="bench")
    with Timer() as ours_reconcile:
        report = reconcile()
    with Timer() as base_reconcile, connection.cursor() as cur:
        cur.execute(
            "SELECT a.id, (SELECT coalesce(sum(amount_fen), 0) FROM subsidies_paymentline l WHERE l.fund_account_id = a.id "
            "AND l.state = 'paid'), (SELECT coalesce(sum(t.amount_fen), 0) FROM subsidies_ledgertransaction t "
            "WHERE t.fund_account_id = a.id AND t.kind = 'payment'), (SELECT count(*) FROM (SELECT e.transaction_id "
            "FROM subsidies_ledgerentry e GROUP BY e.transaction_id HAVING sum(e.debit_fen) <> sum(e.credit_fen)) x) "
            "FROM subsidies_fundaccount a"
        )
        cur.fetchall()
    lines = batch.line_count
    ours_s = ours_batch.seconds + ours_reconcile.seconds
    base_s = base_batch.seconds + base_reconcile.seconds
    note = (f"batch {ours_batch.seconds:.1f} s vs INSERT…SELECT + UPDATE {base_batch.seconds:.2f} s; reconcile "
            f"{ours_reconcile.seconds:.2f} s vs one query {base_reconcile.seconds:.3f} s; "
            f"{len(report.problems)} reconciliation problems")  # fmt: skip
    return Result("payment_batch", scale, lines, ours_s, base_s, ours_s / base_s, peak_mib(),
                  "INSERT … SELECT of the lines + UPDATE of the claims; the sums in one query", note)  # fmt: skip

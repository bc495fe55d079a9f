"""Running the generator: plan, disk check, stages chunk by chunk with a watermark, progress, ground truth.

``seed_province(scale=…, seed=…)`` is what ``jineng seed --scale small|province`` calls. Each chunk is written in one
transaction together with its ``SeedChunk`` watermark; a rerun with the same scale and seed skips the committed
chunks and continues — an interruption loses at most the chunk in flight.
"""

from __future__ import annotations

import json
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import numpy as np
from django.conf import settings
from django.db import connections, transaction

from jineng.synthetic import bulkload
from jineng.synthetic import people as P
from jineng.synthetic import plan as pl_
from jineng.synthetic.calibration import DEFAULT, Calibration
from jineng.synthetic.models import SeedChunk, SeedRun
from jineng.synthetic.plan import MONTHS, Plan
from jineng.synthetic.stages import COHORT_STAGES, STAGES, class_ids, far_enrollments, roster
from jineng.synthetic.writer import TableWriter

SCALES = {"tiny": 1_000, "small": 20_000, "province": 10_000_000}
# Bytes on disk per registered person, all stages and indexes included, measured at `small` on PostgreSQL 15
# (bench/README.md): 6.6 kB in bulk mode (indexes built after the load), 8.4 kB when indexes grow row by row.
BYTES_PER_PERSON = {True: 6_700, False: 8_400}
MARGIN = 1.1
SUBSIDY_STAGES = {"claims", "payments"}  # sized separately (jineng.synthetic.claims.BYTES_PER_CLAIM)
BULK_FROM = 1_000_000  # persons from which a PostgreSQL run drops and rebuilds the bulk tables' indexes


class InsufficientDisk(Exception):  # noqa: N818 - a refusal
    pass


class Interrupted(Exception):  # noqa: N818 - raised on purpose by tests (stop_after)
    pass


@dataclass
class SeedResult:
    key: str
    persons: int
    rows: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    skipped_chunks: int = 0
    todo: list[str] = field(default_factory=list)
    ground_truth: str = ""
    tables: dict[str, int] = field(default_factory=dict)


def run_key(scale: str, seed: int, anomalies: bool, persons: int) -> str:
    return f"{scale}-{persons}-{seed}{'-anomalies' if anomalies else ''}"


def build_plan(*, seed: int, persons: int, anomalies: bool, cal: Calibration = DEFAULT) -> Plan:
    from jineng.refdata.models import Occupation, Region

    regions = [
        (c, lv, p or "")
        for c, lv, p in Region.objects.filter(valid_to__isnull=True).values_list("code", "level", "parent_id")
    ]
    occupations = list(Occupation.objects.filter(level="occupation").values_list("id", "code", "name"))
    return Plan(seed=seed, persons=persons, region_rows=regions, occupations=occupations, anomalies=anomalies, cal=cal)


def free_bytes(using: str = "default") -> tuple[int, str]:
    """Free bytes where the database keeps its files (PostgreSQL's data directory when readable, SQLite's file)."""
    connection = connections[using]
    path = ""
    if connection.vendor == "postgresql":
        try:
            with connection.cursor() as cur:
                cur.execute("SHOW data_directory")
                path = cur.fetchone()[0]
        except Exception:  # noqa: BLE001 - not a superuser: fall back to the working directory
            path = ""
    elif connection.vendor == "sqlite":
        name = str(connection.settings_dict["NAME"])
        path = str(Path(name).parent) if name and ":memory:" not in name and "mode=memory" not in name else ""
    target = path if path and Path(path).exists() else str(Path.cwd())
    return shutil.disk_usage(target).free, target


def check_disk(
    persons: int, done_share: float, using: str = "default", bulk: bool = False, claim_months_left: int = 0
) -> int:
    """Refuse to start without the room the remaining chunks need: the registry and training stages (by the share of
    their chunks not yet done) plus the subsidy stages' months not yet done (``claims.BYTES_PER_CLAIM``)."""
    from jineng.synthetic import claims

    need = int(persons * BYTES_PER_PERSON[bulk] * MARGIN * (1 - done_share))
    need += int(claims.expected_claims(persons, claim_months_left) * claims.BYTES_PER_CLAIM * MARGIN)
    free, where = free_bytes(using)
    if need > free:
        raise InsufficientDisk(
            f"磁盘空间不足：生成约需 {need / 2**30:.1f} GiB，{where} 仅剩 {free / 2**30:.1f} GiB。"
            f" (need ≈ {need / 2**30:.1f} GiB, free {free / 2**30:.1f} GiB at {where})"
        )
    return need


def seed_province(
    *,
    scale: str,
    seed: int,
    anomalies: bool = False,
    persons: int | None = None,
    ground_truth: str | Path | None = None,
    progress: bool = True,
    stop_after: int | None = None,
    using: str = "default",
    out: TextIO | Any = None,
    cal: Calibration = DEFAULT,
    bulk: bool | None = None,
) -> SeedResult:
    out = out or sys.stdout
    persons = persons or SCALES[scale]
    key = run_key(scale, seed, anomalies, persons)
    plan = build_plan(seed=seed, persons=persons, anomalies=anomalies, cal=cal)
    params = {"persons": persons, "anomalies": anomalies, "months": MONTHS, "version": 1}
    run, created = SeedRun.objects.using(using).get_or_create(
        key=key, defaults={"seed": seed, "scale": scale, "params": params}
    )
    if not created and run.params != params:
        raise ValueError(f"run {key} exists with other parameters {run.params}")
    done = set(SeedChunk.objects.using(using).filter(run=run).values_list("stage", "chunk"))
    total_chunks = sum(s.chunks(plan) for s in STAGES if s.ready)
    if bulk is None:
        bulk = connections[using].vendor == "postgresql" and persons >= BULK_FROM
    # A run that has committed chunks without bulk mode (e.g. a finished run getting the stages added since) goes on
    # without it: dropping and rebuilding the indexes of everything already loaded is not worth a few new tables.
    if done and not run.dropped:
        bulk = False
    bulk = bool(bulk and connections[using].vendor == "postgresql")
    base = [s for s in STAGES if s.ready and s.name not in SUBSIDY_STAGES]
    base_total = sum(s.chunks(plan) for s in base)
    base_done = len({(stage, chunk) for stage, chunk in done if stage not in SUBSIDY_STAGES})
    from jineng.synthetic.claims import claim_months

    months_left = len([m for m in claim_months(persons) if ("payments", m) not in done])
    need = check_disk(persons, base_done / max(base_total, 1), using, bulk or bool(run.dropped), months_left)
    out.write(f"seed {key}: {persons:,} persons, ≈ {need / 2**30:.1f} GiB to write; {len(done)} chunks already done\n")
    if bulk and not run.dropped:
        ddl = bulkload.secondary_ddl(using)
        SeedRun.objects.using(using).filter(pk=key).update(dropped=ddl)  # kept before anything is dropped
        run.dropped = ddl
    if run.dropped:
        out.write(f"bulk mode: {len(run.dropped)} indexes and constraints dropped for the load, recreated at the end\n")
        bulkload.drop(run.dropped, using)
    writer = TableWriter(using)
    result = SeedResult(key=key, persons=persons, skipped_chunks=len(done))
    committed = [0]

    def run_chunk(stage_name: str, m: int, fn: Callable[..., int], ctx: dict[str, Any]) -> None:
        if (stage_name, m) in done:
            return
        started = time.perf_counter()
        with transaction.atomic(using=using):
            rows = fn(plan, m, writer, ctx)
            SeedChunk.objects.using(using).create(run=run, stage=stage_name, chunk=m, rows=rows,
                                                  seconds=time.perf_counter() - started)  # fmt: skip
        result.rows[stage_name] = result.rows.get(stage_name, 0) + rows
        result.seconds[stage_name] = result.seconds.get(stage_name, 0.0) + time.perf_counter() - started
        committed[0] += 1
        if stop_after is not None and committed[0] >= stop_after:
            raise Interrupted(f"stopped after {committed[0]} chunks")

    bar = _bar(total_chunks, progress, len(done & {(s.name, c) for s in STAGES for c in range(s.chunks(plan))}))
    try:
        simple = [s for s in STAGES if s.ready and s.name not in COHORT_STAGES]
        cohort_stages = [s for s in STAGES if s.ready and s.name in COHORT_STAGES]
        for stage in simple:
            for m in range(stage.chunks(plan)):
                assert stage.run is not None
                run_chunk(stage.name, m, stage.run, {})
                bar.update(0 if (stage.name, m) in done else 1)
                bar.set_postfix_str(f"{stage.name} {m + 1}/{stage.chunks(plan)}")
        for m in range(MONTHS):
            todo = [s for s in cohort_stages if (s.name, m) not in done]
            if not todo:
                continue
            ctx: dict[str, Any] = {"cohort": plan.cohort(m)}
            for stage in todo:
                assert stage.run is not None
                run_chunk(stage.name, m, stage.run, ctx)
                bar.update(1)
                bar.set_postfix_str(f"{month_label(m)} {stage.name}")
    finally:
        bar.close()
    for stage in STAGES:
        if not stage.ready:
            result.todo.append(f"{stage.name}: TODO — {stage.note}")
            out.write(f"  stage {stage.name}: TODO — {stage.note}\n")
    if run.dropped:
        started = time.perf_counter()
        bulkload.restore(run.dropped, using)
        SeedRun.objects.using(using).filter(pk=key).update(dropped=[])
        result.seconds["indexes"] = time.perf_counter() - started
        out.write(f"  recreated {len(run.dropped)} indexes and constraints in {result.seconds['indexes']:.0f} s\n")
    finalize(plan, using)
    if anomalies:
        from jineng.synthetic.plant import plant

        plant(plan)  # the patterns the cohort plan does not inject (idempotent)
        path = Path(ground_truth or default_ground_truth(key))
        write_ground_truth(plan, path)
        result.ground_truth = str(path)
    SeedRun.objects.using(using).filter(pk=key).update(finished_at=_now())
    result.tables = dict(writer.counts)
    return result


def month_label(m: int) -> str:
    d = pl_.month_start(m)
    return f"{d.year}-{d.month:02d}"


def default_ground_truth(key: str) -> Path:
    return Path(getattr(settings, "JINENG_VAR_DIR", "var")) / "synthetic" / f"anomalies-{key}.jsonl"


def _now() -> Any:
    from django.utils import timezone

    return timezone.now()


class _NoBar:
    def update(self, n: int) -> None:
        pass

    def set_postfix_str(self, s: str) -> None:
        pass

    def close(self) -> None:
        pass


def _bar(total: int, enabled: bool, initial: int) -> Any:
    if not enabled:
        return _NoBar()
    from tqdm import tqdm

    return tqdm(total=total, initial=initial, unit="chunk", desc="seed", dynamic_ncols=True)


# ---- after the stages ----------------------------------------------------------------------------------------------


def finalize(plan: Plan, using: str = "default") -> None:
    """Move the serial counters past the numbers the generator used, so that the services continue after them."""
    from django.db.models import Max

    from jineng.certificates.models import Certificate, NumberSerial
    from jineng.training.models import CompletionCertificate, SerialCounter, TrainingClass

    counters: dict[tuple[str, int], int] = {}
    for code in (
        TrainingClass.objects.using(using)
        .filter(code__startswith="K")
        .values_list("code", flat=True)
        .iterator(chunk_size=20_000)
    ):
        prefix, year, serial = "class-" + code[1:7], int(code[7:11]), int(code[11:])
        counters[(prefix, year)] = max(counters.get((prefix, year), 0), serial)
    for serial in (
        CompletionCertificate.objects.using(using).values_list("serial", flat=True).iterator(chunk_size=50_000)
    ):
        prefix, year, number = "certificate-" + serial[2:8], int(serial[8:12]), int(serial[12:])
        counters[(prefix, year)] = max(counters.get((prefix, year), 0), number)
    with transaction.atomic(using=using):
        for (prefix, year), last in counters.items():
            row, _ = SerialCounter.objects.using(using).get_or_create(prefix=prefix, year=year)
            if row.last < last:
                SerialCounter.objects.using(using).filter(pk=row.pk).update(last=last)
        numbers: dict[str, int] = {}
        for number in Certificate.objects.using(using).values_list("number", flat=True).iterator(chunk_size=50_000):
            prefix, serial = number[:11], int(number[11:18])
            numbers[prefix] = max(numbers.get(prefix, 0), serial)
        for prefix, last in numbers.items():
            row2, _ = NumberSerial.objects.using(using).get_or_create(prefix=prefix)
            if row2.last < last:
                NumberSerial.objects.using(using).filter(pk=prefix).update(last=last)
        del Max
        _subsidy_serials(using)
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")


def _subsidy_serials(using: str) -> None:
    """Claim (BT…) and batch (BF…) numbers: ``<prefix><serial:06d>``, the counter per prefix (subsidies.Serial)."""
    from jineng.subsidies.models import Claim, PaymentBatch, Serial

    last: dict[str, int] = {}
    for model in (Claim, PaymentBatch):
        for number in model.objects.using(using).values_list("number", flat=True).iterator(chunk_size=50_000):
            prefix, serial = number[:-6], number[-6:]
            if serial.isdigit():
                last[prefix] = max(last.get(prefix, 0), int(serial))
    for prefix, serial in last.items():
        row, _ = Serial.objects.using(using).get_or_create(prefix=prefix)
        if row.last < serial:
            Serial.objects.using(using).filter(pk=prefix).update(last=serial)


def _uuid(hex32: str) -> str:
    return f"{hex32[:8]}-{hex32[8:12]}-{hex32[12:16]}-{hex32[16:20]}-{hex32[20:]}"


def anomaly_records(plan: Plan) -> list[dict[str, Any]]:
    """The injected anomalies with the ids of their records (pure function of the plan)."""
    out: list[dict[str, Any]] = []
    for salt, pattern in ((P.S_PHONE + 500, "shared_phone"), (P.S_BANK + 500, "shared_bank")):
        clusters: dict[int, list[int]] = {}
        for member, leader in plan.shared_clusters(salt, 0, plan.persons).items():
            clusters.setdefault(leader, []).append(member)
        for _leader, members in sorted(clusters.items()):
            idx = np.array(sorted(members), dtype=np.int64)
            record: dict[str, Any] = {"pattern": pattern, "person_ids": [_uuid(x) for x in plan.person_ids(idx)]}
            if pattern == "shared_bank":
                record["bank_account_ids"] = [
                    _uuid(x) for x in pl_.ids(plan.seed, pl_.S_BANKID, idx, plan.registered_ms(idx))
                ]
            out.append(record)
    for m in range(MONTHS):
        cohort = plan.cohort(m)
        e = cohort.enr
        if not len(e["key"]):
            continue
        r = roster(plan, cohort)
        by_key = {int(k): _uuid(i) for k, i in zip(e["key"], r["id"], strict=True)}
        cids = class_ids(plan, cohort.classes)
        pids = plan.person_ids(e["idx"])
        for row in np.flatnonzero(e["kind"] == pl_.PASSES["ghost"]):
            out.append({"pattern": "ghost", "enrollment_id": by_key[int(e["key"][row])], "person_id": _uuid(pids[row]),
                        "group": plan.group_codes[int(e["group"][row])]})  # fmt: skip
        for a in cohort.anomalies:
            out.append({"pattern": "double_booking", "person_id": _uuid(plan.person_ids(np.array([a["person_index"]]))[0]),
                        "enrollment_ids": [by_key[k] for k in a["enrollment_keys"]],
                        "class_ids": [_uuid(cids[np.flatnonzero(cohort.classes["key"] == k)[0]]) for k in a["class_keys"]]})  # fmt: skip
        far = far_enrollments(plan, cohort)
        for row in np.flatnonzero(far & (r["present"].sum(axis=1) > 0)):
            out.append({"pattern": "far_attendance", "enrollment_id": by_key[int(e["key"][row])],
                        "person_id": _uuid(pids[row]), "events": int(r["present"][row].sum()) * 2})  # fmt: skip
    return out


def all_anomaly_records(plan: Plan) -> list[dict[str, Any]]:
    """Every pattern's ground truth: the injected ones (``anomaly_records``), the planted ones
    (``plant.planted_records``) and the repeated subsidies the load wrote (``plant.double_subsidy_records``)."""
    from jineng.synthetic.plant import double_subsidy_records, planted_records

    return anomaly_records(plan) + planted_records(plan) + double_subsidy_records()


def write_ground_truth(plan: Plan, path: Path) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    records = all_anomaly_records(plan)
    with path.open("w", encoding="utf-8") as fh:
        for record in records:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return len(records)

"""The generator's stages, in order. Each stage writes one chunk (a monthly cohort, or the whole catalog) as frames
into the platform's own tables, following the platform's rules: valid ID numbers, personal data encrypted and
keyed-hashed with ``jineng.common.crypto`` (the registry's field contexts), masked forms, classes with their workflow
transitions and sessions, enrollments with the groups and eligibility held, attendance whose credited 学时 and rate
are what ``rules.training.credit_hours`` gives, results by ``attendance.min_rate_percent``, certificate numbers with
their check characters.

The subsidy claims and payments stages are in ``jineng.synthetic.claims``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

from jineng.common.crypto import blind_index, encrypt, keyring
from jineng.common.masking import mask_bank_account, mask_id_number, mask_phone
from jineng.registry.identity import BANK_CONTEXT, DOC_CONTEXT, PHONE_CONTEXT
from jineng.synthetic import people as P
from jineng.synthetic import plan as pl_
from jineng.synthetic.plan import AS_OF, CREDIT_PER_SESSION, MONTHS, Plan, ids, month_start
from jineng.synthetic.writer import TableWriter

TS = pl.Datetime("us", "UTC")
SOURCE = "合成数据"
BANKS = ["中国工商银行", "中国农业银行", "中国银行", "中国建设银行", "中国邮政储蓄银行", "广东农信", "招商银行"]
BRANDS = [
    "南粤",
    "鼎新",
    "启航",
    "明德",
    "卓越",
    "博雅",
    "匠心",
    "技达",
    "众诚",
    "华南",
    "岭南",
    "粤技",
    "新程",
    "恒达",
]
TYPES = [("private_training", "职业培训学校", 0.6), ("technical_school", "技工学校", 0.15),
         ("vocational_college", "职业技术学院", 0.15), ("enterprise_center", "企业培训中心", 0.1)]  # fmt: skip
KIND_LABELS = {"employment": "就业技能培训", "upgrading": "岗位技能提升培训", "digital": "数字技能培训"}
LEVEL_NAMES = {"grade5": "初级工", "grade4": "中级工", "grade3": "高级工", "grade2": "技师", "grade1": "高级技师"}


def _ts(ms: np.ndarray | int, n: int | None = None) -> pl.Series:
    arr = np.asarray(ms, dtype=np.int64)
    if n is not None:
        arr = np.broadcast_to(arr, (n,))
    return pl.Series(arr * 1000).cast(pl.Datetime("us")).dt.replace_time_zone("UTC")


def _ts_where(ms: np.ndarray, mask: np.ndarray) -> pl.Series:
    """Timestamps where ``mask`` holds, NULL elsewhere."""
    frame = pl.DataFrame({"v": _ts(ms), "m": mask})
    return frame.select(pl.when(pl.col("m")).then(pl.col("v")).alias("v")).to_series()


def _dates(values: np.ndarray) -> pl.Series:
    return pl.Series(values.astype("datetime64[D]"))


def _ms(days: np.ndarray, hour: float = 0) -> np.ndarray:
    """Milliseconds since the epoch of datetime64[D] values plus ``hour`` hours (UTC)."""
    return days.astype("datetime64[D]").astype(np.int64) * 86_400_000 + int(hour * 3_600_000)


def _seal(values: np.ndarray, context: str) -> tuple[list[str], list[str]]:
    """Encrypt and keyed-hash a batch with the platform's functions (one keyring lookup for the batch)."""
    ring = keyring()
    enc = [encrypt(str(v), context=context, ring=ring) for v in values]
    digest = [blind_index(str(v), context=context, ring=ring) for v in values]
    return enc, digest


@dataclass
class Stage:
    name: str
    chunks: Callable[[Plan], int]
    run: Callable[[Plan, int, TableWriter, dict[str, Any]], int] | None
    ready: bool = True
    note: str = ""


# ---- persons --------------------------------------------------------------------------------------------------------


def persons_chunk(plan: Plan, m: int, w: TableWriter, ctx: dict[str, Any]) -> int:
    from jineng.registry.models import (
        BankAccount,
        EmploymentRecord,
        GroupMembership,
        IdentityDocument,
        Person,
        PersonFact,
    )

    idx = plan.cohort_range(m)
    if not len(idx):
        return 0
    a = plan.pop.persons(idx)
    n = len(idx)
    seed = plan.seed
    phones = a["phone"].copy()
    shared = plan.shared_clusters(P.S_PHONE + 500, int(idx[0]), int(idx[-1]) + 1)
    if shared:
        members = np.array([i for i in shared if idx[0] <= i <= idx[-1]], dtype=np.int64)
        if len(members):
            leaders = np.array([shared[int(i)] for i in members], dtype=np.int64)
            phones[members - idx[0]] = plan.pop.phones(leaders)
    ms = plan.registered_ms(idx)
    pid = plan.person_ids(idx)
    phone_enc, phone_hash = _seal(phones, PHONE_CONTEXT)
    number_enc, number_hash = _seal(a["id_number"], DOC_CONTEXT)
    ghost = plan.is_ghost(a["group"])
    w.write(Person, pl.DataFrame({
        "id": pid, "created_at": _ts(ms), "updated_at": _ts(ms), "name": a["name"],
        "sex": np.where(a["male"], "male", "female"), "birth_date": _dates(a["birth_date"]),
        "phone_enc": phone_enc, "phone_hash": phone_hash, "phone_masked": [mask_phone(p) for p in phones],
        "hukou_region_id": a["id_county"].astype("U6"),
        "hukou_type": np.where(a["agricultural"], "agricultural", "non_agricultural"),
        "residence_region_id": a["residence"].astype("U6"), "education": a["education"], "status": "active",
        "source": "import",
    }))  # fmt: skip
    w.write(IdentityDocument, pl.DataFrame({
        "id": ids(seed, pl_.S_DOC, idx, ms), "created_at": _ts(ms), "updated_at": _ts(ms), "person_id": pid,
        "doc_type": "resident_id", "number_enc": number_enc, "number_hash": number_hash,
        "number_masked": [mask_id_number(x) for x in a["id_number"]], "is_primary": True,
        "verification": "automatic",
    }))  # fmt: skip
    reg_day = (ms // 86_400_000).astype("datetime64[D]")
    keep = ~ghost
    codes = np.array(plan.group_codes)
    grad_year = a["birth_date"].astype("datetime64[Y]").astype(np.int64) + 1970 + 22
    is_grad = codes[a["group"]] == "college_graduate"
    w.write(GroupMembership, pl.DataFrame({
        "id": ids(seed, pl_.S_MEM, idx[keep], ms[keep]), "created_at": _ts(ms[keep]), "updated_at": _ts(ms[keep]),
        "person_id": pid[keep], "group": codes[a["group"][keep]], "valid_from": _dates(reg_day[keep]),
        "valid_to": pl.Series([None] * int(keep.sum()), dtype=pl.Date),
        "graduation_year": pl.Series(np.where(is_grad[keep], grad_year[keep], -1)).replace(-1, None),
        "source": SOURCE,
    }))  # fmt: skip
    if ghost.any():
        retired = codes[a["group"][ghost]] == "retiree"
        born = a["birth_date"][ghost]
        started = np.where(
            retired, born + np.timedelta64(60 * 365 + 15, "D"), born + np.timedelta64(15 * 365 + 250, "D")
        )
        w.write(EmploymentRecord, pl.DataFrame({
            "id": ids(seed, pl_.S_EMP, idx[ghost], ms[ghost]), "created_at": _ts(ms[ghost]),
            "updated_at": _ts(ms[ghost]), "person_id": pid[ghost],
            "status": np.where(retired, "retired", "student"), "started_on": _dates(started), "source": SOURCE,
        }))  # fmt: skip
    w.write(PersonFact, pl.DataFrame({
        "person_id": pid, "region_id": a["residence"].astype("U6"), "kind": "registry.registered", "ref": "",
        "occurred_on": _dates(reg_day), "created_at": _ts(ms),
    }))  # fmt: skip
    # 银行账户: a quarter of the persons (subsidies paid to the person), and every member of a shared-account cluster.
    banked = P.uniform(seed, P.S_BANK, idx) < 0.25
    shared_bank = plan.shared_clusters(P.S_BANK + 500, int(idx[0]), int(idx[-1]) + 1)
    owner = idx.copy()
    for i, leader in shared_bank.items():
        if idx[0] <= i <= idx[-1]:
            banked[i - idx[0]] = True
            owner[i - idx[0]] = leader
    if banked.any():
        accounts = np.strings.add(
            "6217", np.char.zfill(P.below(seed, P.S_BANKNO, owner[banked], 10**15).astype("U15"), 15)
        )
        enc, digest = _seal(accounts, BANK_CONTEXT)
        w.write(BankAccount, pl.DataFrame({
            "id": ids(seed, pl_.S_BANKID, idx[banked], ms[banked]), "created_at": _ts(ms[banked]),
            "updated_at": _ts(ms[banked]), "person_id": pid[banked],
            "bank_name": np.array(BANKS)[P.below(seed, P.S_BANKNO + 1, owner[banked], len(BANKS))],
            "account_enc": enc, "account_hash": digest, "account_masked": [mask_bank_account(x) for x in accounts],
            "is_active": True,
        }))  # fmt: skip
    return n


# ---- providers, programs, evaluators -------------------------------------------------------------------------------


def _credit_code(prefix: str, county: int, serial: int) -> str:
    from jineng.common.codes import credit_code_check_char

    first17 = f"{prefix}{county:06d}{serial:09d}"
    return first17 + credit_code_check_char(first17)


def catalog_ids(plan: Plan) -> dict[str, np.ndarray]:
    n = len(plan.catalog.cities)
    j = np.arange(n, dtype=np.int64)
    ms = pl_.epoch_ms(dt.date(2021, 6, 1))
    prog = np.arange(n * 4, dtype=np.int64)
    cities = np.unique(plan.catalog.cities)
    return {
        "org": ids(plan.seed, 701, j, ms), "profile": ids(plan.seed, 702, j, ms), "listing": ids(plan.seed, 703, j, ms),
        "application": ids(plan.seed, 704, j, ms), "program": ids(plan.seed, 705, prog, ms),
        "eval_org": ids(plan.seed, 706, np.arange(len(cities)), ms), "cities": cities,
    }  # fmt: skip


def providers_chunk(plan: Plan, m: int, w: TableWriter, ctx: dict[str, Any]) -> int:
    from jineng.accounts.models import Organization
    from jineng.certificates.models import EvaluatorFiling
    from jineng.providers.models import (
        CatalogListing,
        LicenceItem,
        ListingEvent,
        ListingScope,
        OrganizationProfile,
        Program,
        ProviderApplication,
        ProviderListing,
    )
    from jineng.refdata.models import Region

    cat = plan.catalog
    seed = plan.seed
    n = len(cat.cities)
    j = np.arange(n, dtype=np.int64)
    cid = catalog_ids(plan)
    names = dict(Region.objects.filter(code__startswith="44").values_list("code", "name"))
    ms = pl_.epoch_ms(dt.date(2021, 6, 1))
    type_pick = np.searchsorted(np.cumsum([t[2] for t in TYPES]), P.uniform(seed, 710, j))
    types = [TYPES[min(t, len(TYPES) - 1)] for t in type_pick]
    brand = np.array(BRANDS)[P.below(seed, 711, j, len(BRANDS))]
    org_names = [
        f"{names.get(str(c), '')}{b}{t[1]}（{k + 1}）" for c, b, t, k in zip(cat.counties, brand, types, j, strict=True)
    ]
    w.write(Organization, pl.DataFrame({
        "id": cid["org"], "kind": "provider", "name": org_names,
        "credit_code": [_credit_code("52", int(c), 700_000_000 + int(k)) for c, k in zip(cat.counties, j, strict=True)],
        "region_id": cat.counties.astype("U6"), "status": "active", "created_at": _ts(ms, n),
    }))  # fmt: skip
    licensed = np.array([t[0] in ("private_training", "technical_school") for t in types])
    contacts = plan.pop.phones(10**12 + j)
    w.write(OrganizationProfile, pl.DataFrame({
        "id": cid["profile"], "created_at": _ts(ms, n), "updated_at": _ts(ms, n), "organization_id": cid["org"],
        "provider_type": [t[0] for t in types], "evaluator_type": "",
        "address": [f"{names.get(str(c), '')}{b}路{k % 300 + 1}号" for c, b, k in zip(cat.counties, brand, j, strict=True)],
        "latitude": cat.lat, "longitude": cat.lon, "contact_name": plan.pop.names(10**12 + j, np.zeros(n, bool)),
        "contact_phone_enc": [encrypt(str(p), context="providers.profile.contact_phone") for p in contacts],
        "contact_phone_masked": [mask_phone(p) for p in contacts],
        "licence_number": np.where(licensed, np.strings.add("粤人社民", j.astype("U8")), ""),
        "licence_issuer": np.where(licensed, "广东省人力资源和社会保障厅", ""),
        "licence_valid_from": pl.Series(np.where(licensed, np.datetime64("2020-01-01"), np.datetime64("NaT"))),
        "licence_valid_until": pl.Series(np.where(licensed, np.datetime64("2027-12-31"), np.datetime64("NaT"))),
        "source": "import",
    }))  # fmt: skip
    w.write(ProviderListing, pl.DataFrame({
        "id": cid["listing"], "created_at": _ts(ms, n), "updated_at": _ts(ms, n), "profile_id": cid["profile"],
        "region_id": cat.counties.astype("U6"), "status": "listed", "valid_from": dt.date(2021, 7, 1),
        "valid_until": dt.date(2027, 6, 30), "capacity_per_year": 2000,
    }))  # fmt: skip
    decided = _ts(pl_.epoch_ms(dt.date(2021, 6, 28)), n)
    w.write(ProviderApplication, pl.DataFrame({
        "id": cid["application"], "created_at": _ts(ms, n), "updated_at": decided, "profile_id": cid["profile"],
        "kind": "new", "status": "approved", "region_id": cat.counties.astype("U6"), "capacity_per_year": 2000,
        "description": "", "submitted_at": _ts(ms, n), "review_due": dt.date(2021, 6, 15),
        "reviewed_at": _ts(pl_.epoch_ms(dt.date(2021, 6, 10)), n), "review_opinion": "材料齐全，同意。",
        "approval_due": dt.date(2021, 6, 30), "decided_at": decided, "decision_opinion": "同意纳入目录。",
        "listing_id": cid["listing"],
    }))  # fmt: skip
    w.write(ListingEvent, pl.DataFrame({
        "id": ids(seed, 712, j, ms), "created_at": decided, "updated_at": decided, "listing_id": cid["listing"],
        "kind": "listed", "effective_date": dt.date(2021, 7, 1), "valid_until": dt.date(2027, 6, 30),
        "reason": "", "document_number": "粤人社函〔2021〕合成", "decided_by_name": "广东省人力资源和社会保障厅",
        "application_id": cid["application"],
    }))  # fmt: skip
    prog_rows: list[dict[str, Any]] = []
    for k in range(n):
        for g, spec in enumerate(cat.programs[k]):
            prog_rows.append({"provider": k, "slot": g, **spec})
    pn = len(prog_rows)
    p_occ = np.array([r["occupation"][0] for r in prog_rows], dtype=np.int64)
    p_level = np.array([r["level"] for r in prog_rows])
    p_kind = np.array([r["kind"] for r in prog_rows])
    p_prov = np.array([r["provider"] for r in prog_rows], dtype=np.int64)
    hours = np.array([r["sessions"] for r in prog_rows], dtype=np.int64) * CREDIT_PER_SESSION
    w.write(ListingScope, pl.DataFrame({
        "occupation_id": p_occ, "level_id": p_level, "training_kind": p_kind, "listing_id": cid["listing"][p_prov],
        "application_id": cid["application"][p_prov], "added_on": dt.date(2021, 7, 1),
        "removed_on": pl.Series([None] * pn, dtype=pl.Date),
    }))  # fmt: skip
    lic = licensed[p_prov]
    occ_level = {(int(p), int(o)) for p, o in zip(p_prov[lic], p_occ[lic], strict=True)}
    if occ_level:
        pairs = sorted(occ_level)
        w.write(LicenceItem, pl.DataFrame({
            "id": ids(seed, 713, np.arange(len(pairs)), ms), "created_at": _ts(ms, len(pairs)),
            "updated_at": _ts(ms, len(pairs)), "profile_id": cid["profile"][[p for p, _o in pairs]],
            "occupation_id": [o for _p, o in pairs], "max_level_id": "grade2",
            "removed_at": pl.Series([None] * len(pairs), dtype=TS),
        }))  # fmt: skip
    w.write(Program, pl.DataFrame({
        "id": cid["program"], "created_at": _ts(ms, pn), "updated_at": _ts(ms, pn),
        "code": [f"XM{cat.cities[r['provider']]}{r['provider']:06d}{r['slot']}" for r in prog_rows],
        "name": [f"{r['occupation'][1]}（{LEVEL_NAMES[r['level']]}）{KIND_LABELS[r['kind']]}" for r in prog_rows],
        "occupation_id": p_occ, "level_id": p_level, "training_kind": p_kind,
        "hours_theory": hours // 3, "hours_practice": hours - hours // 3, "syllabus": "", "delivery": "offline",
        "subsidy_category": [r["category"] for r in prog_rows], "region_id": cat.cities[p_prov].astype("U6"),
        "retired_at": pl.Series([None] * pn, dtype=TS),
    }))  # fmt: skip
    w.write(CatalogListing, pl.DataFrame({
        "id": ids(seed, 714, np.arange(pn), ms), "created_at": _ts(ms, pn), "updated_at": _ts(ms, pn),
        "program_id": cid["program"], "resource_id": pl.Series([None] * pn, dtype=pl.Utf8),
        "region_id": cat.cities[p_prov].astype("U6"), "valid_from": dt.date(2021, 7, 1),
        "valid_until": pl.Series([None] * pn, dtype=pl.Date), "status": "listed",
        "document_number": "粤人社函〔2021〕合成",
    }))  # fmt: skip
    # One evaluation organization per city, filed for every occupation and level its programs train.
    cities = cid["cities"]
    ev = len(cities)
    w.write(Organization, pl.DataFrame({
        "id": cid["eval_org"], "kind": "evaluator", "name": [f"{names.get(str(c), '')}职业技能评价中心" for c in cities],
        "credit_code": [_credit_code("12", int(c), 800_000_000 + k) for k, c in enumerate(cities)],
        "region_id": cities.astype("U6"), "status": "active", "created_at": _ts(ms, ev),
    }))  # fmt: skip
    w.write(OrganizationProfile, pl.DataFrame({
        "id": ids(seed, 715, np.arange(ev), ms), "created_at": _ts(ms, ev), "updated_at": _ts(ms, ev),
        "organization_id": cid["eval_org"], "provider_type": "", "evaluator_type": "social", "source": "import",
    }))  # fmt: skip
    city_index = {int(c): k for k, c in enumerate(cities)}
    filings = sorted(
        {(city_index[int(cat.cities[p])], int(o), str(lv)) for p, o, lv in zip(p_prov, p_occ, p_level, strict=True)}
    )
    fn = len(filings)
    w.write(EvaluatorFiling, pl.DataFrame({
        "id": ids(seed, 716, np.arange(fn), ms), "created_at": _ts(ms, fn), "updated_at": _ts(ms, fn),
        "organization_id": cid["eval_org"][[f[0] for f in filings]], "route": "social",
        "occupation_id": [f[1] for f in filings], "level_id": [f[2] for f in filings],
        "region_id": cities[[f[0] for f in filings]].astype("U6"), "valid_from": dt.date(2021, 7, 1),
        "valid_until": pl.Series([None] * fn, dtype=pl.Date), "document_number": "粤人社评备〔2021〕合成",
        "revoked_at": pl.Series([None] * fn, dtype=TS), "revoke_reason": "",
    }))  # fmt: skip
    return n + pn + ev + fn


def filing_ids(plan: Plan) -> dict[tuple[int, int, str], str]:
    cat = plan.catalog
    cid = catalog_ids(plan)
    city_index = {int(c): k for k, c in enumerate(cid["cities"])}
    keys = sorted({(city_index[int(cat.cities[p])], int(spec["occupation"][0]), str(spec["level"]))
                   for p in range(len(cat.cities)) for spec in cat.programs[p]})  # fmt: skip
    ms = pl_.epoch_ms(dt.date(2021, 6, 1))
    values = ids(plan.seed, 716, np.arange(len(keys)), ms)
    return {k: str(v) for k, v in zip(keys, values, strict=True)}


# ---- classes, sessions ---------------------------------------------------------------------------------------------


def class_ids(plan: Plan, classes: dict[str, np.ndarray]) -> np.ndarray:
    return ids(plan.seed, pl_.S_CLASS, classes["key"], _ms(classes["start"] - np.timedelta64(20, "D"), 2))


def class_codes(c: dict[str, np.ndarray]) -> np.ndarray:
    """班级编号 K + county + year + five-digit serial (the format ``training.services.support.class_code`` issues)."""
    year = c["start"].astype("datetime64[Y]").astype(np.int64) + 1970
    return np.array([f"K{cty}{y}{s:05d}" for cty, y, s in zip(c["county"], year, c["serial"], strict=True)])


def classes_chunk(plan: Plan, m: int, w: TableWriter, ctx: dict[str, Any]) -> int:
    from jineng.training.models import ClassSession, ClassTransition, TrainingClass

    cohort = ctx.get("cohort") or plan.cohort(m)
    c = cohort.classes
    n = len(c["k"])
    if not n:
        return 0
    cat = plan.catalog
    cid = catalog_ids(plan)
    seed = plan.seed
    specs = [cat.programs[p][g] for p, g in zip(c["provider"], c["program"], strict=True)]
    program_id = cid["program"][c["provider"] * 4 + c["program"]]
    class_id = class_ids(plan, c)
    created = _ms(c["start"] - np.timedelta64(20, "D"), 2)
    submitted = _ms(c["start"] - np.timedelta64(18, "D"), 2)
    reviewed = _ms(c["start"] - np.timedelta64(15, "D"), 3)
    started = _ms(c["start"], SESSION_START)
    completed_ms = _ms(c["end"], SESSION_START + SESSION_HOURS + 2)
    done = c["status"] == "completed"
    running = c["status"] == "running"
    names = [
        f"{s['occupation'][1]}{KIND_LABELS[s['kind']]}第{k + 1}期" for s, k in zip(specs, c["serial"], strict=True)
    ]
    w.write(TrainingClass, pl.DataFrame({
        "id": class_id, "created_at": _ts(created), "updated_at": _ts(np.where(done, completed_ms, started)),
        "code": class_codes(c),
        "name": names, "provider_id": cid["profile"][c["provider"]], "organization_id": cid["org"][c["provider"]],
        "program_id": program_id, "occupation_id": [s["occupation"][0] for s in specs],
        "level_id": [s["level"] for s in specs], "training_kind": [s["kind"] for s in specs],
        "training_form": "regular", "subsidy_category": [s["category"] for s in specs],
        "start_date": _dates(c["start"]), "end_date": _dates(c["end"]),
        "planned_size": np.minimum(c["size"] + 5, 32000), "venue_name": "机构本部实训室",
        "venue_latitude": cat.lat[c["provider"]], "venue_longitude": cat.lon[c["provider"]],
        "region_id": c["county"].astype("U6"), "status": c["status"],
        "status_changed_at": _ts(np.where(done, completed_ms, np.where(running, started, reviewed))),
        "submitted_at": _ts(submitted), "review_due": _dates(c["start"] - np.timedelta64(10, "D")),
        "reviewed_at": _ts(reviewed), "review_opinion": "同意开班。",
        "provider_pledge_text": "本机构承诺所报材料真实、培训过程真实。", "provider_pledge_at": _ts(submitted),
        "started_at": _ts_where(started, done | running), "completed_at": _ts_where(completed_ms, done),
        "completed_on": pl.Series(np.where(done, c["end"], np.datetime64("NaT")).astype("datetime64[D]")),
    }))  # fmt: skip
    # Transitions: draft → submitted → approved (→ running → completed).
    steps = [("draft", "submitted", submitted, np.ones(n, bool)), ("submitted", "approved", reviewed, np.ones(n, bool)),
             ("approved", "running", started, done | running), ("running", "completed", completed_ms, done)]  # fmt: skip
    frames = []
    for t, (src, dst, at, mask) in enumerate(steps):
        frames.append(pl.DataFrame({
            "id": ids(seed, pl_.S_TRANS, c["key"][mask] * 4 + t, at[mask]), "training_class_id": class_id[mask],
            "region_id": c["county"][mask].astype("U6"), "organization_id": cid["org"][c["provider"][mask]],
            "source": src, "target": dst, "at": _ts(at[mask]), "actor_name": SOURCE, "reason": "",
        }))  # fmt: skip
    w.write(ClassTransition, pl.concat(frames))
    sess = session_table(plan, c)
    w.write(ClassSession, pl.DataFrame({
        "id": sess["id"], "created_at": _ts(created[sess["cls"]]), "updated_at": _ts(created[sess["cls"]]),
        "training_class_id": class_id[sess["cls"]], "region_id": c["county"][sess["cls"]].astype("U6"),
        "organization_id": cid["org"][c["provider"][sess["cls"]]], "starts_at": _ts(sess["start_ms"]),
        "ends_at": _ts(sess["end_ms"]), "mode": "offline",
        "topic": np.strings.add("第", np.strings.add((sess["no"] + 1).astype("U2"), "天 理论与实操")),
        "cancelled_at": pl.Series([None] * len(sess["id"]), dtype=TS),
    }))  # fmt: skip
    return n


SESSION_START = pl_.SESSION_START_UTC
SESSION_HOURS = pl_.SESSION_HOURS


def session_table(plan: Plan, c: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """One row per (class, day): ids, start and end in ms (09:00–15:00 local)."""
    cls = np.repeat(np.arange(len(c["k"])), c["sessions"])
    first = np.repeat(np.cumsum(c["sessions"]) - c["sessions"], c["sessions"])
    no = np.arange(len(cls)) - first
    day = c["start"][cls] + no.astype("timedelta64[D]")
    start_ms = _ms(day, SESSION_START)
    return {
        "cls": cls, "no": no, "start_ms": start_ms, "end_ms": start_ms + SESSION_HOURS * 3_600_000,
        "id": ids(plan.seed, pl_.S_SESS, c["key"][cls] * 8 + no, start_ms),
    }  # fmt: skip


# ---- enrollments, attendance ---------------------------------------------------------------------------------------


def roster(plan: Plan, cohort: pl_.Cohort) -> dict[str, np.ndarray]:
    """Per enrollment: ids, dates, which sessions were attended, credited 学时, rate and result (as the platform's
    crediting would compute them from the events written by the attendance stage)."""
    e, c = cohort.enr, cohort.classes
    seed = plan.seed
    n = len(e["key"])
    sessions = c["sessions"][e["cls"]]
    start = c["start"][e["cls"]]
    enrolled_on = start - (3 + P.below(seed, pl_.S_ENR, e["key"], 15)).astype("timedelta64[D]")
    present = np.zeros((n, 5), dtype=bool)
    ended = np.zeros((n, 5), dtype=bool)
    as_of_ms = int(AS_OF.timestamp() * 1000)
    for s in range(5):
        u = P.uniform(seed, pl_.S_ATTPRES, e["key"] * 8 + s)
        present[:, s] = (s < sessions) & (u < plan.cal.attendance_rate)
        ended[:, s] = (s < sessions) & (_ms(start + np.timedelta64(s, "D"), SESSION_START + SESSION_HOURS) <= as_of_ms)
    attended = (present & ended).sum(axis=1)
    credited = attended * CREDIT_PER_SESSION
    creditable = sessions * CREDIT_PER_SESSION
    status = c["status"][e["cls"]]
    done = status == "completed"
    passed = credited * 100 >= plan.cal.min_rate_percent * creditable
    result = np.where(done, np.where(credited == 0, "absent", np.where(passed, "passed", "failed")), "")
    return {
        "id": ids(seed, pl_.S_ENR, e["key"], _ms(enrolled_on, 2)), "enrolled_on": enrolled_on,
        "present": present & ended, "credited": credited, "creditable": creditable,
        "rate": credited * 10000 // creditable, "result": result, "done": done, "status": status,
    }  # fmt: skip


def enrollments_chunk(plan: Plan, m: int, w: TableWriter, ctx: dict[str, Any]) -> int:
    from jineng.registry.models import PersonFact
    from jineng.training.models import Enrollment

    cohort = ctx.get("cohort") or plan.cohort(m)
    e, c = cohort.enr, cohort.classes
    n = len(e["key"])
    if not n:
        return 0
    r = roster(plan, cohort)
    cid = catalog_ids(plan)
    class_id = class_ids(plan, c)
    codes = np.array(plan.group_codes)
    ghost = plan.is_ghost(e["group"])
    group_code = codes[e["group"]]
    category = np.array(["A", "B", "C"])[c["bucket"][e["cls"]]]
    groups_json = np.where(ghost, "[]", np.strings.add(np.strings.add('["', group_code), '"]'))
    eligible = np.where(ghost, '{"code": "eligible", "eligible": true, "matched": [], "subsidy_category": "',
                        np.strings.add(np.strings.add('{"code": "eligible", "eligible": true, "matched": ["', group_code),
                                       '"], "subsidy_category": "'))  # fmt: skip
    eligibility = np.strings.add(np.strings.add(eligible, category), '"}')
    created = _ms(r["enrolled_on"], 2)
    updated = np.where(r["done"], _ms(c["end"][e["cls"]], SESSION_START + SESSION_HOURS + 2), created)
    pids = plan.person_ids(e["idx"])
    region = c["county"][e["cls"]].astype("U6")
    w.write(Enrollment, pl.DataFrame({
        "id": r["id"], "created_at": _ts(created), "updated_at": _ts(updated), "training_class_id": class_id[e["cls"]],
        "person_id": pids, "region_id": region, "organization_id": cid["org"][c["provider"][e["cls"]]],
        "status": np.where(r["done"], "finished", "enrolled"), "source": "import",
        "enrolled_on": _dates(r["enrolled_on"]), "late_addition": False, "person_name": e["name"],
        "id_number_masked": [mask_id_number(x) for x in e["id_number"]], "groups": groups_json,
        "eligibility": eligibility, "pledge_signed_at": _ts(created), "pledge_method": "roster",
        "credited_hours": r["credited"], "creditable_hours": r["creditable"], "attendance_rate_bp": r["rate"],
        "attendance_updated_at": _ts(updated), "result": r["result"],
        "completed_on": pl.Series(np.where(r["done"], c["end"][e["cls"]], np.datetime64("NaT")).astype("datetime64[D]")),
        "end_reason": "",
    }))  # fmt: skip
    w.write(PersonFact, pl.DataFrame({
        "person_id": pids, "region_id": region, "kind": "training.enrollment", "ref": pl.Series(r["id"]).str.to_lowercase(),
        "occurred_on": _dates(r["enrolled_on"]), "created_at": _ts(created),
    }).with_columns(_dashed(pl.col("ref"))))  # fmt: skip
    return n


def _dashed(s: pl.Expr) -> pl.Expr:
    """32 hex digits → the canonical 8-4-4-4-12 form (what ``str(uuid)`` gives, as services store refs)."""
    return (s.str.slice(0, 8) + "-" + s.str.slice(8, 4) + "-" + s.str.slice(12, 4) + "-" + s.str.slice(16, 4) + "-"
            + s.str.slice(20, 12))  # fmt: skip


def far_enrollments(plan: Plan, cohort: pl_.Cohort) -> np.ndarray:
    if not plan.anomalies:
        return np.zeros(len(cohort.enr["key"]), dtype=bool)
    return P.uniform(plan.seed, P.S_FAR, cohort.enr["key"]) < pl_.FAR_RATE


def attendance_chunk(plan: Plan, m: int, w: TableWriter, ctx: dict[str, Any]) -> int:
    from jineng.training.models import AttendanceEvent

    cohort = ctx.get("cohort") or plan.cohort(m)
    e, c = cohort.enr, cohort.classes
    if not len(e["key"]):
        return 0
    r = roster(plan, cohort)
    cat = plan.catalog
    cid = catalog_ids(plan)
    seed = plan.seed
    sess = session_table(plan, c)
    first_session = np.cumsum(c["sessions"]) - c["sessions"]
    far = far_enrollments(plan, cohort)
    row, sno = np.nonzero(r["present"])
    total = 0
    class_id = class_ids(plan, c)
    codes = class_codes(c)
    pids = plan.person_ids(e["idx"])
    step = 400_000
    for lo in range(0, len(row), step):
        rr, ss = row[lo : lo + step], sno[lo : lo + step]
        k = e["cls"][rr]
        si = first_session[k] + ss
        both_rr = np.concatenate([rr, rr])
        both_k = np.concatenate([k, k])
        kind = np.concatenate([np.zeros(len(rr), np.int64), np.ones(len(rr), np.int64)])
        ekey = e["key"][both_rr] * 16 + np.concatenate([ss, ss]) * 2 + kind
        jitter = P.below(seed, pl_.S_ATTJIT, ekey, 15 * 60_000)
        at = np.where(kind == 0, sess["start_ms"][np.concatenate([si, si])] - jitter,
                      sess["end_ms"][np.concatenate([si, si])] + jitter)  # fmt: skip
        provider = c["provider"][both_k]
        off = np.where(far[both_rr], 0.5 + P.uniform(seed, pl_.S_ATTJIT + 1, ekey), 0.0)
        lat = np.round(cat.lat[provider] + (P.uniform(seed, pl_.S_ATTJIT + 2, ekey) - 0.5) * 0.002 + off, 6)
        lon = np.round(cat.lon[provider] + (P.uniform(seed, pl_.S_ATTJIT + 3, ekey) - 0.5) * 0.002 + off, 6)
        method = np.array(["face", "qr", "card"])[np.searchsorted([0.7, 0.95], P.uniform(seed, pl_.S_ATTJIT + 4, ekey))]
        frame = pl.DataFrame({
            "id": ids(seed, pl_.S_ATT, ekey, at), "enrollment_id": r["id"][both_rr],
            "training_class_id": class_id[both_k], "session_id": sess["id"][np.concatenate([si, si])],
            "person_id": pids[both_rr], "region_id": c["county"][both_k].astype("U6"),
            "organization_id": cid["org"][provider], "kind": np.where(kind == 0, "in", "out"),
            "occurred_at": _ts(at), "received_at": _ts(at + 3000), "method": method, "latitude": lat,
            "longitude": lon, "device_id": np.strings.add("D", codes[both_k]),
            "event_id": np.strings.add(np.strings.add(e["key"][both_rr].astype("U20"), "-"),
                                       (np.concatenate([ss, ss]) * 2 + kind).astype("U2")),
        })  # fmt: skip
        total += w.write(AttendanceEvent, frame)
    return total


# ---- completions, certificates -------------------------------------------------------------------------------------


def completions_chunk(plan: Plan, m: int, w: TableWriter, ctx: dict[str, Any]) -> int:
    from jineng.refdata.models import Region
    from jineng.training.models import CompletionCertificate

    cohort = ctx.get("cohort") or plan.cohort(m)
    e, c = cohort.enr, cohort.classes
    if not len(e["key"]):
        return 0
    r = roster(plan, cohort)
    passed = np.flatnonzero(r["result"] == "passed")
    if not len(passed):
        return 0
    cat = plan.catalog
    cid = catalog_ids(plan)
    k = e["cls"][passed]
    county = c["county"][k]
    end = c["end"][k]
    year = end.astype("datetime64[Y]").astype(np.int64) + 1970
    month = end.astype("datetime64[M]").astype(np.int64) % 12
    serial = np.zeros(len(passed), dtype=np.int64)
    for cty in np.unique(county):
        mask = county == cty
        serial[mask] = np.arange(mask.sum()) + 1 + month[mask] * 80_000
    names = ctx.setdefault("org_names", {})
    if not names:
        from jineng.accounts.models import Organization

        names.update({str(pk).replace("-", ""): name for pk, name in Organization.objects.values_list("id", "name")})
    del Region
    specs = [cat.programs[p][g] for p, g in zip(c["provider"][k], c["program"][k], strict=True)]
    issued = _ms(end, SESSION_START + SESSION_HOURS + 2)
    w.write(CompletionCertificate, pl.DataFrame({
        "id": ids(plan.seed, pl_.S_CCERT, e["key"][passed], issued), "created_at": _ts(issued),
        "updated_at": _ts(issued),
        "serial": [f"PX{cty}{y}{s:06d}" for cty, y, s in zip(county, year, serial, strict=True)],
        "enrollment_id": r["id"][passed], "person_id": plan.person_ids(e["idx"][passed]),
        "region_id": county.astype("U6"), "organization_id": cid["org"][c["provider"][k]],
        "person_name": e["name"][passed], "id_number_masked": [mask_id_number(x) for x in e["id_number"][passed]],
        "program_name": [f"{s['occupation'][1]}（{LEVEL_NAMES[s['level']]}）{KIND_LABELS[s['kind']]}" for s in specs],
        "start_date": _dates(c["start"][k]), "end_date": _dates(end),
        "provider_name": [names.get(str(o), "") for o in cid["org"][c["provider"][k]]],
        "credited_hours": r["credited"][passed], "issued_on": _dates(end),
        "revoked_at": pl.Series([None] * len(passed), dtype=TS), "revoke_reason": "",
    }))  # fmt: skip
    return len(passed)


def certificates_chunk(plan: Plan, m: int, w: TableWriter, ctx: dict[str, Any]) -> int:
    """职业技能等级认定: an exam session per completed class a week after its end; most of those who passed the
    training sit it (calibrated so that CERTIFICATE_SHARE of person-times obtain a certificate); 92 % pass."""
    from jineng.certificates.models import Candidate, Certificate, ExamSession
    from jineng.registry.models import PersonFact
    from jineng.rules.certificates import format_number

    cohort = ctx.get("cohort") or plan.cohort(m)
    e, c = cohort.enr, cohort.classes
    if not len(e["key"]):
        return 0
    r = roster(plan, cohort)
    seed = plan.seed
    passed_share = max(float((r["result"] == "passed").sum()) / max(int(r["done"].sum()), 1), 0.5)
    sit_share = min(1.0, plan.cal.certificate_share / (passed_share * 0.92))
    sit = (r["result"] == "passed") & (P.uniform(seed, pl_.S_CERT, e["key"]) < sit_share)
    exam_day = c["end"] + np.timedelta64(7, "D")
    issue_day = exam_day + np.timedelta64(10, "D")
    sit &= issue_day[e["cls"]] <= np.datetime64(AS_OF.date())
    rows = np.flatnonzero(sit)
    if not len(rows):
        return 0
    cat = plan.catalog
    cid = catalog_ids(plan)
    filings = ctx.setdefault("filings", filing_ids(plan))
    city_index = {int(v): k for k, v in enumerate(cid["cities"])}
    classes_used = np.unique(e["cls"][rows])
    specs = {int(k): cat.programs[c["provider"][k]][c["program"][k]] for k in classes_used}
    session_id = {
        int(k): v
        for k, v in zip(
            classes_used, ids(seed, pl_.S_EXAM, c["key"][classes_used], _ms(exam_day[classes_used], 1)), strict=True
        )
    }
    evaluator = {int(k): cid["eval_org"][city_index[int(cat.cities[c["provider"][k]])]] for k in classes_used}
    w.write(ExamSession, pl.DataFrame({
        "id": [session_id[int(k)] for k in classes_used], "created_at": _ts(_ms(c["end"][classes_used], 10)),
        "updated_at": _ts(_ms(exam_day[classes_used], 10)),
        "code": [f"KS{c['county'][k]}{c['key'][k]:09d}" for k in classes_used],
        "organization_id": [evaluator[int(k)] for k in classes_used],
        "filing_id": [filings[(city_index[int(cat.cities[c["provider"][k]])], int(specs[int(k)]["occupation"][0]),
                               str(specs[int(k)]["level"]))] for k in classes_used],  # fmt: skip
        "route": "social", "certificate_kind_id": "skill_level",
        "occupation_id": [specs[int(k)]["occupation"][0] for k in classes_used],
        "level_id": [specs[int(k)]["level"] for k in classes_used],
        "venue_region_id": c["county"][classes_used].astype("U6"), "venue_address": "评价中心考场",
        "starts_at": _ts(_ms(exam_day[classes_used], 1)), "exam_date": _dates(exam_day[classes_used]),
        "duration_minutes": 120, "terminals": "[]", "status": "closed",
        "closed_at": _ts(_ms(exam_day[classes_used], 9)),
    }))  # fmt: skip
    score_t = np.round(55 + P.uniform(seed, pl_.S_SCORE, e["key"][rows]) * 43, 1)
    score_p = np.round(58 + P.uniform(seed, pl_.S_SCORE + 1, e["key"][rows]) * 40, 1)
    ok = (score_t >= 60) & (score_p >= 60)
    k = e["cls"][rows]
    cand_id = ids(seed, pl_.S_CAND, e["key"][rows], _ms(exam_day[k], 1))
    w.write(Candidate, pl.DataFrame({
        "id": cand_id, "created_at": _ts(_ms(c["end"][k], 10)), "updated_at": _ts(_ms(exam_day[k], 8)),
        "session_id": [session_id[int(x)] for x in k], "person_id": plan.person_ids(e["idx"][rows]),
        "source": "class", "training_class_id": class_ids(plan, c)[k], "enrollment_id": r["id"][rows],
        "theory_score": score_t, "practical_score": score_p, "result": np.where(ok, "passed", "failed"),
        "terminal": "", "recorded_at": _ts(_ms(exam_day[k], 8)),
    }))  # fmt: skip
    got = rows[ok]
    if not len(got):
        return len(rows)
    kk = e["cls"][got]
    county = c["county"][kk]
    year = issue_day[kk].astype("datetime64[Y]").astype(np.int64) + 1970
    # Serials of the county-year series: cohort month m takes the block m mod 12 (of 700,000), and a December
    # cohort whose exams spill into January takes block 12 of the new year.
    spill = year > pl_.month_start(m).year
    block = np.where(spill, 12, m % 12)
    serial = np.zeros(len(got), dtype=np.int64)
    for cty in np.unique(county):
        mask = county == cty
        serial[mask] = np.arange(mask.sum()) + 1 + block[mask] * 700_000
    numbers = [
        format_number(str(cty), int(y), "skill_level", int(s)) for cty, y, s in zip(county, year, serial, strict=True)
    ]
    names = ctx.setdefault("eval_names", {})
    if not names:
        from jineng.accounts.models import Organization

        names.update(
            {
                str(pk).replace("-", ""): name
                for pk, name in Organization.objects.filter(kind="evaluator").values_list("id", "name")
            }
        )
    cert_id = ids(seed, pl_.S_CERTID, e["key"][got], _ms(issue_day[kk], 2))
    issuer = [evaluator[int(x)] for x in kk]
    pids = plan.person_ids(e["idx"][got])
    w.write(Certificate, pl.DataFrame({
        "id": cert_id, "created_at": _ts(_ms(issue_day[kk], 2)), "updated_at": _ts(_ms(issue_day[kk], 2)),
        "number": numbers, "kind_id": "skill_level", "person_id": pids, "holder_name": e["name"][got],
        "occupation_id": [specs[int(x)]["occupation"][0] for x in kk],
        "occupation_name": [specs[int(x)]["occupation"][1] for x in kk],
        "level_id": [specs[int(x)]["level"] for x in kk], "issuer_id": issuer,
        "issuer_name": [names.get(str(i), "") for i in issuer], "issued_on": _dates(issue_day[kk]),
        "region_id": county.astype("U6"), "candidate_id": cand_id[ok], "source": "exam", "status": "valid",
        "revoke_reason": "",
    }))  # fmt: skip
    w.write(PersonFact, pl.DataFrame({
        "person_id": pids, "region_id": county.astype("U6"), "kind": "certificate", "ref": cert_id,
        "occurred_on": _dates(issue_day[kk]), "created_at": _ts(_ms(issue_day[kk], 2)),
    }).with_columns(_dashed(pl.col("ref"))))  # fmt: skip
    return len(rows) + len(got)


# ---- the stage list ------------------------------------------------------------------------------------------------


def _months(plan: Plan) -> int:
    return MONTHS


def _one(plan: Plan) -> int:
    return 1


def _subsidies() -> Any:
    """The subsidy stages (``jineng.synthetic.claims``), imported when they run: they read this module's tables."""
    from jineng.synthetic import claims

    return claims


STAGES: list[Stage] = [
    Stage("persons", _months, persons_chunk),
    Stage("providers", _one, providers_chunk),
    Stage("classes", _months, classes_chunk),
    Stage("enrollments", _months, enrollments_chunk),
    Stage("attendance", _months, attendance_chunk),
    Stage("completions", _months, completions_chunk),
    Stage("certificates", _months, certificates_chunk),
    Stage("claims", _months, lambda plan, m, w, ctx: _subsidies().claims_chunk(plan, m, w, ctx)),
    Stage("payments", _months, lambda plan, m, w, ctx: _subsidies().payments_chunk(plan, m, w, ctx)),
]
COHORT_STAGES = {"classes", "enrollments", "attendance", "completions", "certificates", "claims", "payments"}

__all__ = ["STAGES", "Stage", "json", "month_start"]

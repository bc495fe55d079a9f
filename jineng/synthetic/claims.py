"""The generator's subsidy stages: training-subsidy claims (职业培训补贴申请) for completed enrollments, decided by the
platform's rules core (``jineng.rules.subsidy.evaluate``) under the province's published policy version, then the
payment batches, lines and ledger postings of the paid ones.

- **claims** — per monthly cohort, one claim per passed enrollment of a completed class, applied for 1–20 days after
  completion by the provider (payee: the provider, bank account encrypted with the subsidies' field context). The
  decision and its explained lines are the rules core's, for the facts the services would give it (the enrollment's
  attendance, credited 学时 and completion certificate; no earlier claim can limit a person who trains at most twice
  a year). Only claims the rules approve are written (the services refuse the others at submission). Status by the
  age of the claim on ``AS_OF``: older than two months mostly paid (some approved awaiting payment, some rejected
  at review, a few still in review); recent ones mostly in review. Each claim carries its workflow steps.
- **payments** — per cohort, one batch per paying fund account (the city's 就业补助资金) holding that cohort's paid
  and in-payment claims; a line per claim; for a paid line its payment posting (two ledger entries), and per batch
  an allocation that funds it, so that ``ledger.reconcile()`` finds nothing wrong.

Coverage (the disk budget): ``claim_months(persons)`` — every month below ``RECENT_ONLY_FROM`` persons, else the most
recent ``RECENT_MONTHS`` months (the province database holds ~10 M persons on a disk with little room left).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict
from typing import Any

import numpy as np
import polars as pl

from jineng.synthetic import people as P
from jineng.synthetic.plan import AS_OF, MONTHS, Plan, ids, month_start
from jineng.synthetic.writer import TableWriter

S_CLAIM, S_CLAIMSTEP, S_CLAIMSTATUS, S_CLAIMDELAY, S_PAYEE = 601, 602, 603, 604, 605
S_BATCH, S_LINE, S_TXN = 611, 612, 613
ACCOUNT_CONTEXT = "subsidies.payee_account"  # jineng.subsidies.services.claims.ACCOUNT_CONTEXT
SOURCE = "合成数据"
RECENT_ONLY_FROM = 1_000_000  # persons from which only the most recent months get claims
RECENT_MONTHS = 4  # ≈ 136 k claims a month at 10 M persons: 4 months ≈ 4.0 GB estimated, within the 5 GB budget
# Bytes on disk per claim with its steps, payment line and ledger postings (indexes included), measured at `small`
# on PostgreSQL 15 — used by the runner's disk check: 6.3 kB measured (the claim 3.6 kB with its decision lines and
# inputs, steps 1.5 kB, payments 1.2 kB), plus its person fact.
BYTES_PER_CLAIM = 6_600
# Claims per registered person over the months covered (measured at `small`), for the disk estimate.
CLAIMS_PER_PERSON_MONTH = 0.0136  # 15,991 claims of 20,000 persons over 59 months

POLICY_TITLE = "合成数据：广东省职业培训补贴（按学时）"
POLICY_NOTE = (
    "合成数据批次使用的政策版本：合成培训班每天计7学时、共3–5天，按学时补贴20元/学时、每人最高1000元；"
    "须结业合格、出勤率达标、取得培训合格证书，结业后30日内申请。并非正式文件。"
)


def synthetic_policy_rules() -> dict[str, Any]:
    """The synthetic province's training-subsidy rules (the demo's rule shape, sized for the synthetic classes)."""
    return {
        "subsidy_type": "training",
        "payee": "provider",
        "channel": "bank_account",
        "fund_source": "employment_fund",
        "counters": ["annual_total"],
        "exclusion_groups": ["same_training"],
        "eligibility": [
            {"kind": "training_completed"},
            {"kind": "attendance"},
            {"kind": "hours", "default_hours": 14},
            {"kind": "certificate", "kinds": ["training", "qualification", "skill_level", "special_ability"]},
            {"kind": "deadline", "unit": "days", "default": 30, "setting": "claim.training_within_days"},
        ],
        "amount": {"rows": [{"per_hour_fen": 2000}], "max_fen": 100000},
        "limits": [
            {"kind": "annual_count", "max_count": 3, "scope": "counter", "counter": "annual_total",
             "setting": "subsidy.max_per_person_year"},
        ],
    }  # fmt: skip


def claim_months(persons: int) -> range:
    """The cohort months whose completions get claims (all, or the most recent at province scale)."""
    return range(MONTHS - RECENT_MONTHS if persons >= RECENT_ONLY_FROM else 0, MONTHS)


def expected_claims(persons: int, months: int) -> int:
    return int(persons * CLAIMS_PER_PERSON_MONTH * months)


# ---- shared context ------------------------------------------------------------------------------------------------


def _province(plan: Plan) -> str:
    return str(plan.catalog.cities[0])[:2] + "0000"


def _policy(plan: Plan, ctx: dict[str, Any]) -> Any:
    """The province's published synthetic training policy version (created on first use)."""
    if "policy" in ctx:
        return ctx["policy"]
    from django.db.models import Max

    from jineng.rules.subsidy.policy import policy_from_data
    from jineng.subsidies.models import PolicyStatus, PolicyVersion

    region = _province(plan)
    version = PolicyVersion.objects.filter(region_id=region, subsidy_type="training", title=POLICY_TITLE).first()
    if version is None:
        rules = synthetic_policy_rules()
        policy_from_data(rules)  # validated as the services would
        last = PolicyVersion.objects.filter(region_id=region, subsidy_type="training").aggregate(v=Max("version_no"))
        version = PolicyVersion.objects.create(
            region_id=region, subsidy_type="training", version_no=(last["v"] or 0) + 1, title=POLICY_TITLE,
            valid_from=month_start(0), valid_to=dt.date(2025, 12, 31), rules=rules, citation=POLICY_NOTE,
            note=POLICY_NOTE, status=PolicyStatus.PUBLISHED, published_at=AS_OF.replace(year=2021, month=12, day=1),
        )  # fmt: skip
        # From 2026 the demo's own province version applies to the services; the generator keeps its rules
        # (a second version of the same rules, so that claims of 2026 are decided under a version valid then).
        PolicyVersion.objects.create(
            region_id=region, subsidy_type="training", version_no=version.version_no + 1, title=POLICY_TITLE,
            valid_from=dt.date(2026, 1, 1), valid_to=None, rules=rules, citation=POLICY_NOTE, note=POLICY_NOTE,
            status=PolicyStatus.PUBLISHED, published_at=AS_OF.replace(year=2025, month=12, day=1), based_on=version,
        )  # fmt: skip
    versions = list(PolicyVersion.objects.filter(region_id=region, subsidy_type="training", title=POLICY_TITLE)
                    .order_by("valid_from"))  # fmt: skip
    ctx["policy"] = versions
    return versions


def _version_on(versions: list[Any], day: dt.date) -> Any:
    for v in reversed(versions):
        if v.valid_from <= day and (v.valid_to is None or day <= v.valid_to):
            return v
    return None


def _occupation_codes(ctx: dict[str, Any]) -> dict[int, str]:
    if "occupation_codes" not in ctx:
        from jineng.refdata.models import Occupation

        ctx["occupation_codes"] = dict(Occupation.objects.values_list("id", "code"))
    codes: dict[int, str] = ctx["occupation_codes"]
    return codes


def _settings(plan: Plan) -> dict[str, int]:
    return {
        "attendance.min_rate_percent": int(plan.cal.min_rate_percent),
        "claim.training_within_days": 30,
        "subsidy.max_per_person_year": 3,
    }


# ---- the claims of a cohort (pure function of the plan) ------------------------------------------------------------

STATUS_OLD = (("paid", 0.86), ("approved", 0.05), ("rejected", 0.05), ("publicity", 0.02), ("first_passed", 0.02))
STATUS_RECENT = (("approved", 0.25), ("publicity", 0.2), ("first_passed", 0.2), ("accepted", 0.15),
                 ("submitted", 0.15), ("rejected", 0.05))  # fmt: skip
STEPS = {  # the workflow steps a claim in this status has been through
    "submitted": ["submit"],
    "accepted": ["submit", "accept"],
    "first_passed": ["submit", "accept", "first_review"],
    "publicity": ["submit", "accept", "first_review", "second_review"],
    "approved": ["submit", "accept", "first_review", "second_review", "approve"],
    "rejected": ["submit", "accept", "first_review", "reject"],
    "in_payment": ["submit", "accept", "first_review", "second_review", "approve", "batch"],
    "paid": ["submit", "accept", "first_review", "second_review", "approve", "batch", "paid"],
}
STEP_STATUS = {  # step → (from, to, outcome, days after applying)
    "submit": ("", "submitted", "submitted", 0),
    "accept": ("submitted", "accepted", "accepted", 2),
    "first_review": ("accepted", "first_passed", "passed", 6),
    "second_review": ("first_passed", "publicity", "passed", 10),
    "approve": ("publicity", "approved", "approved", 18),
    "reject": ("accepted", "rejected", "rejected", 8),
    "batch": ("approved", "in_payment", "in_payment", 25),
    "paid": ("in_payment", "paid", "paid", 32),
}
REJECT_REASON = "复核培训过程资料，部分学时佐证材料不全，不予通过。"


def _pick(u: np.ndarray, table: tuple[tuple[str, float], ...]) -> np.ndarray:
    names = np.array([name for name, _ in table])
    edges = np.cumsum([share for _, share in table])
    return names[np.minimum(np.searchsorted(edges / edges[-1], u, side="right"), len(names) - 1)]


def cohort_claims(plan: Plan, m: int, cohort: Any, ctx: dict[str, Any]) -> dict[str, Any] | None:
    """The approved-by-the-rules claims of cohort ``m`` with their status, amounts, dates and ids (no database
    writes; the policy versions and occupation codes are read once)."""
    from jineng.rules.subsidy.engine import APPROVE, evaluate
    from jineng.rules.subsidy.facts import CertificateFact, ClaimFacts, PersonHistory, TrainingFact
    from jineng.subsidies.services.policies import rules_of
    from jineng.synthetic.stages import class_codes, class_ids, roster

    if m not in claim_months(plan.persons):
        return None
    e, c = cohort.enr, cohort.classes
    if not len(e["key"]):
        return None
    r = roster(plan, cohort)
    rows = np.flatnonzero(r["result"] == "passed")
    if not len(rows):
        return None
    seed = plan.seed
    key = e["key"][rows]
    k = e["cls"][rows]
    completed = c["end"][k]
    applied = completed + (1 + P.below(seed, S_CLAIMDELAY, key, 20)).astype("timedelta64[D]")
    keep = applied <= np.datetime64(AS_OF.date())
    rows, key, k, completed, applied = rows[keep], key[keep], k[keep], completed[keep], applied[keep]
    if not len(rows):
        return None
    versions = _policy(plan, ctx)
    occupation_codes = _occupation_codes(ctx)
    cat = plan.catalog
    specs = [cat.programs[p][g] for p, g in zip(c["provider"][k], c["program"][k], strict=True)]
    codes = class_codes(c)[k]
    enrollment_ids = r["id"][rows]
    settings = _settings(plan)
    decided: dict[tuple[Any, ...], Any] = {}
    decisions: list[Any] = []
    version_of: list[Any] = []
    for i in range(len(rows)):
        day = completed[i].astype(dt.date)
        version = _version_on(versions, day)
        spec = specs[i]
        occupation = occupation_codes.get(int(spec["occupation"][0]), "")
        row = int(rows[i])
        memo = (version.pk if version else None, int(r["rate"][row]), int(r["credited"][row]), spec["level"],
                occupation, int((applied[i] - completed[i]).astype(int)))  # fmt: skip
        if version is None:
            decisions.append(None)
            version_of.append(None)
            continue
        if memo not in decided:
            facts = ClaimFacts(
                subsidy_type="training", event_date=day, applied_on=applied[i].astype(dt.date),
                today=applied[i].astype(dt.date), event_keys=("enrollment:x",), occupation=occupation,
                level=spec["level"], level_rank=0,
                certificate=CertificateFact(id="x", number="x", kind="training", occupation=occupation, level="",
                                            level_rank=0, issued_on=day),
                training=TrainingFact(enrollment_id="x", class_code="x", completed=True, passed=True,
                                      attendance_bp=memo[1], hours=memo[2], completed_on=day),
                settings=settings,
            )  # fmt: skip
            decided[memo] = (evaluate(rules_of(version), facts, PersonHistory()), facts)
        decisions.append(decided[memo])
        version_of.append(version)
    ok = np.array([d is not None and d[0].outcome == APPROVE for d in decisions], dtype=bool)
    if not ok.any():
        return None
    pick = np.flatnonzero(ok)
    age_days = (np.datetime64(AS_OF.date()) - applied[pick]).astype(np.int64)
    u = P.uniform(seed, S_CLAIMSTATUS, key[pick])
    status = np.where(age_days > 60, _pick(u, STATUS_OLD), _pick(u, STATUS_RECENT))
    # A claim approved more than five weeks ago whose batch was generated but not yet returned is in payment.
    status = np.where((status == "paid") & (age_days <= 45), "in_payment", status)
    applied_ms = _ms(applied[pick], 2)
    county = c["county"][k[pick]].astype("U6")
    year = applied[pick].astype("datetime64[Y]").astype(np.int64) + 1970
    serial = _serials(county, year, m)
    return {
        "number": np.array([f"BT{y}{cty}{s:06d}" for y, cty, s in zip(year, county, serial, strict=True)]),
        "occupation": [decisions[i][1].occupation for i in pick],
        "m": m,
        "rows": rows[pick], "key": key[pick], "cls": k[pick], "codes": codes[pick], "completed": completed[pick],
        "applied": applied[pick], "applied_ms": applied_ms, "status": status,
        "decision": [decisions[i] for i in pick], "version": [version_of[i] for i in pick],
        "specs": [specs[i] for i in pick], "enrollment_id": enrollment_ids[pick],
        "id": ids(seed, S_CLAIM, key[pick], applied_ms),
        "person_id": plan.person_ids(e["idx"][rows[pick]]), "person_name": e["name"][rows[pick]],
        "id_number": e["id_number"][rows[pick]], "county": county,
        "provider": c["provider"][k[pick]], "class_id": class_ids(plan, c)[k[pick]],
    }  # fmt: skip


def _ms(days: np.ndarray, hour: float = 0) -> np.ndarray:
    return days.astype("datetime64[D]").astype(np.int64) * 86_400_000 + int(hour * 3_600_000)


def _ts(ms: np.ndarray) -> pl.Series:
    return pl.Series(np.asarray(ms, dtype=np.int64) * 1000).cast(pl.Datetime("us")).dt.replace_time_zone("UTC")


def _ts_where(ms: np.ndarray, mask: np.ndarray) -> pl.Series:
    frame = pl.DataFrame({"v": _ts(ms), "m": mask})
    return frame.select(pl.when(pl.col("m")).then(pl.col("v")).alias("v")).to_series()


def _dates(values: np.ndarray) -> pl.Series:
    return pl.Series(values.astype("datetime64[D]"))


def _uuid(hex32: str) -> str:
    return f"{hex32[:8]}-{hex32[8:12]}-{hex32[12:16]}-{hex32[16:20]}-{hex32[20:]}"


def _serials(county: np.ndarray, year: np.ndarray, m: int) -> np.ndarray:
    """Serials of a (county, year) number series: cohort month m takes the block m mod 12 (of 40,000) of its own
    year, and the block 12 + m mod 12 of the next year for the claims applied after New Year."""
    spill = year > month_start(m).year
    block = np.where(spill, 12 + m % 12, m % 12)
    serial = np.zeros(len(county), dtype=np.int64)
    for cty in np.unique(county):
        for b in np.unique(block[county == cty]):
            mask = (county == cty) & (block == b)
            serial[mask] = np.arange(mask.sum()) + 1 + b * 40_000
    return serial


def _payee_accounts(plan: Plan, ctx: dict[str, Any]) -> dict[str, Any]:
    """Per provider: a settlement account number (encrypted once per provider and run), masked form and bank."""
    if "payees" in ctx:
        return dict(ctx["payees"])
    from jineng.common.crypto import encrypt, keyring
    from jineng.common.masking import mask_bank_account
    from jineng.synthetic.stages import BANKS

    n = len(plan.catalog.cities)
    j = np.arange(n, dtype=np.int64)
    digits = P.below(plan.seed, S_PAYEE, j, 10**12)
    numbers = [f"4400{int(d):012d}{int(x) % 10}" for d, x in zip(digits, j, strict=True)]
    ring = keyring()
    out = {
        "enc": np.array([encrypt(x, context=ACCOUNT_CONTEXT, ring=ring) for x in numbers]),
        "masked": np.array([mask_bank_account(x) for x in numbers]),
        "bank": np.array(BANKS)[P.below(plan.seed, S_PAYEE + 1, j, len(BANKS))],
    }
    ctx["payees"] = out
    return out


# ---- the claims stage ----------------------------------------------------------------------------------------------


def claims_chunk(plan: Plan, m: int, w: TableWriter, ctx: dict[str, Any]) -> int:
    from jineng.common.masking import mask_id_number
    from jineng.registry.models import PersonFact
    from jineng.subsidies.models import Claim, ClaimStep
    from jineng.synthetic.stages import KIND_LABELS, catalog_ids

    cohort = ctx.get("cohort") or plan.cohort(m)
    cl = ctx["claims"] = cohort_claims(plan, m, cohort, ctx)
    if cl is None:
        return 0
    n = len(cl["id"])
    cid = catalog_ids(plan)
    names = _org_names(ctx)
    payees = _payee_accounts(plan, ctx)
    org = cid["org"][cl["provider"]]
    status = cl["status"]
    applied_ms = cl["applied_ms"]
    day = 86_400_000
    approved_ms = applied_ms + STEP_STATUS["approve"][3] * day
    paid_ms = applied_ms + STEP_STATUS["paid"][3] * day
    reviewed = np.isin(status, ["publicity", "approved", "in_payment", "paid"])
    approved = np.isin(status, ["approved", "in_payment", "paid"])
    last_step = np.array([STEP_STATUS[STEPS[s][-1]][3] for s in status], dtype=np.int64)
    # One JSON rendering per distinct decision (the lines and facts are the same for the same inputs).
    lines_json: dict[int, str] = {}
    inputs_json: dict[int, str] = {}
    lines_col, inputs_col, amount, payable, deferred = [], [], [], [], []
    for decision, facts in cl["decision"]:
        key = id(decision)
        if key not in lines_json:
            lines_json[key] = json.dumps([line.as_dict() for line in decision.lines], ensure_ascii=False, default=str)
            facts_data = {k: v for k, v in asdict(facts).items() if k not in ("labels", "event_keys")}
            inputs_json[key] = json.dumps({"facts": facts_data, "source": SOURCE}, ensure_ascii=False, default=str)
        lines_col.append(lines_json[key])
        inputs_col.append(inputs_json[key])
        amount.append(decision.amount_fen)
        payable.append(decision.payable_fen)
        deferred.append(decision.deferred_fen)
    specs = cl["specs"]
    w.write(Claim, pl.DataFrame({
        "id": cl["id"], "created_at": _ts(applied_ms), "updated_at": _ts(applied_ms + last_step * day),
        "number": cl["number"], "subsidy_type": "training", "person_id": cl["person_id"],
        "person_name": cl["person_name"], "id_number_masked": [mask_id_number(x) for x in cl["id_number"]],
        "applicant_kind": "provider", "applicant_org_id": org, "applicant_user_id": pl.Series([None] * n, dtype=pl.Utf8),
        "region_id": cl["county"], "policy_version_id": [str(v.pk).replace("-", "") for v in cl["version"]],
        "event_kind": "enrollment", "event_ref": [_uuid(x) for x in cl["enrollment_id"]],
        "event_key": [f"enrollment:{_uuid(x)}" for x in cl["enrollment_id"]],
        "event_keys": [f'["enrollment:{_uuid(x)}"]' for x in cl["enrollment_id"]],
        "enrollment_id": cl["enrollment_id"], "event_date": _dates(cl["completed"]),
        "event_label": [f"{code} {s['occupation'][1]}{KIND_LABELS[s['kind']]}" for code, s in
                        zip(cl["codes"], specs, strict=True)],
        "occupation_code": cl["occupation"],
        "level_code": [s["level"] for s in specs], "level_rank": 0,
        "counters": '["annual_total"]', "exclusion_groups": '["same_training"]',
        "applied_on": _dates(cl["applied"]), "inputs": inputs_col, "lines": lines_col, "decision": "approve",
        "amount_fen": amount, "payable_fen": payable, "deferred_fen": deferred, "payee_kind": "provider",
        "payee_channel": "bank_account", "payee_name": [names.get(str(o), "") for o in org],
        "payee_bank": payees["bank"][cl["provider"]], "payee_account_enc": payees["enc"][cl["provider"]],
        "payee_account_masked": payees["masked"][cl["provider"]], "payee_org_id": org,
        "fund_source": "employment_fund", "status": status, "version_no": 1,
        "submitted_at": _ts(applied_ms), "review_due": _dates(cl["applied"] + np.timedelta64(20, "D")),
        "accepted_at": _ts_where(applied_ms + 2 * day, status != "submitted"),
        "first_reviewed_at": _ts_where(applied_ms + 6 * day, ~np.isin(status, ["submitted", "accepted"])),
        "second_reviewed_at": _ts_where(applied_ms + 10 * day, reviewed),
        "publicity_start": pl.Series(np.where(reviewed, cl["applied"] + np.timedelta64(10, "D"),
                                              np.datetime64("NaT")).astype("datetime64[D]")),
        "publicity_end": pl.Series(np.where(reviewed, cl["applied"] + np.timedelta64(17, "D"),
                                            np.datetime64("NaT")).astype("datetime64[D]")),
        "approved_at": _ts_where(approved_ms, approved),
        "payment_due": pl.Series(np.where(approved, cl["applied"] + np.timedelta64(48, "D"),
                                          np.datetime64("NaT")).astype("datetime64[D]")),
        "paid_at": _ts_where(paid_ms, status == "paid"),
        "closing_reason": np.where(status == "rejected", REJECT_REASON, ""),
    }))  # fmt: skip
    # The workflow steps.
    step_rows: list[tuple[int, int, str]] = []
    for i, s in enumerate(status):
        for t, step in enumerate(STEPS[str(s)]):
            step_rows.append((i, t, step))
    si = np.array([r[0] for r in step_rows], dtype=np.int64)
    st = np.array([r[1] for r in step_rows], dtype=np.int64)
    sn = np.array([r[2] for r in step_rows])
    at = applied_ms[si] + np.array([STEP_STATUS[x][3] for x in sn], dtype=np.int64) * day
    w.write(ClaimStep, pl.DataFrame({
        "id": ids(plan.seed, S_CLAIMSTEP, cl["key"][si] * 8 + st, at), "claim_id": cl["id"][si],
        "region_id": cl["county"][si], "step": sn, "outcome": [STEP_STATUS[x][2] for x in sn],
        "from_status": [STEP_STATUS[x][0] for x in sn], "to_status": [STEP_STATUS[x][1] for x in sn],
        "actor_id": pl.Series([None] * len(si), dtype=pl.Utf8), "actor_name": SOURCE, "at": _ts(at),
        "reason": np.where(sn == "reject", REJECT_REASON, ""), "data": "{}",
    }))  # fmt: skip
    w.write(PersonFact, pl.DataFrame({
        "person_id": cl["person_id"], "region_id": cl["county"], "kind": "subsidy.claim",
        "ref": [_uuid(x) for x in cl["id"]], "occurred_on": _dates(cl["completed"]),
        "created_at": _ts(applied_ms),
    }))  # fmt: skip
    return n + len(si)


def _org_names(ctx: dict[str, Any]) -> dict[str, str]:
    names: dict[str, str] = ctx.setdefault("org_names", {})
    if not names:
        from jineng.accounts.models import Organization

        names.update({str(pk).replace("-", ""): name for pk, name in Organization.objects.values_list("id", "name")})
    return names


# ---- the payments stage --------------------------------------------------------------------------------------------


def _fund_accounts(plan: Plan, ctx: dict[str, Any], counties: np.ndarray) -> dict[str, tuple[str, str]]:
    """County → (fund account id hex, owning region) of the 就业补助资金 (pooled by city; created on first use)."""
    cache: dict[str, tuple[str, str]] = ctx.setdefault("fund_accounts", {})
    missing = [str(x) for x in np.unique(counties) if str(x) not in cache]
    if missing:
        from jineng.subsidies.services.ledger import fund_account_for

        for county in missing:
            account = fund_account_for("employment_fund", county)
            cache[county] = (account.pk.hex, account.region_id)
    return cache


def payments_chunk(plan: Plan, m: int, w: TableWriter, ctx: dict[str, Any]) -> int:
    from jineng.rules.subsidy.ledger import postings
    from jineng.subsidies.models import LedgerEntry, LedgerTransaction, PaymentBatch, PaymentLine
    from jineng.synthetic.stages import catalog_ids

    cohort = ctx.get("cohort") or plan.cohort(m)
    cl = ctx["claims"] if "claims" in ctx else cohort_claims(plan, m, cohort, ctx)
    if cl is None:
        return 0
    sel = np.flatnonzero(np.isin(cl["status"], ["paid", "in_payment"]))
    if not len(sel):
        return 0
    seed = plan.seed
    accounts = _fund_accounts(plan, ctx, cl["county"][sel])
    account_of = np.array([accounts[str(x)][0] for x in cl["county"][sel]])
    owner_of = np.array([accounts[str(x)][1] for x in cl["county"][sel]])
    amounts = np.array([cl["decision"][i][0].payable_fen for i in sel], dtype=np.int64)
    paid = cl["status"][sel] == "paid"
    day = 86_400_000
    # One batch per paying account: generated on the last batch step of its claims, settled when all are paid.
    batch_accounts, batch_of = np.unique(account_of, return_inverse=True)
    batch_ms = np.zeros(len(batch_accounts), dtype=np.int64)
    np.maximum.at(batch_ms, batch_of, cl["applied_ms"][sel] + STEP_STATUS["batch"][3] * day)
    batch_ids = ids(seed, S_BATCH, np.arange(len(batch_accounts), dtype=np.int64) + m * 10_000, batch_ms)
    batch_region = np.array([owner_of[np.flatnonzero(batch_of == b)[0]] for b in range(len(batch_accounts))])
    year = batch_ms.astype("datetime64[ms]").astype("datetime64[Y]").astype(np.int64) + 1970
    serial = np.full(len(batch_ids), 990_000 + m)  # one batch per paying region and cohort
    settled = np.array([bool(paid[batch_of == b].all()) for b in range(len(batch_accounts))])
    totals = np.bincount(batch_of, weights=amounts, minlength=len(batch_accounts)).astype(np.int64)
    counts = np.bincount(batch_of, minlength=len(batch_accounts))
    last_paid = np.zeros(len(batch_accounts), dtype=np.int64)
    np.maximum.at(last_paid, batch_of, cl["applied_ms"][sel] + STEP_STATUS["paid"][3] * day)
    w.write(PaymentBatch, pl.DataFrame({
        "id": batch_ids, "created_at": _ts(batch_ms), "updated_at": _ts(np.where(settled, last_paid, batch_ms)),
        "number": [f"BF{y}{r}{s:06d}" for y, r, s in zip(year, batch_region, serial, strict=True)],
        "region_id": batch_region, "status": np.where(settled, "settled", "exported"), "line_count": counts,
        "total_fen": totals, "exported_at": _ts(batch_ms + 3_600_000), "settled_at": _ts_where(last_paid, settled),
        "created_by_id": pl.Series([None] * len(batch_ids), dtype=pl.Utf8), "note": SOURCE,
    }))  # fmt: skip
    order = np.lexsort((cl["id"][sel], batch_of))
    seq = np.zeros(len(sel), dtype=np.int64)
    seq[order] = np.arange(len(sel)) - np.searchsorted(batch_of[order], batch_of[order])
    seq += 1
    line_ms = batch_ms[batch_of]
    confirmed = cl["applied_ms"][sel] + STEP_STATUS["paid"][3] * day
    line_ids = ids(seed, S_LINE, cl["key"][sel], line_ms)
    w.write(PaymentLine, pl.DataFrame({
        "id": line_ids, "created_at": _ts(line_ms), "updated_at": _ts(np.where(paid, confirmed, line_ms)),
        "batch_id": batch_ids[batch_of], "seq": seq, "claim_id": cl["id"][sel], "region_id": owner_of,
        "fund_account_id": account_of, "amount_fen": amounts,
        "payee_name": [_org_names(ctx).get(str(o), "") for o in catalog_ids(plan)["org"][cl["provider"][sel]]],
        "payee_bank": _payee_accounts(plan, ctx)["bank"][cl["provider"][sel]], "payee_channel": "bank_account",
        "payee_account_enc": _payee_accounts(plan, ctx)["enc"][cl["provider"][sel]],
        "payee_account_masked": _payee_accounts(plan, ctx)["masked"][cl["provider"][sel]],
        "state": np.where(paid, "paid", "pending"),
        "bank_reference": np.where(paid, np.strings.add("YH", cl["key"][sel].astype("U20")), ""),
        "confirmed_at": _ts_where(confirmed, paid),
        "confirmed_by_id": pl.Series([None] * len(sel), dtype=pl.Utf8),
    }))  # fmt: skip
    # The ledger: per batch an allocation of its total, per paid line its payment posting.
    p = np.flatnonzero(paid)
    txn_kind = np.concatenate([np.full(len(batch_ids), "allocation"), np.full(len(p), "payment")])
    txn_amount = np.concatenate([totals, amounts[p]])
    txn_account = np.concatenate([batch_accounts, account_of[p]])
    txn_region = np.concatenate([batch_region, owner_of[p]])
    txn_ms = np.concatenate([batch_ms - day, confirmed[p]])
    txn_key = np.concatenate([np.arange(len(batch_ids), dtype=np.int64) + m * 10_000 + 1_000_000_000,
                              cl["key"][sel][p]])  # fmt: skip
    txn_ids = ids(seed, S_TXN, txn_key, txn_ms)
    numbers = cl["number"][sel]
    memo = np.concatenate([
        np.array([f"{SOURCE}：拨付批次资金" for _ in batch_ids]),
        np.array([f"#{s} {num}" for s, num in zip(seq[p], numbers[p], strict=True)]),
    ])  # fmt: skip
    w.write(LedgerTransaction, pl.DataFrame({
        "id": txn_ids, "created_at": _ts(txn_ms), "updated_at": _ts(txn_ms), "kind": txn_kind,
        "fund_account_id": txn_account, "region_id": txn_region, "amount_fen": txn_amount,
        "reference": np.concatenate([np.full(len(batch_ids), ""), np.array([_uuid(x) for x in line_ids[p]])]),
        "memo": memo, "created_by_id": pl.Series([None] * len(txn_ids), dtype=pl.Utf8),
    }))  # fmt: skip
    debit_role = {kind: postings(kind, 1)[0].role for kind in ("allocation", "payment")}
    credit_role = {kind: postings(kind, 1)[1].role for kind in ("allocation", "payment")}
    nt = len(txn_ids)
    w.write(LedgerEntry, pl.DataFrame({
        "transaction_id": np.concatenate([txn_ids, txn_ids]),
        "fund_account_id": np.concatenate([txn_account, txn_account]),
        "region_id": np.concatenate([txn_region, txn_region]),
        "role": np.concatenate([[debit_role[k] for k in txn_kind], [credit_role[k] for k in txn_kind]]),
        "debit_fen": np.concatenate([txn_amount, np.zeros(nt, dtype=np.int64)]),
        "credit_fen": np.concatenate([np.zeros(nt, dtype=np.int64), txn_amount]),
    }))  # fmt: skip
    return len(batch_ids) + len(sel) + nt * 3

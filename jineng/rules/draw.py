#!/usr/bin/env python3
"""双随机抽查算法 — the random draw of inspection objects and inspectors, re-runnable by anyone.

This file is the algorithm itself and, run as a script, its verifier: it uses the Python standard library only and
imports nothing of Jineng, so a citizen can download it (``scripts/verify_draw.py`` is this file) together with a
published draw's JSON and check the result::

    python3 verify_draw.py draw.json

It checks that ``sha256(seed)`` equals the commitment published before the draw, that the lists hash equals the one
published when the lists were frozen, re-runs the draw and prints the same result (exit 0), or says what differs
(exit 1). The rules, step by step, are in docs/supervision.md, "双随机抽查算法"; in short:

1. ``canonical(x)`` is the JSON of ``x`` with sorted keys, no spaces, UTF-8 (``ensure_ascii=False``).
2. ``lists_sha256 = sha256(canonical(lists))`` where ``lists`` holds ``objects`` (id, kind, weight ≥ 1),
   ``inspectors`` (ids), ``conflicts`` (pairs [inspector, object] excluded for conflict of interest) and
   ``previous`` (object → the inspectors of its last inspection: rotation).
3. ``commitment = sha256(seed)`` (the seed as ASCII hex text).
4. A number ``h(label) = int(sha256(seed + ":" + lists_sha256 + ":" + label), 16)`` (a 256-bit integer).
5. Objects: ``count`` draws without replacement, weighted: at step ``i`` (0-based) the objects not yet drawn, sorted
   by id, cover ``[0, W)`` by cumulative weight; ``x = h("object:" + i) mod W`` picks the object whose interval
   holds ``x``.
6. Inspectors, object by object in draw order: the eligible ones are those not in conflict with the object and not
   among its previous inspectors; they are ordered by (tasks already given in this draw, ``h("inspector:" + object
   + ":" + inspector)``, id) and the first ``per_task`` are taken. Fewer eligible than ``per_task`` refuses the
   draw with the object named.
"""

from __future__ import annotations

import hashlib
import json
import sys
from typing import Any

FORMAT = "jineng-draw/1"


class DrawRefused(ValueError):
    """The draw cannot be made from these inputs; ``code`` says why (stable), the message names what (in Chinese);
    ``details`` holds the facts the message names (the object, how many are left) for a caller to word it."""

    def __init__(self, code: str, message: str, **details: Any) -> None:
        super().__init__(message)
        self.code = code
        self.details = details


def canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def commitment_of(seed: str) -> str:
    return sha256_hex(seed.encode("ascii"))


def lists_hash(lists: dict[str, Any]) -> str:
    return sha256_hex(canonical(lists))


def _h(seed: str, lists_sha256: str, label: str) -> int:
    return int(sha256_hex(f"{seed}:{lists_sha256}:{label}".encode()), 16)


def run_draw(*, seed: str, lists: dict[str, Any], count: int, per_task: int) -> list[dict[str, Any]]:
    """The draw's result: ``[{"object": id, "inspectors": [ids]}]`` in draw order. Refuses (``DrawRefused``) an
    empty list, a count or team size below 1, more objects than listed, more inspectors per task than eligible."""
    objects = sorted(lists.get("objects", []), key=lambda o: str(o["id"]))
    inspectors = sorted(str(i) for i in lists.get("inspectors", []))
    if not objects:
        raise DrawRefused("empty_objects", "检查对象名录为空，不能抽取。")
    if not inspectors:
        raise DrawRefused("empty_inspectors", "执法检查人员名录为空，不能抽取。")
    if count < 1 or per_task < 1:
        raise DrawRefused("bad_count", "抽取数量和每组检查人员数须至少为 1。")
    if count > len(objects):
        raise DrawRefused("too_many_objects", f"抽取数量 {count} 超过名录中的检查对象数 {len(objects)}。")
    if per_task > len(inspectors):
        raise DrawRefused("too_many_inspectors", f"每组 {per_task} 名检查人员，超过名录中的 {len(inspectors)} 人。")
    for o in objects:
        if not isinstance(o.get("weight"), int) or o["weight"] < 1:
            raise DrawRefused("bad_weight", f"检查对象 {o['id']} 的权重须为正整数。")
    digest = lists_hash(lists)
    conflicts = {(str(i), str(o)) for i, o in lists.get("conflicts", [])}
    previous = {str(k): {str(i) for i in v} for k, v in lists.get("previous", {}).items()}
    remaining = list(objects)
    chosen: list[dict[str, Any]] = []
    for step in range(count):
        total = sum(o["weight"] for o in remaining)
        x = _h(seed, digest, f"object:{step}") % total
        for pos, o in enumerate(remaining):
            if x < o["weight"]:
                chosen.append(remaining.pop(pos))
                break
            x -= o["weight"]
    load = dict.fromkeys(inspectors, 0)
    result = []
    for o in chosen:
        oid = str(o["id"])
        eligible = [i for i in inspectors if (i, oid) not in conflicts and i not in previous.get(oid, set())]
        if len(eligible) < per_task:
            raise DrawRefused("too_few_eligible", f"检查对象 {o.get('name') or oid} 可回避、轮换后仅剩 {len(eligible)} "
                                                  f"名检查人员，少于每组 {per_task} 名。",
                              object=oid, eligible=len(eligible))  # fmt: skip
        eligible.sort(key=lambda i: (load[i], _h(seed, digest, f"inspector:{oid}:{i}"), i))
        team = sorted(eligible[:per_task])
        for i in team:
            load[i] += 1
        result.append({"object": oid, "inspectors": team})
    return result


def verify(published: dict[str, Any]) -> tuple[bool, list[str], list[dict[str, Any]]]:
    """Re-run a published draw: (all checks passed, what differs, the re-computed result)."""
    problems = []
    seed, lists = str(published.get("seed") or ""), published.get("lists") or {}
    if not seed:
        return False, ["种子尚未公开（抽取前只公布承诺值）。 The seed is not revealed yet."], []
    if commitment_of(seed) != published.get("commitment"):
        problems.append("sha256(seed) 与事先公布的承诺值不符。 The seed does not match the commitment.")
    if lists_hash(lists) != published.get("lists_sha256"):
        problems.append("名录哈希与冻结时公布的不符。 The lists do not match their published hash.")
    plan = published.get("plan") or {}
    result = run_draw(seed=seed, lists=lists, count=int(plan.get("count", 0)), per_task=int(plan.get("per_task", 0)))
    if result != published.get("result"):
        problems.append("重新抽取的结果与公布的结果不同。 The re-run result differs from the published one.")
    return not problems, problems, result


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: verify_draw.py DRAW.json", file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as fh:
        published = json.load(fh)
    if published.get("format") != FORMAT:
        print(f"unknown format {published.get('format')!r} (expected {FORMAT})", file=sys.stderr)
        return 2
    try:
        ok, problems, result = verify(published)
    except DrawRefused as exc:
        print(f"refused: {exc.code}: {exc}", file=sys.stderr)
        return 1
    print(f"draw {published.get('number', '')}  commitment {published.get('commitment')}")
    print(f"lists_sha256 {published.get('lists_sha256')}")
    for n, row in enumerate(result, 1):
        print(f"{n}. {row['object']}  <- {', '.join(row['inspectors'])}")
    for p in problems:
        print("MISMATCH: " + p)
    print("OK: same result" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))

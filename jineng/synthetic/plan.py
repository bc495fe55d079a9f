"""The synthetic province's plan: the timeline, who trains when and where, classes and sessions — all deterministic.

The timeline has ``MONTHS`` monthly cohorts (2022-01 … 2026-11). Cohort ``m`` is the persons registered that month
(a contiguous index range), the classes that start that month, their rosters and attendance. A cohort is the unit of
every stage's chunk: ``Plan.cohort(m)`` recomputes everything about month ``m`` from the seed alone.

Who trains: a registered person trains in their cohort's month with probability ``enrolled_share``; one in
``1 / second_share`` of those trains again six months later. Trainees are grouped into classes by their city of
residence and a subsidy category by their groups (key groups → A, enterprise employees → B, anyone → C — the
synthetic world's own buckets; who may enroll is the policies', docs/training.md), then cut into classes of 15–60 of a provider of that city.

Anomalies (``anomalies=True``) are injected at fixed rates, and ``Plan.cohort`` says which rows they are:
``shared_phone`` / ``shared_bank`` (one phone or bank account behind a cluster of 6–15 trainees), ``ghost``
(retirees and full-time students enrolled), ``double_booking`` (one person on two classes whose sessions overlap),
``far_attendance`` (every check-in of an enrollment 50–160 km from the venue).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from jineng.synthetic import people as P
from jineng.synthetic.calibration import COMMON_OCCUPATIONS, DEFAULT, SENDING_PROVINCES, Calibration
from jineng.synthetic.people import Population, below, hash64, uniform
from jineng.synthetic.writer import uuid7_hex

MONTHS = 59
FIRST_YEAR = 2022
AS_OF = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)
SECOND_LAG = 6  # months between a first and a second training
SESSION_START_UTC = 1  # 09:00 in Asia/Shanghai
SESSION_HOURS = 6  # 09:00–15:00: 8 scheduled 学时 of 45 min, 7 credited (hours.per_day_max)
CREDIT_PER_SESSION = 7

# Anomaly rates (per person or per enrollment) and cluster sizes.
CLUSTER_BLOCK = 20_000  # one shared-phone and one shared-bank cluster per block of persons
GHOST_ENROLL = 0.3  # of the registry's retirees and students, enrolled when anomalies are on
DOUBLE_RATE = 1 / 4000
FAR_RATE = 1 / 5000

# Salts for ids and plan streams (person attribute streams are in people.py).
S_PID, S_DOC, S_MEM, S_FACT, S_BANKID, S_EMP = 201, 202, 203, 204, 205, 206
S_CLASS, S_CLSIZE, S_CLPROV, S_CLPROG, S_CLSTART, S_SESS, S_TRANS = 301, 302, 303, 304, 305, 306, 307
S_ENR, S_ENRFACT, S_ATT, S_ATTPRES, S_ATTJIT, S_CAT = 401, 402, 403, 404, 405, 406
S_CERT, S_CAND, S_EXAM, S_CERTID, S_SCORE, S_CCERT = 501, 502, 503, 504, 505, 506

PASSES = {"first": 0, "second": 1, "ghost": 2, "double": 3}


def month_start(m: int) -> dt.date:
    return dt.date(FIRST_YEAR + m // 12, m % 12 + 1, 1)


def epoch_ms(d: dt.date) -> int:
    return int(dt.datetime(d.year, d.month, d.day, tzinfo=dt.UTC).timestamp() * 1000)


def ids(seed: int, salt: int, keys: np.ndarray, ms: np.ndarray | int) -> np.ndarray:
    """Deterministic time-ordered UUIDs (32 hex) for ``keys`` of one kind (``salt``) created at ``ms``."""
    keys = np.asarray(keys, dtype=np.int64)
    ms_arr = np.broadcast_to(np.asarray(ms, dtype=np.int64), keys.shape)
    return uuid7_hex(ms_arr, hash64(seed, salt, keys), hash64(seed, salt + 1000, keys))


@dataclass
class Catalog:
    """The providers, programs and evaluators the classes draw on (built once per plan)."""

    cities: np.ndarray  # city code per provider
    counties: np.ndarray  # county code per provider
    lat: np.ndarray
    lon: np.ndarray
    programs: list[list[dict[str, Any]]] = field(default_factory=list)  # per provider: its programs
    occupations: list[tuple[int, str]] = field(default_factory=list)  # (id, name)


@dataclass
class Cohort:
    """Everything about month ``m``: trainees (enrollments), classes, and the anomalies among them."""

    m: int
    enr: dict[str, np.ndarray]
    classes: dict[str, np.ndarray]
    anomalies: list[dict[str, Any]]


class Plan:
    def __init__(
        self,
        *,
        seed: int,
        persons: int,
        region_rows: list[tuple[str, str, str]],
        occupations: list[tuple[int, str, str]],
        anomalies: bool = False,
        cal: Calibration = DEFAULT,
    ):
        self.seed = seed
        self.persons = persons
        self.anomalies = anomalies
        self.cal = cal
        self.counties = P.counties_from(region_rows, cal, SENDING_PROVINCES)
        self.pop = Population(seed, persons, cal, self.counties)
        by_name = {name: (pk, code) for pk, code, name in occupations}
        self.occupations = [(by_name[n][0], n) for n in COMMON_OCCUPATIONS if n in by_name] or [
            (pk, name) for pk, _code, name in occupations[:20]
        ]
        self.bounds = np.round(np.linspace(0, persons, MONTHS + 1)).astype(np.int64)

    # ---- persons -------------------------------------------------------------------------------------------------

    def cohort_range(self, m: int) -> np.ndarray:
        return np.arange(self.bounds[m], self.bounds[m + 1], dtype=np.int64)

    def month_of(self, idx: np.ndarray) -> np.ndarray:
        return np.searchsorted(self.bounds, idx, side="right") - 1

    def registered_ms(self, idx: np.ndarray) -> np.ndarray:
        """When each person was registered: spread over the first 20 days of their cohort's month, in ms."""
        m = self.month_of(idx)
        starts = np.array([epoch_ms(month_start(k)) for k in range(MONTHS)], dtype=np.int64)
        span = np.maximum(self.bounds[m + 1] - self.bounds[m], 1)
        return np.asarray(starts[m] + (idx - self.bounds[m]) * (20 * 86_400_000) // span)

    def person_ids(self, idx: np.ndarray) -> np.ndarray:
        return ids(self.seed, S_PID, idx, self.registered_ms(idx))

    def is_ghost(self, group: np.ndarray) -> np.ndarray:
        return np.isin(group, list(self.pop.ghost_codes))

    @cached_property
    def group_codes(self) -> list[str]:
        return self.pop.group_codes

    def shared_clusters(self, salt: int, lo: int, hi: int) -> dict[int, int]:
        """Members (person index → cluster leader index) of the clusters whose block meets [lo, hi)."""
        if not self.anomalies:
            return {}
        out: dict[int, int] = {}
        for block in range(lo // CLUSTER_BLOCK, (max(hi - 1, lo)) // CLUSTER_BLOCK + 1):
            start = block * CLUSTER_BLOCK
            size_block = min(CLUSTER_BLOCK, self.persons - start)
            if size_block < 30:
                continue
            n = 6 + int(below(self.seed, salt, np.array([block]), 10)[0])
            members = start + below(self.seed, salt + 1, np.arange(block * 64, block * 64 + n), size_block)
            members = np.unique(members)
            leader = int(members[0])
            for i in members:
                out[int(i)] = leader
        return out

    # ---- the catalog ---------------------------------------------------------------------------------------------

    @cached_property
    def catalog(self) -> Catalog:
        """Providers per city (at least one; about one per 2000 persons), each with four programs (A, A, B, C)."""
        cities = sorted(self.cal.cities)
        weights = np.array([self.cal.cities[c] for c in cities], dtype=float)
        weights /= weights.sum()
        total = max(len(cities), self.persons // 2000)
        per_city = np.maximum(1, np.round(weights * total).astype(np.int64))
        city_of = np.repeat(np.array([int(c) for c in cities]), per_city)
        j = np.arange(len(city_of))
        counties = np.zeros(len(city_of), dtype=np.int64)
        for c in np.unique(city_of):
            own = self.counties.codes[self.counties.city == c]
            mask = city_of == c
            counties[mask] = own[below(self.seed, 601, j[mask], len(own))]
        from jineng.synthetic.calibration import CITY_CENTRE

        centre = np.array([CITY_CENTRE.get(str(c), (23.1, 113.3)) for c in city_of])
        lat = np.round(centre[:, 0] + (uniform(self.seed, 602, j) - 0.5) * 0.24, 6)
        lon = np.round(centre[:, 1] + (uniform(self.seed, 603, j) - 0.5) * 0.24, 6)
        catalog = Catalog(cities=city_of, counties=counties, lat=lat, lon=lon, occupations=self.occupations)
        occ = self.occupations
        for k in range(len(city_of)):
            key = np.array([k * 8 + t for t in range(8)])
            picks = below(self.seed, 604, key, len(occ))
            sessions = 2 + below(self.seed, 605, key, 4)  # 2–5 days
            high = uniform(self.seed, 606, key) < 0.12
            catalog.programs.append(
                [
                    {"category": "A", "kind": "employment", "occupation": occ[picks[0]], "level": "grade5",
                     "sessions": int(sessions[0])},
                    {"category": "A", "kind": "employment", "occupation": occ[picks[1]], "level": "grade5",
                     "sessions": int(sessions[1])},
                    {"category": "B", "kind": "upgrading", "occupation": occ[picks[2]],
                     "level": "grade2" if high[2] else "grade4", "sessions": int(min(sessions[2], 4))},
                    {"category": "C", "kind": "digital", "occupation": occ[picks[3]], "level": "grade5",
                     "sessions": int(min(sessions[3], 3))},
                ]
            )  # fmt: skip
        return catalog

    # ---- a month's trainees and classes --------------------------------------------------------------------------

    def cohort(self, m: int) -> Cohort:
        seed, cal = self.seed, self.cal
        own = self.cohort_range(m)
        parts: list[tuple[np.ndarray, int]] = []
        own_attrs = self.pop.persons(own) if len(own) else None
        if own_attrs is not None:
            ghost = self.is_ghost(own_attrs["group"])
            first = own[(~ghost) & (uniform(seed, P.S_ENROLL, own) < cal.enrolled_share)]
            parts.append((first, PASSES["first"]))
            if self.anomalies:
                parts.append((own[ghost & (uniform(seed, P.S_GHOST, own) < GHOST_ENROLL)], PASSES["ghost"]))
        if m >= SECOND_LAG:
            earlier = self.cohort_range(m - SECOND_LAG)
            if len(earlier):
                g = self.pop.persons(earlier)["group"]
                keep = (~self.is_ghost(g)) & (uniform(seed, P.S_ENROLL, earlier) < cal.enrolled_share)
                keep &= uniform(seed, P.S_SECOND, earlier) < cal.second_share
                parts.append((earlier[keep], PASSES["second"]))
        person = np.concatenate([p for p, _k in parts]) if parts else np.zeros(0, dtype=np.int64)
        kind = np.concatenate([np.full(len(p), k) for p, k in parts]) if parts else np.zeros(0, dtype=np.int64)
        attrs = self.pop.persons(person)
        key = person * 4 + kind
        # Subsidy category bucket: key groups → A (or C), enterprise employees → B (or C), ghosts → A.
        employee = attrs["group"] == self.group_codes.index("enterprise_employee")
        u = uniform(seed, S_CAT, key)
        bucket = np.where(employee, np.where(u < 0.8, 1, 2), np.where(u < 0.85, 0, 2))
        bucket = np.where(kind == PASSES["ghost"], 0, bucket)
        # A city's bucket too small for a class (< 15) joins its C classes, which admit anyone.
        combo = attrs["city"] * 4 + bucket
        values, counts = np.unique(combo, return_counts=True)
        small = values[counts < 15]
        bucket = np.where(np.isin(combo, small), 2, bucket)
        order = np.lexsort((uniform(seed, S_CAT + 1, key), bucket, attrs["city"]))
        enr = {k: v[order] for k, v in attrs.items()}
        enr.update(key=key[order], kind=kind[order], bucket=bucket[order])
        classes = self._classes(m, enr)
        anomalies: list[dict[str, Any]] = []
        if self.anomalies and len(enr["key"]):
            self._double_booking(m, enr, classes, anomalies)
        return Cohort(m, enr, classes, anomalies)

    def _classes(self, m: int, enr: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Cut each (city, bucket) run of trainees into classes of 15–60 and give every class its provider,
        program, dates and status; ``enr["cls"]`` is the class (position in the cohort) of each trainee."""
        seed = self.seed
        cat = self.catalog
        n = len(enr["key"])
        enr["cls"] = np.zeros(n, dtype=np.int64)
        rows: list[tuple[int, int, int, int]] = []  # (city, bucket, first trainee, size)
        if n:
            boundaries = np.flatnonzero((np.diff(enr["city"]) != 0) | (np.diff(enr["bucket"]) != 0)) + 1
            starts = np.concatenate([[0], boundaries])
            ends = np.concatenate([boundaries, [n]])
            for s, e in zip(starts, ends, strict=True):
                pos = s
                while pos < e:
                    number = len(rows)
                    size = 15 + int(below(seed, S_CLSIZE, np.array([m * 1_000_000 + number]), 46)[0])
                    if e - pos - size < 8:  # no tiny last class: the remainder joins this one
                        size = e - pos
                    rows.append((int(enr["city"][s]), int(enr["bucket"][s]), pos, size))
                    enr["cls"][pos : pos + size] = number
                    pos += size
        count = len(rows)
        k = np.arange(count, dtype=np.int64)
        ckey = m * 1_000_000 + k
        city = np.array([r[0] for r in rows], dtype=np.int64)
        bucket = np.array([r[1] for r in rows], dtype=np.int64)
        provider = np.zeros(count, dtype=np.int64)
        for c in np.unique(city):
            choices = np.flatnonzero(cat.cities == c)
            if len(choices) == 0:
                choices = np.arange(len(cat.cities))
            mask = city == c
            provider[mask] = choices[below(seed, S_CLPROV, ckey[mask], len(choices))]
        program = np.where(bucket == 0, below(seed, S_CLPROG, ckey, 2), np.where(bucket == 1, 2, 3))
        sessions = np.array([cat.programs[p][g]["sessions"] for p, g in zip(provider, program, strict=True)],
                            dtype=np.int64)  # fmt: skip
        start = np.datetime64(month_start(m)) + below(seed, S_CLSTART, ckey, 23).astype("timedelta64[D]")
        end = start + (sessions - 1).astype("timedelta64[D]")
        as_of = np.datetime64(AS_OF.date())
        status = np.where(end < as_of, "completed", np.where(start <= as_of, "running", "approved"))
        county = cat.counties[provider]
        # 班级编号 K + county + year + serial: serials of month m start at (month − 1) × 8000 within the county-year.
        serial = np.zeros(count, dtype=np.int64)
        for c in np.unique(county):
            mask = county == c
            serial[mask] = np.arange(mask.sum()) + 1 + (m % 12) * 8000
        return {
            "k": k, "key": ckey, "city": city, "bucket": bucket, "provider": provider, "program": program,
            "sessions": sessions, "start": start, "end": end, "status": status, "county": county, "serial": serial,
            "size": np.array([r[3] for r in rows], dtype=np.int64),
        }  # fmt: skip

    def _double_booking(self, m: int, enr: dict[str, np.ndarray], classes: dict[str, np.ndarray],
                        anomalies: list[dict[str, Any]]) -> None:  # fmt: skip
        """Add a second enrollment, in a class whose dates overlap, for a few first-time trainees."""
        first = np.flatnonzero(enr["kind"] == PASSES["first"])
        chosen = first[uniform(self.seed, P.S_DOUBLE, enr["key"][first]) < DOUBLE_RATE]
        extra: list[tuple[int, int]] = []  # (row of the original trainee, the other class)
        for row in chosen:
            a = enr["cls"][row]
            overlap = np.flatnonzero(
                (classes["start"] <= classes["end"][a]) & (classes["end"] >= classes["start"][a])
                & (classes["k"] != a)
            )  # fmt: skip
            if len(overlap):
                extra.append((int(row), int(overlap[0])))
        if not extra:
            return
        rows = np.array([r for r, _c in extra])
        for name, values in list(enr.items()):
            enr[name] = np.concatenate([values, values[rows]])
        n0 = len(enr["key"]) - len(rows)
        enr["kind"][n0:] = PASSES["double"]
        enr["key"][n0:] = enr["idx"][n0:] * 4 + PASSES["double"]
        enr["cls"][n0:] = [c for _r, c in extra]
        for i, (row, other) in enumerate(extra):
            anomalies.append({"pattern": "double_booking", "person_index": int(enr["idx"][row]),
                              "enrollment_keys": [int(enr["key"][row]), int(enr["key"][n0 + i])],
                              "class_keys": [int(classes["key"][enr["cls"][row]]), int(classes["key"][other])]})  # fmt: skip

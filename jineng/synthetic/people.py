"""合成人员 — the synthetic population as a pure function of (seed, index): vectorized, random-access, collision-free.

Every attribute of person ``i`` is computed from ``(seed, i)`` alone with a counter-based hash (splitmix64), so any
range of persons can be (re)generated in any order — which is what makes chunks resumable and later stages able to
find a person's attributes without reading them back.

ID numbers (GB 11643) are unique by construction, without a lookup table: the population is laid out as cells
(county × birth year × sex × group) whose sizes follow the calibration; a keyed Feistel permutation scatters the
indices over the cells; a person's rank inside its (county, birth year, sex) super-cell gives the birth day
(rank mod 365) and the sequence number (rank div 365, odd for men): two persons never share a (county, birth date,
sequence).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from faker.providers.person.zh_CN import Provider as FakerPerson
from faker.providers.phone_number.zh_CN import Provider as FakerPhone

from jineng.synthetic.calibration import Calibration

U64 = np.uint64
_ID_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
_CHECK = np.array(list("10X98765432"))
YEAR0 = 1950
YEARS = 61  # 1950 … 2010

# Salts of the independent attribute streams.
S_PERM, S_NAME, S_GIVEN1, S_GIVEN2, S_GIVENLEN, S_PHONE, S_PHONEP, S_RES, S_EDU, S_HUKOU = range(1, 11)
S_ENROLL, S_SECOND, S_BANK, S_BANKNO, S_GHOST, S_DOUBLE, S_FAR, S_ID, S_CERT = range(11, 20)


def mix64(x: np.ndarray) -> np.ndarray:
    """splitmix64's finalizer over an array of uint64 (wrapping arithmetic)."""
    with np.errstate(over="ignore"):
        x = x.astype(U64) + U64(0x9E3779B97F4A7C15)
        x = (x ^ (x >> U64(30))) * U64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> U64(27))) * U64(0x94D049BB133111EB)
        return np.asarray(x ^ (x >> U64(31)))


def stream_key(seed: int, salt: int) -> np.uint64:
    return U64(mix64(np.array([(seed * 1_000_003 + salt * 7919) & 0xFFFFFFFFFFFFFFFF], dtype=U64))[0])


def hash64(seed: int, salt: int, idx: np.ndarray) -> np.ndarray:
    return mix64(np.asarray(idx, dtype=np.int64).astype(U64) ^ stream_key(seed, salt))


def uniform(seed: int, salt: int, idx: np.ndarray) -> np.ndarray:
    """A uniform float in [0, 1) per index."""
    return (hash64(seed, salt, idx) >> U64(11)).astype(np.float64) * (1.0 / (1 << 53))


def below(seed: int, salt: int, idx: np.ndarray, n: int | np.ndarray) -> np.ndarray:
    """A uniform integer in [0, n) per index."""
    return (uniform(seed, salt, idx) * n).astype(np.int64)


def permute(seed: int, idx: np.ndarray, n: int) -> np.ndarray:
    """A keyed pseudo-random permutation of [0, n) (4-round Feistel with cycle walking), element-wise."""
    half = max(1, (max(n - 1, 1).bit_length() + 1) // 2)
    mask = U64((1 << half) - 1)
    keys = [stream_key(seed, 100 + r) for r in range(4)]

    def once(x: np.ndarray) -> np.ndarray:
        left, right = x >> U64(half), x & mask
        for key in keys:
            left, right = right, left ^ (mix64(right ^ key) & mask)
        return (left << U64(half)) | right

    out = once(np.asarray(idx, dtype=np.int64).astype(U64))
    todo = out >= U64(n)
    while todo.any():
        out[todo] = once(out[todo])
        todo = out >= U64(n)
    return np.asarray(out.astype(np.int64))


def id_check_chars(body: np.ndarray) -> np.ndarray:
    """GB 11643 check characters of 17-digit bodies given as int64."""
    digits = np.empty((len(body), 17), dtype=np.int64)
    rest = body.copy()
    for pos in range(16, -1, -1):
        digits[:, pos] = rest % 10
        rest //= 10
    return np.asarray(_CHECK[(digits @ _ID_WEIGHTS) % 11])


@dataclass(frozen=True)
class Counties:
    """The counties a population is drawn from: Guangdong's (weighted) and the sending provinces' (for ID numbers)."""

    codes: np.ndarray  # int64 six-digit codes: Guangdong first, then outside
    city: np.ndarray  # int64 city code of each Guangdong county (0 for outside)
    gd_weight: np.ndarray  # weight of each county for Guangdong residents (0 outside)
    out_weight: np.ndarray  # weight of each county for ID numbers issued outside (0 in Guangdong)

    @property
    def gd_count(self) -> int:
        return int((self.gd_weight > 0).sum())


def counties_from(rows: list[tuple[str, str, str]], cal: Calibration, sending: list[str]) -> Counties:
    """Build the county table from (code, level, parent) rows of current regions."""
    children: dict[str, list[str]] = {}
    for code, _level, parent in rows:
        children.setdefault(parent or "", []).append(code)
    gd: list[tuple[int, int, float]] = []
    for city_code, population in sorted(cal.cities.items()):
        leaves = sorted(children.get(city_code, [])) or [city_code]  # 东莞 and 中山 have no counties
        for leaf in leaves:
            gd.append((int(leaf), int(city_code), population / len(leaves)))
    outside: list[tuple[int, float]] = []
    for province in sending:
        leaves = []
        for city_code in children.get(province, []):
            leaves += children.get(city_code, []) or [city_code]
        for leaf in sorted(leaves):
            outside.append((int(leaf), 1.0 / (len(sending) * len(leaves))))
    codes = np.array([c for c, _p, _w in gd] + [c for c, _w in outside], dtype=np.int64)
    city = np.array([p for _c, p, _w in gd] + [0] * len(outside), dtype=np.int64)
    gd_w = np.array([w for _c, _p, w in gd] + [0.0] * len(outside))
    out_w = np.array([0.0] * len(gd) + [w for _c, w in outside])
    return Counties(codes, city, gd_w / gd_w.sum(), out_w / out_w.sum() if len(outside) else out_w)


@dataclass
class Population:
    """The layout of ``size`` persons over cells, for one (seed, calibration, county table)."""

    seed: int
    size: int
    cal: Calibration
    counties: Counties

    @cached_property
    def groups(self) -> list[tuple[str, float, tuple[int, int], float]]:
        return list(self.cal.groups) + list(self.cal.ghost_groups)

    @cached_property
    def group_codes(self) -> list[str]:
        return [g for g, _s, _y, _m in self.groups]

    @cached_property
    def ghost_codes(self) -> set[int]:
        return set(range(len(self.cal.groups), len(self.groups)))

    @cached_property
    def bounds(self) -> np.ndarray:
        """Cumulative cell boundaries (length cells + 1); cells are flattened as (county, year, sex, group)."""
        counties = self.counties
        n_c, n_g = len(counties.codes), len(self.groups)
        p = np.zeros((n_c, YEARS, 2, n_g))
        for g, (code, share, (y0, y1), male) in enumerate(self.groups):
            if code == "migrant_worker":
                pc = (1 - self.cal.migrant_from_outside) * counties.gd_weight
                pc = pc + self.cal.migrant_from_outside * counties.out_weight
            else:
                pc = counties.gd_weight
            py = np.zeros(YEARS)
            py[y0 - YEAR0 : y1 - YEAR0 + 1] = 1.0 / (y1 - y0 + 1)
            ps = np.array([1 - male, male])
            p[:, :, :, g] = share * pc[:, None, None] * py[None, :, None] * ps[None, None, :]
        flat = p.ravel() / p.sum()
        bounds = np.concatenate([[0], np.round(np.cumsum(flat) * self.size).astype(np.int64)])
        bounds[-1] = self.size
        return bounds

    def cells(self, idx: np.ndarray) -> dict[str, np.ndarray]:
        """County index, birth year, sex (1 = male), group index, and the rank inside the super-cell."""
        n_g = len(self.groups)
        k = permute(self.seed, idx, self.size)
        cell = np.searchsorted(self.bounds, k, side="right") - 1
        group = cell % n_g
        rank = k - self.bounds[cell - group]
        rest = cell // n_g
        sex = rest % 2
        rest //= 2
        year = rest % YEARS + YEAR0
        county = rest // YEARS
        if (rank >= 365 * 500).any():
            raise ValueError("a (county, birth year, sex) cell overflowed: the population is too large")
        return {"county": county, "year": year, "male": sex, "group": group, "rank": rank, "cell": cell}

    def persons(self, idx: np.ndarray) -> dict[str, np.ndarray]:
        """Every attribute of the persons ``idx`` (int64 array) as arrays."""
        seed = self.seed
        idx = np.asarray(idx, dtype=np.int64)
        c = self.cells(idx)
        male = c["male"] == 1
        # (rank mod 365, rank div 365) ↔ (day, sequence) stays a bijection inside a super-cell under these shifts,
        # which spread small populations over the year and the sequence numbers.
        quotient, remainder = c["rank"] // 365, c["rank"] % 365
        shift = hash64(seed, S_ID, c["cell"] - c["group"])
        day = (remainder * 37 + quotient * 11 + (shift % U64(365)).astype(np.int64)) % 365
        seq = 2 * ((quotient + ((shift >> U64(20)) % U64(500)).astype(np.int64)) % 500) + male
        year_start = (c["year"] - 1970).astype("datetime64[Y]").astype("datetime64[D]")
        birth = year_start + day.astype("timedelta64[D]")
        ymd = (
            c["year"] * 10000
            + (birth.astype("datetime64[M]").astype(np.int64) % 12 + 1) * 100
            + (birth - birth.astype("datetime64[M]").astype("datetime64[D]")).astype(np.int64)
            + 1
        )
        id_county = self.counties.codes[c["county"]]
        body = id_county * 10**11 + ymd * 1000 + seq
        check = id_check_chars(body)
        id_numbers = np.char.add(body.astype("U17"), check)
        # Residence: a Guangdong county — the ID's own county for most, another by weight for the rest (and for IDs
        # issued outside Guangdong).
        gd_n = self.counties.gd_count
        cum = np.cumsum(self.counties.gd_weight[:gd_n])
        moved = (uniform(seed, S_RES, idx) < 0.25) | (c["county"] >= gd_n)
        other = np.minimum(np.searchsorted(cum, uniform(seed, S_RES + 50, idx) * cum[-1]), gd_n - 1)
        residence_index = np.where(moved, other, c["county"])
        residence = self.counties.codes[residence_index]
        city = self.counties.city[residence_index]
        return {
            "idx": idx,
            "id_number": id_numbers,
            "id_county": id_county,
            "birth_date": birth,
            "male": male,
            "group": c["group"],
            "name": self.names(idx, male),
            "phone": self.phones(idx),
            "residence": residence,
            "city": city,
            "education": self.education(idx, c["group"]),
            "agricultural": self.agricultural(idx, c["group"]),
        }

    # ---- names and phones from Faker's zh_CN data -----------------------------------------------------------------

    def names(self, idx: np.ndarray, male: np.ndarray) -> np.ndarray:
        last = np.array(list(FakerPerson.last_names.keys()))
        weights = np.cumsum(np.array(list(FakerPerson.last_names.values()), dtype=float))
        surname = last[
            np.minimum(np.searchsorted(weights, uniform(self.seed, S_NAME, idx) * weights[-1]), len(last) - 1)
        ]
        given_m = np.array(FakerPerson.first_names_male)
        given_f = np.array(FakerPerson.first_names_female)
        g1 = np.where(male, given_m[below(self.seed, S_GIVEN1, idx, len(given_m))],
                      given_f[below(self.seed, S_GIVEN1, idx, len(given_f))])  # fmt: skip
        g2 = np.where(male, given_m[below(self.seed, S_GIVEN2, idx, len(given_m))],
                      given_f[below(self.seed, S_GIVEN2, idx, len(given_f))])  # fmt: skip
        two = (uniform(self.seed, S_GIVENLEN, idx) < 0.7) & (np.char.str_len(g1) == 1) & (np.char.str_len(g2) == 1)
        return np.char.add(np.char.add(surname, g1), np.where(two, g2, ""))

    def phones(self, idx: np.ndarray) -> np.ndarray:
        prefixes = np.array([str(p) for p in FakerPhone.phonenumber_prefixes])
        prefix = prefixes[below(self.seed, S_PHONEP, idx, len(prefixes))]
        tail = below(self.seed, S_PHONE, idx, 10**8)
        return np.char.add(prefix, np.char.zfill(tail.astype("U8"), 8))

    def education(self, idx: np.ndarray, group: np.ndarray) -> np.ndarray:
        levels = np.array(["bachelor", "college", "secondary_specialized", "technical_school", "high_school",
                           "junior_high", "primary"])  # fmt: skip
        general = np.cumsum([0.08, 0.14, 0.12, 0.06, 0.22, 0.33, 0.05])
        graduate = np.cumsum([0.45, 0.55, 0, 0, 0, 0, 0])
        u = uniform(self.seed, S_EDU, idx)
        is_grad = np.isin(group, [self.group_codes.index("college_graduate")])
        pick = np.where(is_grad, np.searchsorted(graduate, u), np.searchsorted(general, u))
        return levels[np.minimum(pick, len(levels) - 1)]

    def agricultural(self, idx: np.ndarray, group: np.ndarray) -> np.ndarray:
        rural = [self.group_codes.index(g) for g in ("migrant_worker", "rural_labor", "poverty_alleviated")]
        share = np.where(np.isin(group, rural), 0.85, 0.3)
        return uniform(self.seed, S_HUKOU, idx) < share


def date_of(value: np.datetime64) -> dt.date:
    return dt.date.fromisoformat(str(value.astype("datetime64[D]")))

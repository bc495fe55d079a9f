"""证件号码批量校验 — the GB 11643 check of ``idcard.validate_resident_id`` for a whole column at once (NumPy).

The scalar rule in ``jineng.rules.idcard`` stays the definition; this is its vectorized form for imports, where a
Python loop over every number costs more than the rest of the row. ``resident_ids_accepted`` answers, for each
already-normalized number, whether it is a well-formed 18-digit 居民身份证 number that the scalar rule accepts
without a region lookup: 17 digits and a check character (MOD 11-2), a real birth date between 1900-01-01 and
``today``, not an HMT-permit (810000/820000/830000) or 2023 permanent-residence (leading 9) number. Everything it
does not accept — bad numbers, 15-digit numbers, other documents — goes to the scalar rule, which gives the
rejection's code and message. The region code is left to the caller (one lookup per distinct code).

The test ``jineng/rules/tests/test_idcard_batch.py`` checks with hypothesis that both forms agree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from jineng.rules.idcard import _CHECK_CHARS, _WEIGHTS, EARLIEST_BIRTH, HMT_PREFIXES

_WEIGHT_VECTOR = np.array(_WEIGHTS, dtype=np.int64)
_CHECK_BYTES = np.frombuffer(_CHECK_CHARS.encode("ascii"), dtype=np.uint8)
_HMT_CODES = np.array(sorted(int(code) for code in HMT_PREFIXES), dtype=np.int64)
_DAYS_IN_MONTH = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)
_FILLER = "~" * 18  # stands in for a number that is not 18 ASCII characters: never accepted


@dataclass(frozen=True)
class ResidentIdBatch:
    """Per number: accepted (``ok``), and for the accepted ones the address code, birth date parts and sex."""

    ok: Any  # np.ndarray[bool]
    region: Any  # np.ndarray[int64], the six-digit address code
    year: Any  # np.ndarray[int64]
    month: Any
    day: Any
    male: Any  # np.ndarray[bool]: the sequence's last digit is odd

    def birth_date(self, index: int) -> dt.date:
        return dt.date(int(self.year[index]), int(self.month[index]), int(self.day[index]))


def resident_ids_accepted(numbers: Sequence[str], *, today: dt.date) -> ResidentIdBatch:
    """The vectorized GB 11643 check of normalized numbers (``idcard.normalize_number``), as described above."""
    n = len(numbers)
    text = "".join(s if len(s) == 18 and s.isascii() else _FILLER for s in numbers)
    cells = np.frombuffer(text.encode("ascii"), dtype=np.uint8).reshape(n, 18)
    digits = cells.astype(np.int64) - ord("0")
    body_ok: Any = ((digits[:, :17] >= 0) & (digits[:, :17] <= 9)).all(axis=1)
    body = np.where(body_ok.reshape(n, 1), digits[:, :17], 0)
    check = np.take(_CHECK_BYTES, (body @ _WEIGHT_VECTOR) % 11)
    check_ok = cells[:, 17] == check  # the check character is a digit or X: equality covers the last position
    powers6 = 10 ** np.arange(5, -1, -1, dtype=np.int64)
    region = body[:, 0:6] @ powers6
    year = body[:, 6:10] @ powers6[2:]
    month = body[:, 10:12] @ powers6[4:]
    day = body[:, 12:14] @ powers6[4:]
    leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
    month_ok = (month >= 1) & (month <= 12)
    days = _DAYS_IN_MONTH[np.where(month_ok, month, 0)] + (leap & (month == 2))
    date_ok = month_ok & (day >= 1) & (day <= days) & (year >= 1)
    ordinal = year * 10_000 + month * 100 + day
    earliest = EARLIEST_BIRTH.year * 10_000 + EARLIEST_BIRTH.month * 100 + EARLIEST_BIRTH.day
    in_range = (ordinal >= earliest) & (ordinal <= today.year * 10_000 + today.month * 100 + today.day)
    resident = ~np.isin(region, _HMT_CODES) & (body[:, 0] != 9)
    ok = body_ok & check_ok & date_ok & in_range & resident
    return ResidentIdBatch(ok, region, year, month, day, (body[:, 16] % 2) == 1)

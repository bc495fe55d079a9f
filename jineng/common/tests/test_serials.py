"""The one serial allocator: consecutive, per series, blocks of several; a new series starts at 1."""

from __future__ import annotations

import pytest

from jineng.common.serials import serial_reserve
from jineng.training.models import SerialCounter

pytestmark = pytest.mark.django_db


def test_numbers_are_consecutive_per_series_and_a_block_is_reserved_whole():
    assert serial_reserve(SerialCounter, prefix="class-440106", year=2026) == 1
    assert serial_reserve(SerialCounter, prefix="class-440106", year=2026) == 2
    assert serial_reserve(SerialCounter, count=5, prefix="class-440106", year=2026) == 3  # 3..7
    assert serial_reserve(SerialCounter, prefix="class-440106", year=2026) == 8
    assert serial_reserve(SerialCounter, prefix="class-440106", year=2027) == 1  # another year, another series
    assert serial_reserve(SerialCounter, prefix="class-440303", year=2026) == 1
    assert SerialCounter.objects.get(prefix="class-440106", year=2026).last == 8


def test_a_block_of_no_numbers_is_refused():
    with pytest.raises(ValueError):
        serial_reserve(SerialCounter, count=0, prefix="x", year=2026)
    assert not SerialCounter.objects.exists()

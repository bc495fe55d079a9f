"""The verification rate limit across worker processes: each process leases blocks of the shared count (a database
row per address and window) and spends them in memory; the limit holds whatever the number of processes, a new
process (a restart) gets no budget back, and requests within a block write nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from jineng.certificates.models import RateCounter
from jineng.certificates.ratelimit import LeaseBook, lease_size

pytestmark = pytest.mark.django_db


def _start() -> dt.datetime:
    return timezone.now().replace(second=0, microsecond=0) + dt.timedelta(seconds=5)


def test_two_worker_processes_share_one_budget(settings):
    settings.JINENG_VERIFY_RATE = "5/minute"
    first, second = LeaseBook(), LeaseBook()
    now = _start()
    allowed = [book.hit("verify", "1.2.3.4", now=now).allowed for _ in range(5) for book in (first, second)]
    assert allowed.count(True) == 5
    assert allowed[:5] == [True] * 5  # a small limit is counted request by request
    restarted = LeaseBook()  # a worker started in the same window gets no budget back
    assert not restarted.hit("verify", "1.2.3.4", now=now).allowed
    assert restarted.hit("verify", "5.6.7.8", now=now).allowed  # another address has its own budget


def test_a_large_limit_is_leased_in_blocks_and_never_exceeded(settings, django_assert_num_queries):
    settings.JINENG_VERIFY_RATE = "300/minute"
    size = lease_size(300)
    assert size == 3
    first, second = LeaseBook(), LeaseBook()
    now = _start()
    with django_assert_num_queries(2):  # the window's first lease, and the deletion of ended windows
        assert first.hit("verify", "1.2.3.4", now=now).allowed
    assert RateCounter.objects.get().count == size  # the shared count holds what was leased
    with django_assert_num_queries(0):  # the rest of the block is spent in memory
        assert all(first.hit("verify", "1.2.3.4", now=now).allowed for _ in range(size - 1))
    results = [book.hit("verify", "1.2.3.4", now=now).allowed for _ in range(200) for book in (first, second)]
    admitted = size + results.count(True)
    # Never more than the limit; at most one unspent block per process short of it.
    assert 300 - 2 * size <= admitted <= 300
    with django_assert_num_queries(0):  # once the shared count is spent, refusals ask nothing of the database
        assert not first.hit("verify", "1.2.3.4", now=now).allowed
        assert not second.hit("verify", "1.2.3.4", now=now).allowed
    later = first.hit("verify", "1.2.3.4", now=now + dt.timedelta(minutes=1))
    assert later.allowed and later.remaining == 299  # a new window: one of the limit spent


def test_the_remaining_count_and_retry_after(settings):
    settings.JINENG_VERIFY_RATE = "3/minute"
    book = LeaseBook()
    now = _start()
    assert [book.hit("v", "1.2.3.4", now=now).remaining for _ in range(3)] == [2, 1, 0]
    refused = book.hit("v", "1.2.3.4", now=now)
    assert not refused.allowed and refused.remaining == 0 and refused.retry_after == 55

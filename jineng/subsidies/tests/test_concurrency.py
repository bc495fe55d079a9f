"""Concurrency on PostgreSQL: many simultaneous ``POST /api/v1/payment-batches`` for the same claims put each claim
in exactly one batch (the others get 409), and simultaneous claims for one person cannot exceed the person's cap.

Each thread has its own connection and transaction. SQLite has a single writer, so these races cannot happen there:
the tests skip on SQLite and run in the PostgreSQL pass (``scripts/with-postgres.sh``).
"""

from __future__ import annotations

import json
import threading
import uuid
from collections import Counter

import pytest
from django.db import connection, connections

from jineng.subsidies.models import Claim, PaymentBatch, PaymentLine

APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django_otp",  # the signed-in clients pass the second factor (the middleware looks their device up)
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "jineng.common",
    "jineng.accounts",
    "jineng.registry",
    "jineng.subsidies",
]


def _postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL: SQLite has one writer, so these requests cannot race (runs in the PostgreSQL pass)"
        )


def _race(n: int, work) -> list[object]:
    start = threading.Barrier(n)
    results: list[object] = [None] * n

    def run(i: int) -> None:
        try:
            start.wait()
            results[i] = work(i)
        except BaseException as exc:  # reported by the caller; a thread's exception would otherwise vanish
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True, available_apps=APPS)
def test_concurrent_batch_requests_put_each_claim_in_exactly_one_batch(world, approved_claims):
    _postgres_only()
    from django.test import Client

    claims = approved_claims(4)
    ids = [str(c.pk) for c in claims]
    # Overlapping requests: every request takes two or three of the four claims.
    requests = [ids[0:2], ids[1:3], ids[2:4], [ids[3], ids[0]], ids[0:3], ids[1:4], ids[0:2], ids[2:4]]

    def post(i: int) -> tuple[int, dict[str, object]]:
        client = Client()
        client.force_login(world.finance)
        response = client.post("/api/v1/payment-batches", json.dumps({"claim_ids": requests[i]}),
                               content_type="application/json", HTTP_IDEMPOTENCY_KEY=uuid.uuid4().hex)  # fmt: skip
        return response.status_code, response.json()

    # One sign-in before the race: it enrolls the second factor the threads' sessions then share (created by eight
    # threads at once, the user would get eight authenticators).
    Client().force_login(world.finance)
    results = _race(len(requests), post)
    errors = [r for r in results if isinstance(r, BaseException)]
    assert not errors, errors
    statuses = Counter(status for status, _body in results)  # type: ignore[misc]
    assert set(statuses) <= {201, 409} and statuses[201] >= 1, results
    for status, body in results:  # type: ignore[misc]
        if status == 409:
            assert body["code"] == "claim_in_live_batch"
    live = PaymentLine.objects.filter(state__in=["pending", "paid"])
    per_claim = Counter(str(c) for c in live.values_list("claim_id", flat=True))
    assert all(n == 1 for n in per_claim.values())
    assert PaymentBatch.objects.count() == statuses[201]
    assert sum(b.line_count for b in PaymentBatch.objects.all()) == live.count()
    assert all(Claim.objects.get(pk=i).status == ("in_payment" if i in per_claim else "approved") for i in ids)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True, available_apps=APPS)
def test_concurrent_claims_cannot_exceed_the_persons_cap(world, hire):
    """Six hires of one person by six enterprises are claimed at once; 以工代训 is once a year per person, so exactly
    one claim is written, the others are refused with the annual_cap line."""
    _postgres_only()
    from jineng.accounts.models import Organization
    from jineng.registry.services.persons import employment_add
    from jineng.subsidies.errors import ClaimRefused
    from jineng.subsidies.services.claims import claim_submit
    from jineng.subsidies.tests.conftest import credit_code, work_input

    person, first = hire()
    events = [(first, world.enterprise, world.hr)]
    for n in range(5):
        org = Organization.objects.create(kind="enterprise", name=f"并发企业{n}", region_id="440104",
                                          credit_code=credit_code("440104"))  # fmt: skip
        hr = type(world.hr).objects.create_user(username=f"hr-race-{n}", password="pw-Test-12345")
        from jineng.accounts.services import grant_create

        grant_create(actor=None, user=hr, function="enterprise_hr", organization=org)
        record = employment_add(actor="test", person=person, status="employed", started_on=first.started_on,
                                employer_name=org.name, employer_credit_code=org.credit_code,
                                contract_months=first.contract_months, insured_from=first.insured_from)  # fmt: skip
        events.append((record, org, hr))

    def submit(i: int) -> object:
        record, org, hr = events[i]
        try:
            return claim_submit(actor=hr, data=work_input(record, org)).number
        except ClaimRefused as exc:
            return [line["code"] for line in exc.extra["lines"] if line["outcome"] == "fail"]

    results = _race(len(events), submit)
    errors = [r for r in results if isinstance(r, BaseException)]
    assert not errors, errors
    written = [r for r in results if isinstance(r, str)]
    refused = [r for r in results if isinstance(r, list)]
    assert len(written) == 1 and len(refused) == len(events) - 1
    assert all("annual_cap" in codes for codes in refused)
    assert Claim.objects.filter(person=person).count() == 1

"""The shortage float reads the published catalog (ADR 0022): publishing a version that adds an occupation raises a
new claim for it exactly by the float, the claim's explanation names the version, and the version that applies is
the one in force on the class's start date. Subsidies' own test world (policies, a provider, enrollments) is reused.
"""

from __future__ import annotations

import datetime as dt

import pytest

from jineng.common.errors import DomainError
from jineng.labour_market import services
from jineng.rules.subsidy import raise_by_bp
from jineng.subsidies.services.claims import ClaimInput, claim_check, claim_submit
from jineng.subsidies.tests.conftest import TRAINING_POLICY, publish

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()
HOUSEKEEPER = "4-10-01-06"  # 家政服务员, the occupation of the enrollment fixture's classes
FLOATED = {**TRAINING_POLICY, "adjustments": [{"kind": "shortage_float", "catalog": "440000", "min_level_rank": 0}]}


def _claim(world, e):
    return ClaimInput(subsidy_type="training", event_ref=str(e.pk), applicant_kind="provider",
                      applicant_org_id=world.provider.pk, payee_bank="建设银行", payee_account="6217003320001234567")  # fmt: skip


def _publish_catalog(lm, codes, effective_from):
    catalog = services.catalog_draft_generate(actor=lm.drafter, region_code="440000")
    for code in codes:
        services.catalog_item_add(actor=lm.drafter, catalog_id=catalog.pk, occupation_code=code, reason="专家论证")
    services.catalog_approve(actor=lm.approver, catalog_id=catalog.pk)
    return services.catalog_publish(actor=lm.drafter, catalog_id=catalog.pk, effective_from=effective_from)


def test_publishing_a_version_moves_a_new_claim_by_the_float_and_names_it(world, person, enrollment, lm):
    publish("440100", FLOATED)  # 广州's version references the province's catalog
    before = claim_check(actor=world.staff, data=_claim(world, enrollment(person(name="甲")))).decision
    assert "shortage_float" not in {line.code for line in before.lines}

    catalog = _publish_catalog(lm, ["6-18-02-04", HOUSEKEEPER], TODAY - dt.timedelta(days=200))
    claim = claim_submit(actor=world.staff, data=_claim(world, enrollment(person(name="乙"))))
    assert claim.amount_fen == raise_by_bp(before.amount_fen, 3000)  # +30 %: subsidy.shortage_float_percent
    line = next(line for line in claim.lines if line["code"] == "shortage_float")
    assert catalog.label in line["message"] and "第1版" in line["message"]
    assert line["figures"]["catalog_version"] == catalog.label
    assert line["figures"]["before_fen"] == before.amount_fen


def test_the_version_in_force_on_the_class_start_date_applies(world, person, enrollment, lm):
    publish("440100", FLOATED)
    # The enrollment fixture's class started 25 days ago; a version effective after that does not apply to it.
    _publish_catalog(lm, [HOUSEKEEPER], TODAY - dt.timedelta(days=3))
    claim = claim_check(actor=world.staff, data=_claim(world, enrollment(person(name="丙")))).decision
    assert "shortage_float" not in {line.code for line in claim.lines}


def test_a_policy_whose_catalog_reference_is_missing_is_refused(world):
    for adjustment, code in (
        ({"kind": "shortage_float", "min_level_rank": 0}, "policy_invalid"),  # neither a catalog nor a list
        ({"kind": "shortage_float", "catalog": "449999"}, "catalog_missing"),  # no such region
        ({"kind": "shortage_float", "catalog": "44"}, "policy_invalid"),
    ):
        with pytest.raises(DomainError) as err:
            publish("440100", {**TRAINING_POLICY, "adjustments": [adjustment]})
        assert err.value.code == code, adjustment

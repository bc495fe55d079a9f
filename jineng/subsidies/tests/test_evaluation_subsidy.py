"""评价补贴 (鉴定补贴, 吉人社规〔2024〕3号; the national plan's "鉴定补贴"): a person who passed a skill evaluation claims it
on the certificate, under the version in force where they are insured; the amount by level, a second claim for the
same certificate refused, and the pages offer and explain it by its label."""

from __future__ import annotations

import pytest

from jineng.subsidies.catalog import TYPES, SubsidyType
from jineng.subsidies.errors import ClaimRefused, NoPolicy
from jineng.subsidies.services.claims import ClaimInput, claim_submit
from jineng.subsidies.tests.conftest import publish

pytestmark = pytest.mark.django_db

EVALUATION_POLICY = {
    "subsidy_type": "evaluation",
    "payee": "person",
    "channel": "social_security_card",
    "fund_source": "employment_fund",
    "eligibility": [
        {"kind": "certificate", "kinds": ["skill_level", "special_ability"]},
        {"kind": "deadline", "unit": "months", "default": 12, "setting": "claim.skill_upgrade_within_months"},
    ],
    "amount": {"rows": [{"level": "grade5", "amount_fen": 20000}, {"level": "grade4", "amount_fen": 30000},
                        {"level": "grade3", "amount_fen": 40000}]},
    "limits": [{"kind": "once_per_occupation_level", "scope": "type"}],
}  # fmt: skip


def _input(cert):
    return ClaimInput(subsidy_type="evaluation", event_ref=str(cert.pk), applicant_kind="person",
                      insurance_region="440106", payee_account="6217003320001234567")  # fmt: skip


def test_evaluation_is_a_certificate_subsidy_the_person_applies_for():
    spec = TYPES[SubsidyType.EVALUATION]
    assert (spec.event, spec.applicants) == ("certificate", ("person",))
    assert str(SubsidyType.EVALUATION.label) == "评价补贴"


def test_an_evaluation_claim_pays_by_level_once_per_certificate(world, person, certificate):
    version = publish("440000", EVALUATION_POLICY)
    holder = person(name="评价甲")
    cert = certificate(holder, level="grade4", occupation="4-10-01-06")
    claim = claim_submit(actor=world.tianhe, data=_input(cert))
    assert claim.subsidy_type == "evaluation" and claim.policy_version_id == version.pk
    assert claim.amount_fen == 30000 and claim.region_id == "440106"
    with pytest.raises(ClaimRefused) as err:
        claim_submit(actor=world.tianhe, data=_input(cert))
    assert err.value.code == "claim_refused"


def test_an_evaluation_claim_needs_a_version_in_force(world, person, certificate):
    cert = certificate(person(name="评价乙"), level="grade5", occupation="4-10-01-06")
    with pytest.raises(NoPolicy) as err:
        claim_submit(actor=world.tianhe, data=_input(cert))
    assert "评价补贴" in str(err.value)


def test_a_worker_is_offered_the_evaluation_subsidy_and_the_check_shows_it(
    world, person, certificate, client, make_user
):
    publish("440000", EVALUATION_POLICY)
    holder = person(name="评价丙")
    cert = certificate(holder, level="grade3", occupation="4-10-01-06")
    worker = make_user("worker")
    worker.person_id = holder.pk
    worker.save()
    client.force_login(worker)
    page = client.get("/subsidies/new/?type=evaluation").content.decode()
    assert 'value="evaluation"' in page and "评价补贴" in page and cert.number in page  # offered, on the certificate
    form = {"subsidy_type": "evaluation", "event_ref": str(cert.pk), "applicant_kind": "person",
            "insurance_region": "440106", "payee_account": "6217003320001234567", "op": "check"}  # fmt: skip
    body = client.post("/subsidies/new/", form).content.decode()
    assert "评价补贴" in body and "400.00元" in body

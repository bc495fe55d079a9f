"""预计补贴 — what a worker would get for completing an upcoming class under the 职业培训补贴 policy in force, computed by
the rules core (``rules.subsidy.evaluate``) on the facts the claim would have if the worker completed the class with
full attendance and passed (and, where the policy pays on a certificate, obtained the class's), and explained
line by line. An estimate, never a promise: the claim is evaluated again on
the real facts when it is filed."""

from __future__ import annotations

from typing import Any

from jineng.common.errors import DomainError
from jineng.registry.api import Person
from jineng.rules.subsidy import ClaimFacts, PersonHistory, evaluate
from jineng.rules.subsidy.facts import CertificateFact, TrainingFact
from jineng.rules.subsidy.policy import CertificateObtained
from jineng.subsidies import facts as fx
from jineng.subsidies.catalog import SubsidyType
from jineng.subsidies.services.claims import _setting_keys, prior_claims
from jineng.subsidies.services.policies import policy_for, rules_of
from jineng.subsidies.services.support import labels_for, setting_int
from jineng.training import api as training_api


def training_estimate(person_id: Any, training_class: Any) -> training_api.SubsidyEstimate | None:
    person = Person.objects.filter(pk=person_id).first()
    if person is None:
        return None
    klass = training_class
    on = klass.end_date
    try:
        version = policy_for(SubsidyType.TRAINING, klass.region_id, on)
    except DomainError:
        return None
    policy = rules_of(version)
    hours = training_api.class_planned_hours(klass)
    occupation = klass.occupation.code if klass.occupation_id else ""
    level = klass.level if klass.level_id else None
    key = f"estimate:{klass.pk}"
    training = TrainingFact(enrollment_id=key, class_code=klass.code, completed=True, passed=True,
                            attendance_bp=10000, hours=hours, completed_on=on)  # fmt: skip
    # A policy that pays on a certificate (取得证书后申领) is estimated as if the worker, having passed, obtained the
    # certificate of the class's occupation and level — the page says the estimate assumes it.
    wanted = next((r for r in policy.eligibility if isinstance(r, CertificateObtained)), None)
    certificate = None
    if wanted is not None:
        certificate = CertificateFact(
            id=key, number="", kind=wanted.kinds[0] if wanted.kinds else "skill_level", occupation=occupation,
            level=level.code if level else "", level_rank=level.rank if level else 0, issued_on=on,
        )  # fmt: skip
    event = fx.EventFacts(
        kind="enrollment", ref=key, person_id=person.pk, event_date=on, label=f"{klass.code} {klass.name}",
        region_code=klass.region_id, organization_id=klass.organization_id, occupation=occupation,
        level=level.code if level else "", level_rank=level.rank if level else 0, keys=(key,), training=training,
        certificate=certificate, hours=hours, start_date=klass.start_date,
    )  # fmt: skip
    facts = ClaimFacts(
        subsidy_type=SubsidyType.TRAINING, event_date=on, applied_on=on, today=on, event_keys=(key,),
        occupation=occupation, level=event.level, level_rank=event.level_rank,
        person=fx.person_facts(person, klass.start_date), training=training, certificate=certificate, hours=hours,
        concentrated_hours=hours, shortage=fx.shortage_for(policy, event),
        settings={k: setting_int(k, klass.region_id, on) for k in sorted(_setting_keys(policy))},
        labels=labels_for(occupation=occupation),
    )  # fmt: skip
    decision = evaluate(policy, facts, PersonHistory(claims=prior_claims(person.pk)))
    return training_api.SubsidyEstimate(
        outcome=decision.outcome, amount_fen=decision.amount_fen, policy=version.title,
        lines=[line.as_dict() for line in decision.lines],
    )  # fmt: skip

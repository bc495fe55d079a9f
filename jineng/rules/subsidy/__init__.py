"""Subsidy rules — pure Python: policies as typed data, the decision with explained lines, money, ledger postings.

No Django, no database (``.importlinter`` forbids it). See docs/subsidies.md.
"""

from jineng.rules.subsidy.engine import (
    APPROVE,
    DECISION_LABELS,
    FAIL,
    INFO,
    NEEDS,
    NEEDS_EVIDENCE,
    OUTCOME_LABELS,
    PASS,
    REJECT,
    CheckLine,
    Decision,
    add_months,
    age_on,
    evaluate,
)
from jineng.rules.subsidy.facts import (
    CertificateFact,
    ClaimFacts,
    PersonFacts,
    PersonHistory,
    PriorClaim,
    ShortageList,
    TrainingFact,
)
from jineng.rules.subsidy.money import ROUNDING_RULE, apply_bp, format_fen, percent_bp, raise_by_bp, yuan
from jineng.rules.subsidy.policy import (
    PolicyError,
    PolicyRules,
    policy_from_data,
    policy_to_data,
    rule_kinds,
)

__all__ = [
    "APPROVE",
    "DECISION_LABELS",
    "FAIL",
    "INFO",
    "NEEDS",
    "NEEDS_EVIDENCE",
    "OUTCOME_LABELS",
    "PASS",
    "REJECT",
    "ROUNDING_RULE",
    "CertificateFact",
    "CheckLine",
    "ClaimFacts",
    "Decision",
    "PersonFacts",
    "PersonHistory",
    "PolicyError",
    "PolicyRules",
    "PriorClaim",
    "ShortageList",
    "TrainingFact",
    "add_months",
    "age_on",
    "apply_bp",
    "evaluate",
    "format_fen",
    "percent_bp",
    "policy_from_data",
    "policy_to_data",
    "raise_by_bp",
    "rule_kinds",
    "yuan",
]

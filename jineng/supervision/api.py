"""What other apps (the site shell) may use of supervision: the open cases a user sees (home card, to-do list), a
case's summary in the reader's language (made from its stored facts), and the provider
risk ranking (what risk-weighted random inspections draw with)."""

from __future__ import annotations

from jineng.supervision.selectors import ProviderRisk, cases_visible, provider_risk, provider_risks
from jineng.supervision.web.labels import case_summary

__all__ = ["ProviderRisk", "case_summary", "cases_visible", "provider_risk", "provider_risks"]

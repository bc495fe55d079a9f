"""What other apps (the site shell) may use of supervision: the open cases a user sees (home card, to-do list) and
the provider risk ranking (what risk-weighted random inspections draw with)."""

from __future__ import annotations

from jineng.supervision.selectors import ProviderRisk, cases_visible, provider_risk, provider_risks

__all__ = ["ProviderRisk", "cases_visible", "provider_risk", "provider_risks"]

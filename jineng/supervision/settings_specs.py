"""Per-region settings of supervision (the anomaly rules' thresholds), registered beside the kernel's.

Each threshold is declared once in ``jineng.rules.supervision`` with its default and its sensible range; a value
outside the range is refused when it is set (``SettingSpec.minimum`` / ``maximum``)."""

from __future__ import annotations

from jineng.refdata.settings_registry import SPECS, SettingSpec
from jineng.rules.supervision import CARD_PERIOD, CARD_RULE, thresholds


def register() -> None:
    for t in [*thresholds().values(), CARD_RULE, CARD_PERIOD]:
        SPECS.setdefault(t.key, SettingSpec(t.key, t.label, int, t.default, t.unit, maximum=t.maximum,
                                            minimum=t.minimum))  # fmt: skip

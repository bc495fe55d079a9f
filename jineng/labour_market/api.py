"""What other apps may use of the labour market.

- ``shortage_catalog_in_force(region_code, on)`` — the region's published 急需紧缺职业目录 in force on ``on`` as a
  ``jineng.rules.subsidy.ShortageList`` (version label, occupation codes, effective date), or None. Subsidies is a
  lower layer and never imports this: the composition root registers it with
  ``subsidies.api.register_shortage_catalog`` (ADR 0022).
"""

from __future__ import annotations

import datetime as dt

from jineng.labour_market.selectors import catalog_in_force_model, catalog_items
from jineng.rules.subsidy import ShortageList


def shortage_catalog_in_force(region_code: str, on: dt.date) -> ShortageList | None:
    catalog = catalog_in_force_model(region_code, on)
    if catalog is None:
        return None
    codes = tuple(sorted(catalog_items(catalog).values_list("occupation__code", flat=True)))
    return ShortageList(version=catalog.label, occupations=codes, effective_from=catalog.effective_from)


__all__ = ["shortage_catalog_in_force"]

"""The loaders behind ``jineng refdata load``: each part takes an optional replacement file and is idempotent.

Parts run in this order (later parts look codes up in earlier ones). Every part reads and checks its whole file
before writing, and writes inside a transaction: a malformed file is rejected with its lines and reasons and
changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from jineng.refdata.industries import load_industries
from jineng.refdata.levels import load_certificate_kinds, load_skill_levels
from jineng.refdata.occupations import load_occupation_definitions, load_occupation_subtypes, load_occupations
from jineng.refdata.plans import load_plan_targets, load_plans
from jineng.refdata.regions import REGIONS_CSV, load_region_history, read_regions_csv, regions_load


def load_regions(path: Path | None) -> dict[str, Any]:
    return regions_load(read_regions_csv(path or REGIONS_CSV))


LOADERS: dict[str, Callable[[Path | None], dict[str, Any]]] = {
    "regions": load_regions,
    "region_history": load_region_history,
    "levels": load_skill_levels,
    "certificate_kinds": load_certificate_kinds,
    "occupations": load_occupations,
    "occupation_definitions": load_occupation_definitions,
    "occupation_subtypes": load_occupation_subtypes,
    "industries": load_industries,
    "plans": load_plans,
    "plan_targets": load_plan_targets,
}


def load_all(parts: list[str] | None = None) -> dict[str, dict[str, Any]]:
    """Run the named parts (all by default) in their order, in one transaction."""
    from django.db import transaction

    chosen = [p for p in LOADERS if parts is None or p in parts]
    with transaction.atomic():
        return {part: LOADERS[part](None) for part in chosen}

"""The loaders behind ``jineng refdata load``: each part takes an optional replacement file and is idempotent."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from jineng.refdata.regions import REGIONS_CSV, read_regions_csv, regions_load


def load_regions(path: Path | None) -> dict[str, Any]:
    return regions_load(read_regions_csv(path or REGIONS_CSV))


LOADERS: dict[str, Callable[[Path | None], dict[str, Any]]] = {
    "regions": load_regions,
}

"""The demo's open-data versions (docs/portal.md): every dataset is published once early in the seed, dated a month
back (the catalogs as they were first listed), and again at its end where the rows grew, so the data page shows a
current version and an older one to download. Idempotent: unchanged rows publish nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any


def seed_demo(stdout: Any = None, *, days_back: int = 0) -> None:
    from django.utils import timezone

    from jineng.portal.models import DatasetVersion
    from jineng.portal.publishing import datasets_publish

    on = timezone.localdate() - dt.timedelta(days=days_back)
    new = [v for v, created in datasets_publish(actor=None, on=on) if created]
    if days_back:
        DatasetVersion.objects.filter(pk__in=[v.pk for v in new]).update(published_on=on)
    if stdout is not None and new:
        stdout.write("Open data: published " + ", ".join(f"{v.dataset} v{v.number}" for v in new) + ".\n")

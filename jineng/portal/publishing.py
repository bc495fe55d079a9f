"""Publishing and caching (ADR 0029, docs/portal.md): dataset versions, and the public pages' cache.

- ``dataset_publish`` snapshots a dataset's rows as a new ``DatasetVersion`` when they changed since the last one;
  ``datasets_publish`` does it for every dataset (``jineng portal_publish``, daily; the data page's button for the
  province's officials).
- The cache: public pages and API answers are kept in Django's cache under a key carrying the publication
  *generation*. Anything public that changes (a provider or program listing, a base, a subsidy standard, a dataset
  version) raises the generation after its transaction commits, so the next request renders afresh. Each worker
  reads the generation from the database at most once a second (``GENERATION_TTL``), so a change reaches every
  worker within a second; a cached answer also expires by itself after ``PAGE_TTL`` (the statistics, which change
  with every certificate, are only refreshed that way).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import get_language

from jineng.common.audit.services import audit_event
from jineng.portal.events import Event
from jineng.portal.models import DatasetVersion, PublicationCounter

PAGE_TTL = 600
"""Seconds a cached public page or API answer lives at most (whatever the generation)."""
GENERATION_TTL = 1.0
"""Seconds a worker trusts the generation it read (how late a publication may reach another worker)."""

PUBLISH_PERMISSION = "catalog.approve"
"""Who publishes a new version of the province's datasets: the province's officials (who approve the catalogs)."""

_memo: dict[str, float] = {"at": -1e9, "value": 0}

# What is public and changes by publication: a save or delete of any of these raises the generation.
PUBLIC_MODELS = (
    "accounts.Organization",
    "providers.OrganizationProfile",
    "providers.ProviderListing",
    "providers.CatalogListing",
    "providers.Program",
    "providers.TrainingBase",
    "subsidies.PolicyVersion",
    "portal.DatasetVersion",
)


def enabled() -> bool:
    """Whether answers are cached (``JINENG_PORTAL_CACHE``, on unless a setting turns it off: the tests)."""
    return bool(getattr(settings, "JINENG_PORTAL_CACHE", True))


def generation() -> int:
    now = time.monotonic()
    if now - _memo["at"] >= GENERATION_TTL:
        value = PublicationCounter.objects.filter(pk=1).values_list("generation", flat=True).first()
        _memo["value"], _memo["at"] = value or 0, now
    return int(_memo["value"])


def _bump() -> None:
    if not PublicationCounter.objects.filter(pk=1).update(generation=F("generation") + 1):
        try:
            with transaction.atomic():
                PublicationCounter.objects.create(pk=1, generation=1)
        except IntegrityError:  # another worker created it meanwhile
            PublicationCounter.objects.filter(pk=1).update(generation=F("generation") + 1)
    _memo["at"] = -1e9  # this worker sees its own change at once


def invalidate() -> None:
    """Public data changed: the cached pages are stale once the current transaction commits."""
    transaction.on_commit(_bump)


def _on_change(sender: Any, **kwargs: Any) -> None:
    invalidate()


def connect_signals() -> None:
    from django.db.models.signals import post_delete, post_save

    for label in PUBLIC_MODELS:
        post_save.connect(_on_change, sender=label, dispatch_uid=f"portal-cache-{label}-save")
        post_delete.connect(_on_change, sender=label, dispatch_uid=f"portal-cache-{label}-delete")


def cache_key(kind: str, path: str, params: Any) -> str:
    items = sorted((k, v) for k in params for v in params.getlist(k)) if hasattr(params, "getlist") else sorted(params)
    digest = hashlib.sha256(json.dumps([path, items], ensure_ascii=False).encode()).hexdigest()[:32]
    return f"portal:{kind}:{generation()}:{get_language() or ''}:{digest}"


def cached_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve a public page from the cache for anonymous visitors; only a 200 is kept (a page with notices about
    the visitor's input is rendered each time, as is anything for a signed-in user, whose header differs)."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = getattr(request, "user", None)
        if not enabled() or request.method != "GET" or (user is not None and user.is_authenticated):
            return view(request, *args, **kwargs)
        key = cache_key("page", request.get_host() + request.path, request.GET)
        hit = cache.get(key)
        if hit is not None:
            return hit  # type: ignore[no-any-return]
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not getattr(response, "has_notices", False) and not response.cookies:
            cache.set(key, response, PAGE_TTL)
        return response

    return wrapper


def cached_value(kind: str, path: str, params: Any, compute: Callable[[], Any]) -> Any:
    """An API answer (a dict) from the cache, or computed and kept."""
    if not enabled():
        return compute()
    key = cache_key(kind, path, params)
    hit = cache.get(key)
    if hit is None:
        hit = compute()
        cache.set(key, hit, PAGE_TTL)
    return hit


# ---- dataset versions --------------------------------------------------------------------------------------------


def _digest(rows: list[dict[str, Any]]) -> str:
    text = json.dumps(rows, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def dataset_publish(*, identifier: str, actor: Any, on: dt.date | None = None) -> tuple[DatasetVersion, bool]:
    """发布数据集新版本 — by a province official (``PUBLISH_PERMISSION``) or the daily job (``actor=None``)."""
    if actor is not None:
        from jineng.accounts.api import require

        require(actor, PUBLISH_PERMISSION)
    return _publish(identifier=identifier, actor=actor, on=on)


def _publish(*, identifier: str, actor: Any = None, on: dt.date | None = None) -> tuple[DatasetVersion, bool]:
    """Publish the dataset's current rows as its next version, unless they equal the latest version's. Returns the
    version now current and whether it is new."""
    from jineng.portal.datasets import dataset_get

    dataset = dataset_get(identifier)
    if dataset is None:
        raise ValueError(identifier)
    on = on or timezone.localdate()
    rows = [dict(r) for r in dataset.rows(on)]
    digest = _digest(rows)
    with transaction.atomic():
        PublicationCounter.objects.get_or_create(pk=1)
        PublicationCounter.objects.select_for_update().filter(pk=1).first()  # one publisher at a time
        latest = DatasetVersion.objects.filter(dataset=identifier).order_by("-number").first()
        if latest is not None and latest.sha256 == digest:
            return latest, False
        version = DatasetVersion.objects.create(
            dataset=identifier, number=(latest.number + 1) if latest else 1, published_on=on,
            published_by=actor if getattr(actor, "pk", None) else None, row_count=len(rows), sha256=digest, rows=rows,
        )  # fmt: skip
        audit_event(Event.DATASET_PUBLISHED, actor=actor, object_id=version.pk,
                    after={"dataset": identifier, "number": version.number, "rows": len(rows), "sha256": digest})  # fmt: skip
        return version, True


def datasets_publish(*, actor: Any, on: dt.date | None = None) -> list[tuple[DatasetVersion, bool]]:
    """Publish every dataset whose rows changed (one transaction each: a failure keeps the others' versions)."""
    from jineng.portal.datasets import DATASETS

    return [dataset_publish(identifier=d.identifier, actor=actor, on=on) for d in DATASETS]


def latest_versions() -> list[DatasetVersion]:
    """The newest version of each dataset."""
    from django.db.models import Max

    newest = DatasetVersion.objects.values("dataset").annotate(n=Max("number"))
    wanted = {(r["dataset"], r["n"]) for r in newest}
    qs = DatasetVersion.objects.defer("rows").filter(dataset__in={d for d, _n in wanted})
    return [v for v in qs if (v.dataset, v.number) in wanted]


def dataset_versions(identifier: str) -> Any:
    return DatasetVersion.objects.filter(dataset=identifier).defer("rows").order_by("-number")


def dataset_version(identifier: str, number: int) -> DatasetVersion | None:
    return DatasetVersion.objects.filter(dataset=identifier, number=number).first()

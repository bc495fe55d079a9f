"""信息公开 — what the portal keeps of its own: the published versions of its open datasets and the counter that
tells every worker its cached pages are out of date.

- **数据集版本** ``DatasetVersion`` — a dataset's rows as published on a day (numbered 1, 2, … per dataset), with
  the SHA-256 of its canonical JSON; a version is written only when the rows changed since the previous one, and is
  kept (old versions stay downloadable at their own URL);
- **发布计数** ``PublicationCounter`` — one row whose ``generation`` goes up whenever something public changes (a
  listing, a base, a standard, a dataset version): the cache keys of the public pages and API carry it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jineng.common.models import BaseModel


class DatasetVersion(BaseModel):
    dataset = models.CharField(_("数据集"), max_length=60)
    number = models.PositiveIntegerField(_("版本号"))
    published_on = models.DateField(_("发布日期"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    row_count = models.PositiveIntegerField(_("记录数"))
    sha256 = models.CharField(max_length=64)
    rows = models.JSONField(_("数据"), default=list)

    class Meta:
        ordering = ["dataset", "-number"]
        constraints = [models.UniqueConstraint(fields=["dataset", "number"], name="portal_dataset_version_unique")]

    def __str__(self) -> str:
        return f"{self.dataset} v{self.number}"


class PublicationCounter(models.Model):
    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    generation = models.PositiveBigIntegerField(default=0)

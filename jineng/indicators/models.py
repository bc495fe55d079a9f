"""Indicator roll-ups (指标汇总), year-end freezes (年度结账) and restatements (更正说明).

- ``RollupCell`` — for an additive definition, the figure of one (definition, region, year) attributed to the region
  itself (本级): a flow's events dated in the year, a stock's items in force at the year's end. A region's actual is
  the sum of the cells of its subtree (closure table).
- ``DistinctCell`` — for a distinct-person definition (not additive), the figure over the region's whole subtree
  (``tree``) and over the region itself (``own``), for one year and window start; a cache, recomputed when a source
  record in the subtree changes.
- ``DirtyCell`` — (source, region, year) cells to recompute, queued by the sources' hook and the watermark scan.
- ``RefreshState`` — the watermarks of the freshness job and its chain's heartbeat.
- ``YearClose`` / ``FrozenFigure`` / ``Restatement`` — a closed year's published figures and later corrections.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jineng.common.ids import uuid7


class RollupCell(models.Model):
    """指标汇总单元 — the own (本级) figure of an additive definition for one region and year."""

    definition = models.CharField(max_length=60)
    region = models.ForeignKey("refdata.Region", on_delete=models.PROTECT, related_name="+", db_constraint=False)
    year = models.PositiveSmallIntegerField()
    value = models.BigIntegerField(default=0)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "指标汇总单元"
        constraints = [
            models.UniqueConstraint(fields=["definition", "region", "year"], name="rollup_cell_unique"),
        ]
        indexes = [models.Index(fields=["definition", "year"], name="rollup_def_year_idx")]


class DistinctCell(models.Model):
    """去重人数缓存 — a distinct-person figure over a region's subtree (and over the region itself)."""

    definition = models.CharField(max_length=60)
    region = models.ForeignKey("refdata.Region", on_delete=models.PROTECT, related_name="+", db_constraint=False)
    year = models.PositiveSmallIntegerField()
    from_year = models.PositiveSmallIntegerField(default=0)  # the window's first year (0: no lower bound)
    tree = models.BigIntegerField(default=0)
    own = models.BigIntegerField(default=0)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "去重人数缓存"
        constraints = [
            models.UniqueConstraint(fields=["definition", "region", "year", "from_year"], name="distinct_cell_unique"),
        ]


class DirtyCell(models.Model):
    """待重算单元 — a (source, region, year) whose cells must be recomputed (the year and every later one)."""

    id = models.BigAutoField(primary_key=True)
    source = models.CharField(max_length=40)
    region = models.ForeignKey("refdata.Region", on_delete=models.PROTECT, related_name="+", db_constraint=False)
    year = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "待重算单元"
        indexes = [models.Index(fields=["created_at"], name="dirty_cell_created_idx")]


class RefreshState(models.Model):
    """The freshness job's state: one row per key (``refresh``), watermarks per source, the chain's heartbeat."""

    key = models.CharField(primary_key=True, max_length=40)
    watermarks = models.JSONField(default=dict, blank=True)  # source → ISO datetime scanned up to
    chain_id = models.CharField(max_length=40, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_full_at = models.DateTimeField(null=True, blank=True)
    last_result = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = "指标刷新状态"


class YearClose(models.Model):
    """年度结账 — a plan's year closed: its figures are frozen as published."""

    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    plan = models.ForeignKey("refdata.Plan", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    closed_at = models.DateTimeField()
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = "年度结账"
        constraints = [models.UniqueConstraint(fields=["plan", "year"], name="year_close_unique")]


class FrozenFigure(models.Model):
    """冻结数 — one indicator's published figure for one region in a closed year."""

    id = models.BigAutoField(primary_key=True)
    year_close = models.ForeignKey(YearClose, on_delete=models.PROTECT, related_name="figures")
    indicator = models.CharField(max_length=60)
    definition = models.CharField(max_length=60)
    region = models.ForeignKey("refdata.Region", on_delete=models.PROTECT, related_name="+", db_constraint=False)
    actual = models.BigIntegerField(null=True, blank=True)
    own_actual = models.BigIntegerField(null=True, blank=True)
    no_data_reason = models.CharField(max_length=200, blank=True)
    # The latest restated figures (equal to the frozen ones until a correction is logged).
    current_actual = models.BigIntegerField(null=True, blank=True)
    current_own = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = "冻结数"
        constraints = [
            models.UniqueConstraint(fields=["year_close", "indicator", "region"], name="frozen_figure_unique"),
        ]
        indexes = [models.Index(fields=["definition", "region"], name="frozen_def_region_idx")]


class Restatement(models.Model):
    """更正说明 — a correction found after a year was closed: the frozen (or last restated) figure, the new one,
    why and when. The published figure stays; the restatement is shown beside it."""

    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    figure = models.ForeignKey(FrozenFigure, on_delete=models.PROTECT, related_name="restatements")
    old_actual = models.BigIntegerField(null=True, blank=True)
    new_actual = models.BigIntegerField(null=True, blank=True)
    old_own = models.BigIntegerField(null=True, blank=True)
    new_own = models.BigIntegerField(null=True, blank=True)
    reason = models.CharField(max_length=300)
    at = models.DateTimeField()

    class Meta:
        verbose_name = "更正说明"
        ordering = ["at"]

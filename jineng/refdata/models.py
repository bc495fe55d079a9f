"""Reference data: the administrative-division tree (GB/T 2260) with its closure table, per-region settings, and
the working-day calendar. Occupations, levels, industries, plans and targets live beside them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

COUNTRY_CODE = "000000"


class RegionLevel(models.TextChoices):
    COUNTRY = "country", _("全国")
    PROVINCE = "province", _("省级")
    CITY = "city", _("地市级")
    COUNTY = "county", _("县级")


class Region(models.Model):
    """行政区划 — one GB/T 2260 code. ``000000`` is the country, the root of the tree.

    Codes that were retired stay (``valid_to`` set, ``successors`` naming what replaced them) so that old ID
    numbers still resolve; only current codes are part of the scope tree's live branches.
    """

    code = models.CharField(primary_key=True, max_length=6)
    name = models.CharField(max_length=80, db_index=True)
    level = models.CharField(max_length=10, choices=RegionLevel.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    valid_from = models.PositiveSmallIntegerField(null=True, blank=True)
    valid_to = models.PositiveSmallIntegerField(null=True, blank=True)
    successors = models.JSONField(default=list, blank=True)
    source = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "行政区划"

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    @property
    def is_current(self) -> bool:
        return self.valid_to is None


class RegionClosure(models.Model):
    """Ancestor → descendant pairs of the region tree (including each region with itself at depth 0).

    Scope is decided through this table, never by string prefixes of codes: Beijing's districts hang off 110000,
    429004 off 420000, and 441900 has no counties.
    """

    ancestor = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+", db_index=False)
    descendant = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    depth = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ancestor", "descendant"], name="region_closure_unique")]


class RegionSetting(models.Model):
    """A per-region, versioned setting value (time limits, caps, rates, thresholds).

    Resolution: the value valid on the date at the region itself, else at its nearest ancestor, else the code's
    default from ``jineng.refdata.settings_registry`` (the defaults of shared/DOMAIN.md).
    """

    key = models.CharField(max_length=80, db_index=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT)
    value = models.JSONField()
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    reason = models.CharField(max_length=300, blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["key", "region_id", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["key", "region", "valid_from"], name="region_setting_unique_start"),
        ]
        verbose_name = "地区参数"


class CalendarOverride(models.Model):
    """A day that a region works or rests against the national calendar (national 调休 comes from chinesecalendar)."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT)
    date = models.DateField()
    is_workday = models.BooleanField()
    note = models.CharField(max_length=100, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["region", "date"], name="calendar_override_unique")]
        verbose_name = "工作日历调整"

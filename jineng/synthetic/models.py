"""The generator's own tables: one row per run (seed, scale, parameters) and a watermark per committed chunk.

A chunk's rows and its watermark are written in one transaction, so a rerun after an interruption skips exactly the
chunks that were committed and regenerates the others (each chunk is a pure function of the seed and its number).
"""

from __future__ import annotations

from django.db import models


class SeedRun(models.Model):
    """合成数据批次 — one synthetic data set in this database (a seed at a scale)."""

    key = models.CharField(max_length=80, primary_key=True)  # "<scale>-<seed>[-anomalies]"
    seed = models.BigIntegerField()
    scale = models.CharField(max_length=20)
    params = models.JSONField(default=dict)
    # Bulk mode (PostgreSQL, large scales): the DDL of the indexes and constraints dropped for the load, recreated
    # when the run finishes (also after an interruption: the rerun recreates them).
    dropped = models.JSONField(default=list, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "合成数据批次"


class SeedChunk(models.Model):
    """A committed chunk of one stage of a run (the resume watermark)."""

    id = models.BigAutoField(primary_key=True)
    run = models.ForeignKey(SeedRun, on_delete=models.CASCADE, related_name="chunks")
    stage = models.CharField(max_length=30)
    chunk = models.IntegerField()
    rows = models.BigIntegerField(default=0)
    seconds = models.FloatField(default=0)
    done_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "合成数据进度"
        constraints = [models.UniqueConstraint(fields=["run", "stage", "chunk"], name="seed_chunk_unique")]

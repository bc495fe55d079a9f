"""Handlers of other apps' events — the one place this app reacts to what another app did (ADR 0007 hooks):
the registry's person merge (``persons_merged``) and crypto-shred (``persons_shredded``, in ``shred.py``).

Registered in ``apps.py``.
"""

from __future__ import annotations

from typing import Any

from jineng.certificates.models import Candidate, Certificate, SessionExaminer
from jineng.certificates.shred import persons_shredded

__all__ = ["persons_merged", "persons_shredded"]


def persons_merged(merged_id: Any, survivor_id: Any) -> int:
    """Registry merge handler: candidates and certificates of a merged record move to the surviving person."""
    moved = Candidate.objects.filter(person_id=merged_id).update(person_id=survivor_id)
    moved += Certificate.objects.filter(person_id=merged_id).update(person_id=survivor_id)
    moved += SessionExaminer.objects.filter(person_id=merged_id).update(person_id=survivor_id)
    return moved

"""Handlers of other apps' events — the one place this app reacts to what another app did (ADR 0007 hooks):
the registry's person merge (``persons_merged``), offered through ``api.py`` and registered by the
composition root (``config/api.py``: registry and providers are siblings).
"""

from __future__ import annotations

from typing import Any

from jineng.providers.models import PoolRole, PoolRoleStatus


def persons_merged(merged_id: Any, survivor_id: Any) -> int:
    """The registry merged two records of one person: re-point pool roles and studio masters to the survivor.

    A role the survivor already holds (same kind, same region) is retired rather than duplicated. Runs inside the
    registry's merge transaction (registered by the composition root), which audits the merge as a whole.
    """
    from jineng.providers.models import TrainingBase

    moved = 0
    held = set(
        PoolRole.objects.filter(person_id=survivor_id)
        .exclude(status=PoolRoleStatus.RETIRED)
        .values_list("role", "region_id")
    )
    for role in PoolRole.objects.select_for_update().filter(person_id=merged_id):
        if role.status != PoolRoleStatus.RETIRED and (role.role, role.region_id) in held:
            role.status = PoolRoleStatus.RETIRED
            role.status_reason = "人员记录合并，保留另一条同类角色"
        role.person_id = survivor_id
        role.save(update_fields=["person", "status", "status_reason", "updated_at"])
        moved += 1
    moved += TrainingBase.objects.filter(master_id=merged_id).update(master_id=survivor_id)
    return moved

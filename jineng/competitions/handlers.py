"""Handlers of other apps' events — the one place this app reacts to what another app did (ADR 0007 hooks): the
registry's lifelong archive (``archive_source``), person merge (``persons_merged``) and crypto-shred
(``persons_shredded``). Registered by ``register()`` from ``apps.py``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from jineng.certificates.api import certificate_number_display
from jineng.competitions.models import Award, AwardStatus, Contestant
from jineng.registry.api import (
    ArchiveEntry,
    data_name,
    phrase,
    register_archive_source,
    register_merge_handler,
    register_shred_handler,
)


def archive_source(person_ids: list[Any]) -> Iterable[ArchiveEntry]:
    """Competitions on the lifelong archive: each registration with its published result, each title and promotion."""
    contestants = Contestant.objects.filter(person_id__in=person_ids).select_related("event", "event__occupation")
    for c in contestants:
        e = c.event
        result = getattr(c, "result", None)
        shown = result is not None and e.results_stage in ("published", "final")
        yield ArchiveEntry(
            on=e.starts_on,
            kind="competition",
            title=phrase(
                _("参加{level}职业技能竞赛：第 {rank} 名") if shown and result else _("参加{level}职业技能竞赛"),
                level=e.get_level_display(),
                rank=result.rank if shown and result else "",
            ),  # fmt: skip
            detail=phrase(
                _("{event}（{occupation}）；{organization}"),
                event=data_name(e.name),
                occupation=data_name(e.occupation.name),
                organization=data_name(c.organization_name) if c.organization_name else _("个人报名"),
            ),  # fmt: skip
            region_code=e.region_id,
            source="competitions",
            ref=e.code,
        )
    for a in Award.objects.filter(person_id__in=person_ids).select_related("event", "promoted_level"):
        revoked = a.status == AwardStatus.REVOKED
        parts, params = [_("{event} 第 {rank} 名")], {"event": data_name(a.event.name), "rank": a.rank}
        if a.title:
            parts.append(_("称号：{title}"))
            params["title"] = data_name(a.title)
        if a.promoted_level is not None:
            parts.append(_("晋升{level}，证书编号 {number}"))
            params.update(level=a.promoted_level.display, number=certificate_number_display(a.certificate_number))
        yield ArchiveEntry(
            on=timezone.localdate(a.created_at),  # China time, as the certificate line
            kind="competition",
            title=_("竞赛奖励（已撤销）") if revoked else _("竞赛奖励"),
            detail=phrase(_("；").join(parts), **params),
            region_code=a.event.region_id,
            source="competitions",
            ref=str(a.pk),
        )


def persons_merged(merged_id: Any, survivor_id: Any) -> int:
    """Registrations and awards of a merged record move to the survivor (a registration for an event the survivor
    is registered for already stays with the merged record, whose history the archive still shows)."""
    taken = Contestant.objects.filter(person_id=survivor_id).values("event_id")
    moved = Contestant.objects.filter(person_id=merged_id).exclude(event_id__in=taken).update(person_id=survivor_id)
    moved += Award.objects.filter(person_id=merged_id).update(person_id=survivor_id)
    return moved


def persons_shredded(person_ids: list[Any]) -> int:
    return Contestant.objects.filter(person_id__in=person_ids).update(name="已删除")


def register() -> None:
    register_archive_source("competitions", archive_source)
    register_merge_handler("competitions", persons_merged)
    register_shred_handler("competitions", persons_shredded)

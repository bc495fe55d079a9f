"""Handlers of other apps' events (ADR 0007 hooks): the registry's lifelong archive shows the credit entries;
a person merge moves the merged record's entries, recognitions and conversions to the survivor; a certificate
revoked or a competition award granted or revoked brings the person's ledger up to date at once (after the commit;
the nightly ``jineng credits derive`` catches up if it fails)."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from jineng.accounts.api import Operator
from jineng.certificates.api import on_certificate_changed
from jineng.competitions.api import on_award_changed
from jineng.credits.models import Conversion, CreditEntry, Recognition
from jineng.registry.api import ArchiveEntry, data_name, phrase, register_archive_source, register_merge_handler


def archive_source(person_ids: list[Any]) -> Iterable[ArchiveEntry]:
    """Every ledger entry on the archive (学分明细), with its source and rule version."""
    for e in CreditEntry.objects.filter(person_id__in=person_ids).order_by("on", "created_at"):
        yield ArchiveEntry(
            on=e.on,
            kind="credit",
            title=phrase(
                _("技能学分{kind} {credits} （{category}）"),
                kind=e.get_kind_display(),
                credits=f"{e.credits:+}",
                category=e.get_category_display(),
            ),  # fmt: skip
            detail=phrase(
                _("{source}（规则第 {version} 版）") if e.rule_version else "{source}",
                source=data_name(e.source_label),
                version=e.rule_version,
            ),  # fmt: skip
            region_code=e.region_id,
            source="credits",
            ref=str(e.pk),
        )


def persons_merged(merged_id: Any, survivor_id: Any) -> int:
    moved = CreditEntry.objects.filter(person_id=merged_id).update(person_id=survivor_id)
    moved += Recognition.objects.filter(person_id=merged_id).update(person_id=survivor_id)
    moved += Conversion.objects.filter(person_id=merged_id).update(person_id=survivor_id)
    return moved


def records_changed(person_id: Any) -> None:
    """学分即时冲销/记入 — derive the person's ledger now; a failure is logged, never undoes the revocation."""
    from jineng.credits.services import credits_derive

    try:
        credits_derive(actor=Operator("credits-hook"), person_ids=[person_id])
    except Exception:  # the revocation stands; the nightly derivation writes what is missing
        logging.getLogger(__name__).exception("credits derivation after a record change failed for %s", person_id)


def register() -> None:
    register_archive_source("credits", archive_source)
    register_merge_handler("credits", persons_merged)
    on_certificate_changed(records_changed)
    on_award_changed(records_changed)

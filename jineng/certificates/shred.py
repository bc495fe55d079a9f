"""Clearing the holder's name printed on certificates when the registry shreds a person
(``registry.api.person_crypto_shred``); the certificates stay (counts, numbers, status)."""

from __future__ import annotations

from typing import Any

from jineng.certificates.models import Certificate


def persons_shredded(person_ids: list[Any]) -> int:
    return Certificate.objects.filter(person_id__in=person_ids).update(holder_name="已删除")

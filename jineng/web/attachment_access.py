"""Who may read an attachment: ``attachments.view`` over its region or organization (or its uploader) — and, for the
kinds that carry what a member of the public confided, the permission of the desk that handles them as well.

A complaint's evidence (投诉举报材料) is seen by the complaint handler only (``complaints.handle`` over the complaint's
region), never by every official who may read attachments: finance and inspectors read claim evidence, not who
complained about whom.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from jineng.accounts.api import get_visible, visible
from jineng.common.attachments.services import KINDS, active_attachments
from jineng.common.models import Attachment

# kind → the permission its reader needs besides attachments.view (declared with the kind, in common.attachments)
RESTRICTED_KINDS: dict[str, str] = {code: k.reader_permission for code, k in KINDS.items() if k.reader_permission}


def attachments_readable(user: Any, queryset: QuerySet[Attachment] | None = None) -> QuerySet[Attachment]:
    """The attachments in ``queryset`` (default: every attachment) the user may read."""
    qs = visible(queryset if queryset is not None else Attachment.objects.all(), user, "attachments.view")
    plain = qs.exclude(kind__in=list(RESTRICTED_KINDS))
    for kind, permission in RESTRICTED_KINDS.items():
        plain = plain | visible(qs.filter(kind=kind), user, permission)
    return plain


def attachment_readable(user: Any, att_id: Any) -> Attachment:
    """One active attachment the user may read; NotFound (404) otherwise — the same answer as for a missing one."""
    return get_visible(attachments_readable(user, active_attachments()), user, att_id, "attachments.view")

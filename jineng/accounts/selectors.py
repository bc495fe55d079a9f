"""Reads of accounts that pages use: who a stored actor name is, in words."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext

from jineng.accounts.models import User

# Actor names written by the platform itself (scheduled jobs, the demo seed, the import worker), not by a person.
MACHINE_ACTORS = {"", "system", "seed", "worker", "scheduler", "anonymous"}


def actor_labels(names: Iterable[str]) -> dict[str, str]:
    """Each stored actor name (a login name, or a machine's) as a reader knows it: the person's display name, or
    "系统" for the platform itself. A name that is no account's (already a display name) is kept as it is."""
    wanted = {n for n in names if n is not None}
    users = dict(User.objects.filter(username__in=wanted - MACHINE_ACTORS).values_list("username", "display_name"))
    labels = {}
    for name in wanted:
        if name in MACHINE_ACTORS:
            labels[name] = gettext("系统")
        else:
            labels[name] = users.get(name) or name
    return labels

"""The actor every service takes: a user, the console operator, or a system process's name — who is stored as having
done something, and what the operator may do."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from jineng.accounts.api import Operator, actor_user, require
from jineng.common.audit.services import audit_record
from jineng.common.errors import PermissionDenied

pytestmark = pytest.mark.django_db


def test_only_a_saved_user_is_stored_as_who_did_it(make_user):
    user = make_user("county_official", region="440106")
    assert actor_user(user) == user
    for system in (Operator(), Operator("seed"), "seed", None, AnonymousUser()):
        assert actor_user(system) is None


def test_the_console_operator_holds_every_permission_and_is_recorded_by_name():
    operator = Operator("seed")
    require(operator, "records.review", region_code="440106")
    entry = audit_record(actor=operator, action="probe", object_type="probe")
    assert entry.actor_id is None and entry.actor_name == "seed"


def test_an_anonymous_actor_is_refused():
    with pytest.raises(PermissionDenied):
        require(AnonymousUser(), "records.view", region_code="440106")

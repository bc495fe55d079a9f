"""`jineng seed` links demo-worker to a demo person, who sees their own archive and nobody else's."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from jineng.accounts.models import User
from jineng.registry.models import Person
from jineng.registry.tests.factories import make_person

pytestmark = pytest.mark.django_db


def test_seed_links_the_demo_worker(client):
    call_command("seed", stdout=StringIO())
    call_command("seed", stdout=StringIO())  # idempotent
    worker = User.objects.get(username="demo-worker")
    person = Person.objects.get(pk=worker.person_id)
    assert person.name == "李明" and Person.objects.filter(name="李明").count() == 1
    stranger = make_person(name="陌生人")
    client.force_login(worker)
    me = client.get("/persons/me/")
    assert me.status_code == 302 and str(person.pk) in me["Location"]
    assert client.get(me["Location"]).status_code == 200
    assert client.get(f"/persons/{stranger.pk}/").status_code == 404
    assert client.get(f"/api/v1/persons/{person.pk}/archive").status_code == 200

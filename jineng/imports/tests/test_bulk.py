"""``insert_rows``: what it stores equals what the ORM stores, whether values go to COPY as text, through
psycopg's formatting (a value of another type in the batch), or through ``executemany`` (SQLite)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from jineng.common.ids import uuid7
from jineng.imports.bulk import _copy_text, insert_rows
from jineng.registry.models import Group, GroupMembership
from jineng.registry.tests.factories import make_person

pytestmark = pytest.mark.django_db(transaction=False)

FIELDS = ["id", "created_at", "updated_at", "person", "group", "valid_from", "valid_to", "graduation_year",
          "source", "evidence", "evidence_attachment_id", "created_by"]  # fmt: skip
AWKWARD = ["tab\there", "back\\slash \\N", "line\nbreak\r\n", "", "引号\"'，逗号,", "\\."]


@pytest.mark.parametrize("group", [str(Group.VETERAN), Group.VETERAN])  # plain str: text; an enum member: psycopg
def test_insert_rows_stores_awkward_values_exactly(group):
    person = make_person(name="张三")
    now = timezone.now()
    rows = [
        (uuid7(), now, now, person.pk, group, dt.date(2024, 2, 1 + k), None, 2020 + k, "导入", text, None, None)
        for k, text in enumerate(AWKWARD)
    ]
    assert insert_rows(GroupMembership, FIELDS, rows) == len(AWKWARD)
    stored = {m.pk: m for m in GroupMembership.objects.filter(pk__in=[r[0] for r in rows])}
    for row in rows:
        m = stored[row[0]]
        assert m.evidence == row[9] and m.graduation_year == row[7] and m.group == "veteran"
        assert m.created_at == now and m.valid_from == row[5] and m.valid_to is None
        assert m.person_id == person.pk and m.created_by_id is None


def test_copy_text_leaves_unknown_types_to_psycopg():
    assert _copy_text([["a\tb", None, True, 3]]) == "a\\tb\t\\N\tt\t3\n"
    assert _copy_text([[1.5]]) is None
    assert _copy_text([[Group.VETERAN]]) is None

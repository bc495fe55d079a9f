"""The target groups the plans name (社区矫正对象, 退捕渔民, 困难职工家庭, 劳动预备制, 毕业年度在校生, 高素质农民): each has
its Chinese label and an English one, is read from a person import by its label or a common synonym, and is read the
same by the roster import and the policy table."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from jineng.imports.api import Context, importer_for
from jineng.imports.framework import Issue, run_import
from jineng.registry.io.importers import GROUP_NAMES
from jineng.registry.models import Group, GroupMembership, Person
from jineng.registry.tests.factories import id18
from jineng.registry.tests.test_importer_prepared import row, write_file
from jineng.rules.training import GROUP_LABELS
from jineng.training.io.importers import GROUP_NAMES as ROSTER_GROUP_NAMES

PLAN_GROUPS = {
    "community_corrections": ("社区矫正对象", "社区矫正人员"),
    "retired_fisher": ("退捕渔民", "禁捕退捕渔民"),
    "struggling_worker_family": ("困难职工家庭", "困难职工"),
    "labor_preparatory": ("未继续升学的初高中毕业生（劳动预备制）", "劳动预备制"),
    "graduating_student": ("毕业年度在校生", "毕业年度学生"),
    "high_quality_farmer": ("高素质农民", "新型职业农民"),
}


@pytest.mark.parametrize(("code", "names"), PLAN_GROUPS.items())
def test_each_plan_group_has_its_labels_and_names(code, names):
    label, synonym = names
    assert str(Group(code).label) == label
    with translation.override("en"):
        assert str(Group(code).label) != label  # an English label exists
    assert GROUP_LABELS[code] == label  # the policy table names it
    for table in (GROUP_NAMES, ROSTER_GROUP_NAMES):
        assert table[label] == code and table[synonym] == code


@pytest.mark.django_db
def test_a_person_import_records_each_plan_group_by_label_or_synonym(tmp_path, make_user):
    user = make_user("county_official", region="440106", username="tianhe")
    rows = []
    for seq, (label, synonym) in enumerate(PLAN_GROUPS.values()):
        rows.append(row(f"甲{'一二三四五六'[seq]}", id18(seq=101 + 2 * seq), groups=f"{label}、{synonym}"))
    issues: list[Issue] = []
    ctx = Context(actor=user, mode="strict", region_code="440106", today=dt.date(2026, 11, 20))
    run_import(importer=importer_for("persons"), path=write_file(tmp_path / "p.xlsx", rows), ctx=ctx,
               on_issue=issues.append)  # fmt: skip
    assert [i for i in issues if i.severity == "error"] == []
    held = {
        p.name: set(GroupMembership.objects.filter(person=p).values_list("group", flat=True))
        for p in Person.objects.all()
    }
    assert sorted(held.values(), key=sorted) == sorted(({c} for c in PLAN_GROUPS), key=sorted)


@pytest.mark.django_db
def test_the_person_list_filters_by_a_plan_group_and_the_archive_names_it(client, make_user):
    from django.urls import reverse

    from jineng.registry.api import MembershipInput
    from jineng.registry.tests.factories import make_person

    fisher = make_person(name="渔民甲", id_number=id18(seq=201),
                         groups=[MembershipInput(group="retired_fisher", valid_from=dt.date(2021, 1, 1))])  # fmt: skip
    make_person(name="农民乙", id_number=id18(seq=203),
                groups=[MembershipInput(group="high_quality_farmer", valid_from=dt.date(2021, 1, 1))])  # fmt: skip
    client.force_login(make_user("county_official", region="440106"))
    listed = client.get(reverse("registry:person_list"), {"group": "retired_fisher"})
    assert [row["person"].name for row in listed.context["rows"]] == ["渔民甲"]
    assert '<option value="high_quality_farmer"' in listed.content.decode()  # offered in the filter
    detail = client.get(reverse("registry:person_detail", args=[fisher.pk])).content.decode()
    assert "退捕渔民" in detail

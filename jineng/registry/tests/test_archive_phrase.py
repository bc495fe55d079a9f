"""An archive phrase (issue 15): plain text for the JSON and the PDF; on a page, escaped, each data name inside
``<span translate="no">`` — a name stays as written while the words around it are the reader's."""

from __future__ import annotations

import copy
import datetime as dt

from django.template import Context, Template
from django.utils import translation

from jineng.registry.archive import ArchiveEntry, archive_kind_label, data_name, phrase


def test_a_phrase_is_plain_text_and_marks_its_names_on_a_page():
    p = phrase("{name} <b>{hours}</b>", name=data_name("天河<学校>"), hours=6)
    assert p == "天河<学校> <b>6</b>"
    html = Template("{{ p }}").render(Context({"p": p}))
    assert html == '<span translate="no">天河&lt;学校&gt;</span> &lt;b&gt;6&lt;/b&gt;'
    assert copy.deepcopy(p).__html__() == p.__html__()


def test_an_entry_as_json_holds_plain_strings():
    entry = ArchiveEntry(on=dt.date(2026, 3, 2), kind="training", title=phrase("{x}", x=data_name("电工班")))
    data = entry.as_dict()
    assert data["title"] == "电工班" and type(data["title"]) is str


def test_the_kind_reads_in_the_readers_language():
    with translation.override("en"):
        assert archive_kind_label("registry") == "Registration" and archive_kind_label("nope") != "其他"
    with translation.override("zh-hans"):
        assert archive_kind_label("registry") == "实名登记"

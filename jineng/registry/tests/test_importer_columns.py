"""The persons importer's column-wise check (``_plain_rows``) never disagrees with the scalar rule (``_parse``): a row
it accepts is one ``_parse`` accepts, with exactly the same parsed values; every other row goes to ``_parse``, which
alone words the report. Rows are drawn from the plain forms and from their near misses (spaces, full-width
digits, unknown names, impossible dates, a mismatched sex or birth date, a graduate without a year)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jineng.imports.api import Context, Row
from jineng.registry.io import importers
from jineng.registry.io.importers import PersonsImporter
from jineng.registry.tests.factories import id18

TODAY = dt.date(2026, 11, 20)
KNOWN = {"440106", "440104", "440000", "110101"}


@pytest.fixture(autouse=True)
def _regions(monkeypatch):
    # Region lookups without the database (both paths call the same functions through the module).
    monkeypatch.setattr(importers, "region_code_known", lambda code: code in KNOWN)
    monkeypatch.setattr(importers, "region_resolve", lambda text, within=None: "440106" if text == "天河区" else None)


def ids() -> st.SearchStrategy[str]:
    born = st.dates(min_value=dt.date(1940, 1, 1), max_value=dt.date(2010, 12, 31))
    valid = st.builds(lambda r, b, s: id18(r, b, s), st.sampled_from(sorted(KNOWN - {"440000"})), born,
                      st.integers(1, 999))  # fmt: skip
    return st.one_of(valid, valid.map(str.lower), st.sampled_from(["", "123", "44010619900307123X", "abc"]))


CELLS = {
    "name": st.one_of(
        st.sampled_from(["张三", "李四明", "阿依古丽·买买提", "王 五", " 赵六", "张3", "=张三", "Tom", "", "张" * 61]),
        st.text(alphabet="张李王三四五·1 a", min_size=0, max_size=8),
    ),
    "doc_type": st.sampled_from(["", "", "居民身份证", "resident_id", "护照", "身份证件", "xx"]),
    "phone": st.sampled_from(
        [
            "",
            "13800138001",
            "12800138001",
            "1380013800",
            "138 0013 8001",
            "+8613800138001",
            "020-12345678",
            "１３８００１３８００１",
            "abc",
        ]
    ),
    "residence_region": st.sampled_from(["", "440106", "440104", "999999", "44010", "天河区", "海淀", "４４０１０６"]),
    "hukou_region": st.sampled_from(["", "440106", "110101", "123456", "天河区"]),
    "groups": st.sampled_from(
        [
            "",
            "农民工",
            "农民工、脱贫人口",
            "高校毕业生",
            "妇女",
            "农民工,农民工",
            "外星人",
            "migrant_worker",
            "农民工；外星人",
        ]
    ),
    "sex": st.sampled_from(["", "男", "女", "1", "2", "男性", "M"]),
    "birth_date": st.sampled_from(["", "1990-03-07", "1990/3/7", "19900307", "1990-02-30", "1990-3-7", "abc"]),
    "education": st.sampled_from(["", "高中", "本科", "大专", "博士", "小学", "幼儿园"]),
    "hukou_type": st.sampled_from(["", "农业", "非农业", "居民", "城镇", "外国"]),
    "graduation_year": st.sampled_from(["", "2024", "1949", "2028", "24", "2024.0", "二〇二四"]),
}


@st.composite
def batches(draw: st.DrawFn) -> list[Row]:
    count = draw(st.integers(1, 12))
    rows = []
    for i in range(count):
        values = {key: draw(strategy) for key, strategy in CELLS.items()}
        values["id_number"] = draw(ids())
        rows.append(Row(i + 2, values))
    return rows


@pytest.mark.parametrize("region_code", ["440106", ""])
@given(rows=batches())
@settings(max_examples=300, deadline=None)
def test_the_column_check_accepts_only_what_the_scalar_rule_accepts_with_the_same_values(region_code, rows):
    importer = PersonsImporter()
    ctx = Context(actor=None, mode="partial", region_code=region_code, today=TODAY)  # type: ignore[arg-type]
    checked = importer._checked_ids(rows, ctx)
    plain = importer._plain_rows(rows, ctx, checked)
    for row, one, fast in zip(rows, checked, plain, strict=True):
        if fast is None:
            continue
        parsed, issues = importer._parse(row, ctx, one)
        assert issues == [] and parsed == fast, row.values
        parsed_alone, issues_alone = importer._parse(row, ctx)  # the scalar ID rule too
        assert issues_alone == [] and parsed_alone == fast, row.values


def test_plain_rows_take_the_column_path():
    """The common file — Chinese names, mobiles, codes, known categories — does not fall back row by row."""
    rows = [
        Row(2, {"name": "张三", "id_number": id18("440106", dt.date(1990, 3, 7), 11), "phone": "13800138001",
                "residence_region": "440106", "groups": "农民工", "sex": "男", "birth_date": "1990-03-07",
                "education": "高中", "hukou_type": "农业"}),
        Row(3, {"name": "李四", "id_number": id18("440104", dt.date(1985, 2, 3), 12), "phone": "",
                "residence_region": "", "groups": "高校毕业生", "graduation_year": "2008"}),
    ]  # fmt: skip
    importer = PersonsImporter()
    ctx = Context(actor=None, mode="strict", region_code="440106", today=TODAY)  # type: ignore[arg-type]
    plain = importer._plain_rows(rows, ctx, importer._checked_ids(rows, ctx))
    assert all(p is not None for p in plain)
    assert plain[0].sex == "male" and plain[1].groups == ["college_graduate"] and plain[1].residence is None

"""Industry taxonomies as tags (产业标签): Guangdong's 20 strategic industry clusters, Shandong's 十强产业, Jilin's
六新产业. Other apps link their records (occupations, programs, enterprises) to ``Tag`` rows in tables of their own."""

from __future__ import annotations

import re
from pathlib import Path

from django.db import transaction

from jineng.common.errors import FieldError, ValidationFailed
from jineng.refdata.bulk import upsert_rows
from jineng.refdata.csvio import RowErrors, read_csv
from jineng.refdata.models import Region, Tag, TagTaxonomy

DATA_DIR = Path(__file__).resolve().parent / "data"
INDUSTRIES_CSV = DATA_DIR / "industries.csv"
_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@transaction.atomic
def load_industries(path: Path | None) -> dict[str, int]:
    """``taxonomy,taxonomy_name,region,code,name,group,rank,source``: one row per tag."""
    columns = {"taxonomy", "taxonomy_name", "region", "code", "name", "group", "rank", "source"}
    records = read_csv(path or INDUSTRIES_CSV, columns=columns, label="产业标签")
    errors = RowErrors("产业标签")
    current_regions = set(Region.objects.current().values_list("code", flat=True))
    taxonomies: dict[str, dict[str, object]] = {}
    tags: dict[tuple[str, str], dict[str, object]] = {}
    for rec in records:
        taxonomy, code = rec["taxonomy"], rec["code"]
        for column, value in (("taxonomy", taxonomy), ("code", code)):
            if not _SLUG.match(value):
                errors.add(rec.line, column, "bad_code", f"{column} 须为小写英文短横线代码：{value!r}")
        if rec["region"] not in current_regions:
            errors.add(rec.line, "region", "unknown_region", f"行政区划代码不存在或已撤销：{rec['region']!r}")
        entry = {"name": errors.required(rec, "taxonomy_name"), "region_id": rec["region"], "source": rec["source"]}
        if taxonomy in taxonomies and taxonomies[taxonomy]["name"] != entry["name"]:
            errors.add(rec.line, "taxonomy_name", "inconsistent", f"同一标签体系的名称不一致：{taxonomy}")
        taxonomies.setdefault(taxonomy, {**entry, "rank": len(taxonomies) + 1})
        if (taxonomy, code) in tags:
            errors.add(rec.line, "code", "duplicate_code", f"标签代码重复：{taxonomy}/{code}")
        tags[(taxonomy, code)] = {
            "name": errors.required(rec, "name"),
            "group": rec["group"],
            "rank": errors.integer(rec, "rank"),
        }
    errors.raise_if_any()
    for values in taxonomies.values():
        values["source"] = str(values["source"])[:300]
    existing_tax = {t.code: t for t in TagTaxonomy.objects.all()}
    created, updated = upsert_rows(TagTaxonomy, taxonomies, existing_tax, lambda code: {"code": code})
    existing_tags = {(t.taxonomy_id, t.code): t for t in Tag.objects.all()}
    tags_created, tags_updated = upsert_rows(
        Tag, tags, existing_tags, lambda key: {"taxonomy_id": key[0], "code": key[1]}
    )
    return {"created": created + tags_created, "updated": updated + tags_updated}


def tag_validate(taxonomy: str, code: str, field: str = "tag") -> Tag:
    tag = Tag.objects.filter(taxonomy_id=(taxonomy or "").strip(), code=(code or "").strip()).first()
    if tag is None:
        raise ValidationFailed("产业标签不正确。", [FieldError(field, "unknown_tag", f"标签不存在：{taxonomy}/{code}")])
    return tag

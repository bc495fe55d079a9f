"""开放数据: /data.json is a DCAT-style catalog that validates against its own JSON Schema; every downloadURL answers
200 without login; CSV is UTF-8 with a BOM and the dataset's field titles; JSON carries the same rows."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from urllib.parse import urlsplit

import jsonschema
import pytest

from jineng.portal.datasets import DATASETS

pytestmark = pytest.mark.django_db

SCHEMA = json.loads((Path(__file__).resolve().parents[1] / "data_catalog.schema.json").read_text(encoding="utf-8"))


def test_the_catalog_validates_against_its_schema_and_every_download_answers(client, world):
    response = client.get("/data.json")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    catalog = response.json()
    jsonschema.validate(catalog, SCHEMA)
    assert {d["identifier"].rsplit("/", 1)[1] for d in catalog["dataset"]} == {d.identifier for d in DATASETS}
    for dataset in catalog["dataset"]:
        for dist in dataset["distribution"]:
            download = client.get(urlsplit(dist["downloadURL"]).path)
            assert download.status_code == 200, dist["downloadURL"]
            assert download["Content-Type"].startswith(dist["mediaType"])
    assert client.get("/public/data/catalog.schema.json").json() == SCHEMA


def test_the_schema_refuses_a_catalog_missing_what_the_interface_promises(client, world):
    catalog = client.get("/data.json").json()
    broken = json.loads(json.dumps(catalog))
    del broken["dataset"][0]["distribution"][0]["downloadURL"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, SCHEMA)
    broken = json.loads(json.dumps(catalog))
    broken["dataset"][0]["modified"] = "yesterday"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, SCHEMA)


def test_csv_opens_in_excel_and_json_has_the_same_rows(client, world):
    raw = client.get("/public/data/providers.csv").content
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:2] == ["机构名称", "统一社会信用代码"]
    assert rows[1][0] == "广州市天河区南粤职业培训学校"
    body = client.get("/public/data/providers.json").json()
    assert [r["name"] for r in body["rows"]] == [r[0] for r in rows[1:]]
    standards = client.get("/public/data/subsidy-standards.json").json()["rows"]
    assert [s["title"] for s in standards] == ["广东省职业技能培训补贴标准（2026）"]  # the draft is not published
    assert "1,500.00" in standards[0]["amounts"]


def test_unknown_datasets_and_formats_are_404(client):
    for path in ("/public/data/persons.csv", "/public/data/providers.xml", "/public/data/providers.csv.exe"):
        assert client.get(path).status_code == 404


def test_the_certificate_statistics_carry_no_small_figure(client, world):
    rows = client.get("/public/data/certificates-by-region-level.json").json()["rows"]
    assert rows and all(r["count"] is None or r["count"] == 0 or r["count"] >= 10 for r in rows)


def test_a_cell_that_a_spreadsheet_would_run_as_a_formula_is_quoted(client, world):
    org = world.listing.profile.organization
    org.name = '=HYPERLINK("http://example.com","点此")'
    org.save(update_fields=["name"])
    rows = list(csv.reader(io.StringIO(client.get("/public/data/providers.csv").content.decode("utf-8-sig"))))
    assert rows[1][0] == "'" + org.name
    assert client.get("/public/data/providers.json").json()["rows"][0]["name"] == org.name  # JSON keeps the value


def test_the_workbook_has_the_same_rows_as_the_csv(client, world):
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(client.get("/public/data/bases.xlsx").content), read_only=True)
    rows = [list(r) for r in next(iter(book)).iter_rows(values_only=True)]
    assert rows[0][:3] == ["名称", "类别", "级别"]
    assert [r[0] for r in rows[1:]] == ["陈晓东焊接技能大师工作室"]

"""Files that lie (issue 14, item 8): a zip whose directory misstates a part's size, and a CSV cell too long to
read, are refused with their own codes and Chinese messages naming what is wrong — never a raw ``BadZipFile`` or
"文件已损坏"."""

from __future__ import annotations

import struct
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from jineng.imports.models import ImportJob
from jineng.imports.readers import CSV_FIELD_LIMIT, FileRefused, Limits, column_letter, open_table
from jineng.imports.tests.helpers import write_xlsx
from jineng.registry.tests.factories import id18

LIMITS = Limits(max_rows=1000, max_columns=30, max_uncompressed=5 * 1024 * 1024)


def _lying(path: Path, part: str, delta: int) -> Path:
    """Change the uncompressed size the central directory declares for ``part`` by ``delta`` bytes."""
    data = bytearray(path.read_bytes())
    name = part.encode()
    at = 0
    while (at := data.find(b"PK\x01\x02", at)) >= 0:
        length = struct.unpack_from("<H", data, at + 28)[0]
        if bytes(data[at + 46 : at + 46 + length]) == name:
            size = struct.unpack_from("<I", data, at + 24)[0]
            struct.pack_into("<I", data, at + 24, size + delta)
        at += 4
    path.write_bytes(bytes(data))
    return path


def _workbook(tmp_path: Path) -> Path:
    rows = [["姓名", "身份证号码"]] + [[f"人{i}", id18(seq=i)] for i in range(1, 60)]
    return write_xlsx(tmp_path / "p.xlsx", rows)


@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "xl/styles.xml", "xl/workbook.xml"])
@pytest.mark.parametrize("delta", [-200, 200])
def test_a_zip_directory_that_lies_about_sizes_is_refused_with_its_code(tmp_path, part, delta):
    path = _lying(_workbook(tmp_path), part, delta)
    with pytest.raises(FileRefused) as exc:
        table = open_table(path, limits=LIMITS)
        table.estimate_rows()
        list(table.rows())
    assert exc.value.code == "zip_size_mismatch"
    assert "文件内容与声明大小不符" in exc.value.message


@pytest.mark.django_db
def test_lying_zip_ends_as_a_refusal_not_a_raw_error(tmp_path, make_user):
    user = make_user("county_official", region="440106", username="tianhe-lying")
    path = _lying(_workbook(tmp_path), "xl/worksheets/sheet1.xml", -200)
    err = StringIO()
    with pytest.raises(SystemExit) as exc:
        call_command("import", "persons", str(path), "--as", user.username, stdout=StringIO(), stderr=err)
    assert exc.value.code == 2
    record = ImportJob.objects.get()
    assert record.summary["refusal_code"] == "zip_size_mismatch"
    assert "BadZipFile" not in (record.job.error or "") and "CRC" not in (record.job.error or "")
    assert "文件内容与声明大小不符" in err.getvalue()


@pytest.mark.parametrize("quoted", [False, True])
def test_a_csv_cell_over_the_field_limit_names_row_column_and_limit(tmp_path, quoted):
    huge = "长" * (CSV_FIELD_LIMIT + 10)
    cell = f'"{huge}"' if quoted else huge
    text = "姓名,身份证号码,手机号码\r\n张三,110101199001011234,13800138000\r\n李四,110101199001011235," + cell + "\r\n"
    path = tmp_path / "big.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FileRefused) as exc:
        list(open_table(path, limits=LIMITS).rows())
    assert exc.value.code == "cell_too_long"
    assert "第 3 行第 C 列" in exc.value.message and str(CSV_FIELD_LIMIT) in exc.value.message
    assert "损坏" not in exc.value.message


@pytest.mark.django_db
def test_ten_megabyte_cell_is_refused_as_too_long_not_corrupt(tmp_path, make_user):
    user = make_user("county_official", region="440106", username="tianhe-long")
    path = tmp_path / "big.csv"
    path.write_text("姓名,身份证号码\r\n" + "张" * (10 * 1024 * 1024) + ",110101199001011234\r\n", encoding="utf-8")
    err = StringIO()
    with pytest.raises(SystemExit) as exc:
        call_command("import", "persons", str(path), "--as", user.username, stdout=StringIO(), stderr=err)
    assert exc.value.code == 2
    assert ImportJob.objects.get().summary["refusal_code"] == "cell_too_long"
    assert "第 2 行第 A 列" in err.getvalue() and "已损坏" not in err.getvalue()


def test_column_letters():
    assert [column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == ["A", "Z", "AA", "AB", "ZZ", "AAA"]
